"""Mutation test: how many injected mistakes does `check` catch?

Copies the dataset, changes one thing at a time — a figure, a unit, a year, a quote, a scope —
in a way a steward could plausibly mistype, runs the rules, and counts the mutation as caught
when a new error or warning appears (or the input is rejected). Prints the catch rate overall,
per kind of mutation, and for the consistency rules alone (without provenance and coverage,
which catch any figure that no longer matches its source).

    python scripts/mutate.py [--dataset datasets] [--count 120] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checks.dataset import load
from checks.engine import Context, run
from checks.errors import InputError
from checks.rules import RULES

SOURCE_FAMILIES = {"provenance", "coverage"}
NUMBER = re.compile(r"\d+(?:\.\d+)?")
OTHER_UNIT = {"%": "万千瓦", "万千瓦": "%", "亿元": "平方公里", "平方公里": "亿元", "微克/立方米": "%", "个": "%", "家": "亿元"}


def scale_number(text: str, factor: float) -> str | None:
    match = NUMBER.search(text)
    if not match:
        return None
    digits = match.group()
    decimals = len(digits.partition(".")[2])
    changed = f"{float(digits) * factor:.{decimals}f}"
    return None if changed == digits else text[: match.start()] + changed + text[match.end():]


def mutations(observations: pd.DataFrame, rng: random.Random, count: int):
    """(kind, observation id, column, new value, new quote or None) — one change each."""
    numeric = observations[observations["value_printed"].str.contains(r"\d", regex=True)]
    made = []
    kinds = ["figure", "figure-in-quote", "unit", "year", "quote", "scope"]
    while len(made) < count:
        kind = kinds[len(made) % len(kinds)]
        row = numeric.sample(1, random_state=rng.randrange(10**9)).iloc[0]
        if kind in ("figure", "figure-in-quote"):
            new = scale_number(row["value_printed"], rng.choice([0.5, 0.8, 1.25, 2.0]))
            if new is None:
                continue
            # "figure": the value mistyped; "figure-in-quote": value and quote mistyped alike
            quote = row["quote"].replace(row["value_printed"], new) if kind == "figure-in-quote" else None
            made.append((kind, row["id"], "value_printed", new, quote))
        elif kind == "unit":
            if row["unit_printed"] not in OTHER_UNIT:
                continue
            made.append((kind, row["id"], "unit_printed", OTHER_UNIT[row["unit_printed"]], None))
        elif kind == "year":
            year = int(row["period"][:4])
            made.append((kind, row["id"], "period", str(year + rng.choice([-5, -1, 1, 5])), None))
        elif kind == "quote":
            quote = row["quote"]
            position = rng.randrange(len(quote))
            made.append((kind, row["id"], "quote", None, quote[:position] + "某" + quote[position + 1:]))
        elif kind == "scope":
            made.append((kind, row["id"], "scope", "" if row["scope"] else "中心城区", None))
    return made


def findings_of(root: Path) -> set[tuple[str, str]] | None:
    """(fingerprint, family) of every error and warning; None when the input is rejected."""
    try:
        findings, _ = run(Context(load(root)), RULES)
    except InputError:
        return None
    return {(f.fingerprint, f.family) for f in findings if f.severity in ("error", "warning")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, default=Path("datasets"))
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    baseline = findings_of(args.dataset)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / "dataset"
        shutil.copytree(args.dataset, work)
        files = {p: pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted((work / "observations").glob("*.csv"))}
        observations = pd.concat(files.values(), ignore_index=True)
        caught, caught_by_rules, total = Counter(), Counter(), Counter()
        for kind, obs_id, column, value, quote in mutations(observations, rng, args.count):
            path = next(p for p, frame in files.items() if (frame["id"] == obs_id).any())
            frame = files[path].copy()
            mask = frame["id"] == obs_id
            if value is not None:
                frame.loc[mask, column] = value
            if quote is not None:
                frame.loc[mask, "quote"] = quote
            frame.to_csv(path, index=False)
            after = findings_of(work)
            files[path].to_csv(path, index=False)  # undo
            total[kind] += 1
            new = None if after is None else after - baseline
            if new is None or new:
                caught[kind] += 1
            if new and any(family not in SOURCE_FAMILIES for _, family in new):
                caught_by_rules[kind] += 1
    print(f"{'mutation':18} {'made':>5} {'caught':>7} {'by consistency rules':>21}")
    for kind in total:
        print(f"{kind:18} {total[kind]:5} {caught[kind]:7} {caught_by_rules[kind]:21}")
    made = sum(total.values())
    print(f"catch rate: {sum(caught.values()) / made:.1%} of {made} mutations "
          f"({sum(caught_by_rules.values()) / made:.1%} by the consistency rules alone)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
