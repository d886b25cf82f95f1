"""Benchmark: time each layer of `check all` on the shipped dataset and on synthetic ones made by
replicating its observations (new ids, other years) N times. Prints a table; asserts nothing.

    python scripts/benchmark.py [--dataset datasets] [--scales 1 10 50]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checks.dataset import load  # noqa: E402
from checks.engine import Context, run  # noqa: E402
from checks.rules import RULES  # noqa: E402


def scaled_copy(source: Path, target: Path, factor: int) -> Path:
    """The dataset with each observation file repeated `factor` times; each copy gets its own
    scope, so copies form new series (same work per series) rather than duplicates."""
    shutil.copytree(source, target)
    for path in (target / "observations").glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        copies = []
        for copy in range(factor):
            part = frame.copy()
            part["id"] = part["id"] + (f"-x{copy}" if copy else "")
            part["scope"] = part["scope"] + (f"#{copy}" if copy else "")
            copies.append(part)
        pd.concat(copies).to_csv(path, index=False)
    return target


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, default=Path("datasets"))
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--suites", action="store_true", help="also time the Great Expectations suites (adds ~3 s import)")
    args = parser.parse_args()
    print(f"{'scale':>5} {'observations':>12} {'load':>7} {'parse+locate':>12} {'rules':>7} {'suites':>7} {'html':>7}  slowest rule")
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as scratch:
            root = scaled_copy(args.dataset, Path(scratch) / "d", scale) if scale > 1 else args.dataset
            dataset, t_load = timed(load, root)
            context, t_parse = timed(Context, dataset)
            per_rule = {}
            start = time.perf_counter()
            for current in RULES:
                _, per_rule[current.id] = timed(run, context, [current])
            t_rules = time.perf_counter() - start
            t_suites = 0.0
            if args.suites:
                from checks import suites
                _, t_suites = timed(suites.run_all, context)
            from checks.pipeline import execute
            from checks.report_html import render_html
            result = execute(dataset, RULES, with_suites=False)
            _, t_html = timed(render_html, result.to_json())
            slowest = max(per_rule, key=per_rule.get)
            print(f"{scale:5} {len(dataset.observations):12} {t_load:7.2f} {t_parse:12.2f} {t_rules:7.2f} {t_suites:7.2f} {t_html:7.2f}"
                  f"  {slowest} {per_rule[slowest]:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
