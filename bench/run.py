"""The benchmark: every layer of `check all` at growing sizes of a realistic synthetic province.

    python -m bench.run [--sizes 10000 100000 1000000] [--engine dask --engine-sizes 10000000]

For each size: the dataset is generated once (bench/data/, not committed), then measured in two
fresh processes: `bench.layers` times each layer (CPU and wall seconds, rows per second, peak
memory) and checks the recall of the injected contradictions and the findings on the clean part;
`check all --no-report --json` is timed end to end (wall, CPU, peak memory of the process, the
rules' wall and CPU seconds from its JSON) twice on a fresh cache of the sources' scans: cold, then warm. The scaling
exponent of every layer between consecutive sizes (log CPU ratio / log size ratio) is printed
and flagged when above 1.1, and each of issue 14's targets is said met or NOT MET from the run's
own figures. Results are appended to bench/results/<date>.json so runs compare.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.generate import GENERATOR_VERSION

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
EXPONENT_LIMIT = 1.1
# issue 14's targets for `check all --no-report` in-process at TARGET_SIZE observations
TARGET_SIZE = 1_000_000
TARGET_WALL_S, TARGET_RULES_S, TARGET_PEAK_MB = 60, 5, 3 * 1024
NOISE_CPU = 0.05  # below this many CPU seconds an exponent says nothing


def dataset(size: int, seed: int) -> Path:
    path = DATA / f"{size}-s{seed}-v{GENERATOR_VERSION}"
    if not (path / "injected.json").exists():
        subprocess.run([sys.executable, "-m", "bench.generate", str(path), "--observations", str(size), "--seed", str(seed)],
                       cwd=ROOT, check=True)
    return path


def child_usage(command: list[str], timeout: float) -> dict:
    """Run a command as this process's only child at a time: wall, CPU and peak memory of it.
    `peak_mb` is ru_maxrss of the children, i.e. the largest single process (the command or one of
    its workers, e.g. Dask's), not their sum; `tree` samples /proc every SAMPLE seconds: the peak of
    the command's own RSS (the driver), of its largest descendant (a worker) and of the sum over
    the whole process tree, and `cpu_s`, the CPU seconds of every process of the tree as last seen.
    `cpu` counts only children the command waited for: Spark's JVM and its Python workers are not
    (the driver exits without reaping the JVM), so for Spark `tree.cpu_s` is the figure (a lower
    bound: a process's last SAMPLE seconds are missed)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as child:
        sampler = TreeSampler(child.pid)
        sampler.start()
        try:
            out, err = child.communicate(timeout=timeout)
            code, tail = child.returncode, (err or out)[-2000:]
        except subprocess.TimeoutExpired:
            child.kill()
            child.communicate()
            code, tail, out = None, f"timed out after {timeout:.0f} s", ""
        sampler.done = True
        sampler.join()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"wall": wall, "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
            "peak_mb": after.ru_maxrss / 1024, "tree": sampler.peaks(), "exit": code, "tail": tail if code != 0 else "",
            "summary": (out or "").strip().splitlines()[-3:]}  # the command's last lines (check's: its counts)


SAMPLE = 0.5  # seconds between two samples of a process tree's memory


class TreeSampler(threading.Thread):
    """Peak resident memory of a process and its descendants, read from /proc (Linux)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.done = pid, False
        self.driver = self.worker = self.total = 0  # kB
        self.ticks: dict[int, int] = {}  # pid → user + system CPU, clock ticks, as last seen

    def run(self) -> None:
        while not self.done:
            rss = _tree_rss(self.pid, self.ticks)
            if rss:
                self.driver = max(self.driver, rss.get(self.pid, 0))
                self.worker = max(self.worker, max((v for k, v in rss.items() if k != self.pid), default=0))
                self.total = max(self.total, sum(rss.values()))
            time.sleep(SAMPLE)

    def peaks(self) -> dict:
        return {"driver_mb": self.driver / 1024, "largest_worker_mb": self.worker / 1024, "sum_mb": self.total / 1024,
                "cpu_s": sum(self.ticks.values()) / TICKS, "every_s": SAMPLE}


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _tree_rss(root: int, ticks: dict[int, int] | None = None) -> dict[int, int]:
    """pid → VmRSS (kB) of `root` and every descendant; their CPU ticks (user + system) recorded in `ticks`."""
    parents, rss = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0").strip())
        rss[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    tree = {root} if root in parents else set()
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    if ticks is not None:
        for pid in tree:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            ticks[pid] = max(ticks.get(pid, 0), int(stat[11]) + int(stat[12]))  # utime, stime
    return {pid: rss[pid] for pid in tree}


def measure_size(size: int, seed: int, args) -> dict:
    path = dataset(size, seed)
    entry: dict = {"size": size, "dataset": str(path.relative_to(ROOT))}
    if not args.no_layers:
        out = DATA / f"layers-{size}.json"
        command = [sys.executable, "-m", "bench.layers", str(path), str(out)] + (["--no-html"] if args.no_html or size > args.html_max else [])
        entry["layers_run"] = _isolated(command, args.timeout)
        if entry["layers_run"]["exit"] == 0:
            entry.update(json.loads(out.read_text(encoding="utf-8")))
    check = str(Path(sys.executable).with_name("check"))
    for engine in ["pandas"] + ([args.engine] if args.engine else []):
        if engine != "pandas" and size not in args.engine_sizes and size not in args.sizes:
            continue
        if engine == "pandas" and size not in args.sizes:  # an engine-only size (10 M): in-process it does not fit in memory
            continue
        command = [check, "all", "--dataset", str(path), "--no-report", "--fail-on", "never"] + (["--engine", engine] if engine != "pandas" else [])
        with tempfile.TemporaryDirectory(prefix="seed-bench-") as folder:
            # a fresh cache of the sources' scans (checks/scan_cache.py): the first run scans every
            # source (cold, as a first run or a new document), the second reads the scans back
            for label in ("", ", warm cache"):
                report = Path(folder) / "report.json"
                usage = _isolated([*command, "--cache-dir", folder, "--json", str(report)], args.timeout)
                if usage.get("exit") == 0 and report.exists():
                    rules = json.loads(report.read_text(encoding="utf-8"))["rules"]
                    usage["rules_seconds"] = round(sum(r["seconds"] for r in rules if r["family"] != "suites"), 2)
                    usage["rules_cpu_seconds"] = round(sum(r.get("cpu_seconds", 0) for r in rules if r["family"] != "suites"), 2)
                    usage["slowest_rules"] = {r["rule"]: r["seconds"] for r in sorted(rules, key=lambda r: -r["seconds"])[:5]}
                entry[f"check_all[{engine}{label}]"] = usage
    return entry


def _isolated(command: list[str], timeout: float) -> dict:
    """child_usage in a fresh interpreter, so ru_maxrss of children is this command's alone."""
    code = ("import json,sys; from bench.run import child_usage; "
            f"print(json.dumps(child_usage({command!r}, {timeout!r})))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False)
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        return {"exit": None, "tail": done.stderr[-2000:]}


def exponents(sizes: list[dict]) -> dict:
    """Per layer and pair of consecutive sizes: log(CPU ratio) / log(size ratio)."""
    out: dict[str, dict] = {}
    for small, large in itertools.pairwise(sizes):
        if "layers" not in small or "layers" not in large:
            continue
        ratio = math.log(large["observations"] / small["observations"])
        for name, layer in large["layers"].items():
            before = small["layers"].get(name)
            if before and before["cpu"] >= NOISE_CPU and layer["cpu"] > 0:
                out.setdefault(name, {})[f"{small['size']}->{large['size']}"] = round(math.log(layer["cpu"] / before["cpu"]) / ratio, 2)
    return out


def table(run: dict) -> str:
    sizes = [s for s in run["sizes"] if "layers" in s]
    names = list(dict.fromkeys(n for s in sizes for n in s["layers"]))
    head = f"{'layer':32}" + "".join(f"{s['size']:>26,}" for s in sizes) + "   exponent"
    lines = [head, f"{'':32}" + "".join(f"{'CPU s  wall s  rows/s  MB':>26}" for _ in sizes)]
    for name in names:
        cells = ""
        for s in sizes:
            layer = s["layers"].get(name)
            if layer is None:
                cells += f"{'-':>26}"
                continue
            rate = s["observations"] / layer["wall"] if layer["wall"] > 0 else 0
            cells += f"{layer['cpu']:8.2f}{layer['wall']:8.2f}{_si(rate):>6}{layer['peak_mb']:>6.0f}"
        exps = run["exponents"].get(name, {})
        flag = " ".join(f"{v:.2f}{'!' if v > EXPONENT_LIMIT else ''}" for v in exps.values())
        lines.append(f"{name:32}{cells}   {flag}")
    lines.append("")
    for s in run["sizes"]:
        for key, value in s.items():
            if key.startswith("check_all"):
                rules = f", rules {value['rules_seconds']:.1f} s" if "rules_seconds" in value else ""
                rules += f" ({value['rules_cpu_seconds']:.1f} CPU s)" if "rules_cpu_seconds" in value else ""
                lines.append(f"{key} at {s['size']:,}: wall {value.get('wall', 0):.1f} s, CPU {value.get('cpu', 0):.1f} s{rules}, "
                             f"peak {value.get('peak_mb', 0):.0f} MB, exit {value.get('exit')} {value.get('tail', '')[:300]}")
        q = s.get("quality")
        if q:
            lines.append(f"recall at {s['size']:,}: {q['found']}/{q['injected']} injected contradictions found; "
                         f"clean part: {q['clean_errors_warnings']} errors/warnings, {q['clean_findings']}")
            missed = {k: f"{v['found']}/{v['injected']}" for k, v in q["per_rule"].items() if v["found"] < v["injected"]}
            if missed:
                lines.append(f"  missed: {missed}")
        if "layers_run" in s and s["layers_run"].get("exit") != 0:
            lines.append(f"layers at {s['size']:,} failed: {s['layers_run']}")
    flagged = [f"{n} {k}: {v}" for n, e in run["exponents"].items() for k, v in e.items() if v > EXPONENT_LIMIT]
    lines.append("exponents above 1.1: " + ("; ".join(flagged) if flagged else "none"))
    return "\n".join([*lines, *targets(run)])


def targets(run: dict) -> list[str]:
    """Each of issue 14's targets with what this run measured and whether it is met: the end-to-end
    ones at TARGET_SIZE (the cold run: every source scanned; the warm run's rules beside it), the
    exponents and the recall at every size measured. A target this run did not measure says so."""
    def verdict(met: bool) -> str:
        return "met" if met else "NOT MET"
    lines = ["", f"targets (issue 14; in-process `check all --no-report` at {TARGET_SIZE:,}):"]
    at: dict = next((s for s in run["sizes"] if s["size"] == TARGET_SIZE), {})
    cold, warm = at.get("check_all[pandas]"), at.get("check_all[pandas, warm cache]")
    if cold and cold.get("exit") == 0:
        lines.append(f"  wall {cold['wall']:.1f} s < {TARGET_WALL_S} s: {verdict(cold['wall'] < TARGET_WALL_S)}")
        # the rules' CPU seconds (the target's unit; runs before they were recorded: wall seconds, said so)
        measure = "rules_cpu_seconds" if "rules_cpu_seconds" in cold else "rules_seconds"
        unit = "CPU s" if measure == "rules_cpu_seconds" else "s (wall)"
        if measure in cold:
            also = f" ({warm[measure]:.2f} {unit} with the scans cached)" if warm and measure in warm else ""
            lines.append(f"  rules {cold[measure]:.2f} {unit}, every source scanned, < {TARGET_RULES_S}: "
                         f"{verdict(cold[measure] < TARGET_RULES_S)}{also}")
        lines.append(f"  peak {cold['peak_mb']:,.0f} MB < {TARGET_PEAK_MB:,} MB: {verdict(cold['peak_mb'] < TARGET_PEAK_MB)}")
    else:
        lines.append(f"  wall, rules, peak: not measured at {TARGET_SIZE:,}" + (f" (exit {cold.get('exit')})" if cold else ""))
    steep = [v for e in run["exponents"].values() for v in e.values() if v > EXPONENT_LIMIT]
    lines.append(f"  every layer's exponent <= {EXPONENT_LIMIT}: "
                 + (verdict(not steep) if run["exponents"] else "not measured (one size or no layers)"))
    for s in run["sizes"]:
        for key, usage in s.items():  # the distributed engine's runs (10 M: "complete on this machine")
            if key.startswith("check_all[") and not key.startswith("check_all[pandas"):
                lines.append(f"  {s['size']:,} through {key[len('check_all['):key.index(']')]}: exit {usage.get('exit')}, wall {usage.get('wall', 0):.0f} s: "
                             f"{verdict(usage.get('exit') == 0)}")
        q = s.get("quality")
        if q:
            met = q["found"] == q["injected"] and q["clean_errors_warnings"] == 0
            lines.append(f"  recall {q['found']}/{q['injected']} and no error or warning on the clean part at {s['size']:,}: {verdict(met)}")
    return lines


def _si(value: float) -> str:
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if value >= scale:
            return f"{value / scale:.0f}{unit}"
    return f"{value:.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engine", help="also time `check all --engine ENGINE` (dask) at --engine-sizes and --sizes")
    parser.add_argument("--engine-sizes", type=int, nargs="*", default=[])
    parser.add_argument("--no-layers", action="store_true", help="only the end-to-end `check all` timings")
    parser.add_argument("--no-html", action="store_true")
    parser.add_argument("--html-max", type=int, default=100_000, help="time the HTML report only up to this size")
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--label", default="", help="a note stored with the run (e.g. 'before')")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes) | set(args.engine_sizes))
    run = {"started": datetime.now(UTC).isoformat(timespec="seconds"), "label": args.label, "commit": _commit(),
           "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load": os.getloadavg()}, "sizes": []}
    for size in sizes:
        if size in args.engine_sizes and size not in args.sizes:
            args_engine_only = argparse.Namespace(**{**vars(args), "no_layers": True})
            entry = measure_size(size, args.seed, args_engine_only)
            entry.pop("check_all[pandas]", None)
        else:
            entry = measure_size(size, args.seed, args)
        run["sizes"].append(entry)
        print(f"measured {size:,}", file=sys.stderr)
    run["exponents"] = exponents(run["sizes"])
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{run['started'][:10]}.json"
    runs = json.loads(path.read_text(encoding="utf-8"))["runs"] if path.exists() else []
    path.write_text(json.dumps({"runs": [*runs, run]}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(table(run))
    print(f"\nwritten to {path.relative_to(ROOT)}")
    return 0


def _commit() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False)
    return done.stdout.strip()


if __name__ == "__main__":
    sys.exit(main())
