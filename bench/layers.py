"""One size of the benchmark, in its own process: every layer of `check all` timed in turn.

    python -m bench.layers DATASET_DIR OUT.json [--no-html] [--no-suites]

Per layer: wall and CPU seconds (user + system, all threads) and the process's peak resident
memory after it (ru_maxrss, so memory is measured without slowing anything down). Then the
recall of the contradictions injected by bench.generate and the findings on the clean part.
The outputs are timed as `check all` writes them: the report (RunResult.report), the JSON written
to a file, the terminal, the typed outputs (JUnit, SARIF, Markdown, GitHub annotations: the first
types every finding), the HTML report. Prints nothing but errors; bench.run reads OUT.json.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


class Layers:
    def __init__(self):
        self.layers: dict[str, dict] = {}

    @contextmanager
    def time(self, name: str):
        wall, cpu = time.perf_counter(), _cpu()
        yield
        entry = self.layers.setdefault(name, {"wall": 0.0, "cpu": 0.0})
        entry["wall"] += time.perf_counter() - wall
        entry["cpu"] += _cpu() - cpu
        entry["peak_mb"] = _peak_mb()

    def wrap(self, module, attribute: str, name: str):
        """Time every call of module.attribute under `name` (for steps inside another layer)."""
        original = getattr(module, attribute, None)
        if original is None:
            return

        def timed(*args, **kwargs):
            with self.time(name):
                return original(*args, **kwargs)
        setattr(module, attribute, timed)


def recall(findings: list, manifest: dict, observations) -> dict:
    """Which injected contradictions were found by the rule that must find them, and which
    findings touch nothing injected (the clean part)."""
    where = dict(zip(observations["id"], zip(observations["document"], observations["line"].astype(int), strict=False), strict=False))
    injected_ids, injected_lines, injected_docs = set(), set(), set()
    for item in manifest["injected"]:
        changed = item["observations"] + item.get("touched", [])
        injected_ids.update(changed)
        injected_lines.update(where[i] for i in changed if i in where)
        if item["line"] is not None:
            injected_lines.add((item["document"], int(item["line"])))
        elif item["document"]:
            injected_docs.add(item["document"])
    by_rule: dict[str, list] = {}
    for finding in findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    per_rule: dict[str, dict] = {}
    missed = []
    for item in manifest["injected"]:
        wanted = set(item["observations"])
        hit = False
        for finding in by_rule.get(item["rule"], []):
            ids = {o["id"] for o in finding.observations}
            hit = wanted <= ids if wanted else finding.document == item["document"] and (item["line"] is None or finding.line == int(item["line"]))
            if hit:
                break
        entry = per_rule.setdefault(item["rule"], {"injected": 0, "found": 0})
        entry["injected"] += 1
        entry["found"] += hit
        if not hit:
            missed.append(item)
    clean: dict[str, int] = {}
    for finding in findings:
        ids = {o["id"] for o in finding.observations}
        lines = {(o["document"], int(o["line"])) for o in finding.observations}
        if finding.line is not None and finding.document:
            lines.add((finding.document, int(finding.line)))
        # a document-level finding may point at a line (base-year evidence)
        explained = bool(ids & injected_ids) or bool(lines & injected_lines) or (not ids and finding.document in injected_docs)
        if not explained:
            key = f"{finding.rule} ({finding.severity})"
            clean[key] = clean.get(key, 0) + 1
    injected = sum(e["injected"] for e in per_rule.values())
    found = sum(e["found"] for e in per_rule.values())
    return {"injected": injected, "found": found, "recall": found / injected if injected else None, "per_rule": per_rule,
            "missed": missed[:20], "clean_findings": clean,
            "clean_errors_warnings": sum(v for k, v in clean.items() if not k.endswith("(info)"))}


def measure(root: Path, with_suites: bool, with_html: bool) -> dict:
    layers = Layers()
    with layers.time("import"):
        from checks import engine, locator, observations, pipeline
        from checks.dataset import load
        from checks.engine import cyclic_gc_paused
        from checks.outputs import write_one
        from checks.report_github import render_github
        from checks.rules import RULES
        from checks.selection import select_rules
        from checks.terminal import print_text
        from checks.waivers import apply_waivers
        from cli import _render as output  # each output made as check all makes it
        from schemas import tables
    with layers.time("load"):
        dataset = load(root)
    n = len(dataset.observations)
    with layers.time("schemas (again, of load)"):
        frame = dataset.observations.drop(columns=["file", "file_line"])
        frame = frame.astype({c: "str" for c, dtype in frame.dtypes.items() if dtype == "category"})  # validated as read: text (load() then types it)
        tables.OBSERVATIONS.validate(frame.assign(line=frame["line"].astype(str)), lazy=True)
    layers.wrap(observations, "build", "parse")
    layers.wrap(locator, "locate", "locate")
    context = engine.Context(dataset)
    _ = context.obs, context.located  # lazily built contexts build here
    findings, summaries = [], []
    layers.wrap(engine, "_findings", "findings (of rules)")
    families: dict[str, list] = {}
    default_rules, _ = select_rules(RULES, False, [], [], root)  # what `check all` runs: no opt-in rule
    for current in default_rules:
        families.setdefault(current.family, []).append(current)
    for family, rules in families.items():
        with layers.time(f"rules: {family}"):
            got, summary = engine.run(context, rules)
        findings += got
        summaries += summary
    suites = []
    if with_suites:
        with layers.time("suites: import GE"):
            import great_expectations  # noqa: F401
        with layers.time("suites"):
            from checks import suites as ge_suites
            suite_findings, suite_summaries, suites = ge_suites.run_all(context)
        findings += suite_findings
        summaries += suite_summaries
    with layers.time("waivers"):
        apply_waivers(findings, dataset.waivers)
    with layers.time("chart data (series)"):
        chart_data = pipeline.series(context)
    context.series = lambda: chart_data  # type: ignore[method-assign]  # the report reads the chart data timed above
    result = pipeline.RunResult(dataset, context, findings, summaries, suites)
    # The outputs as `check all` writes them (cli._run: the cyclic collector held off): the report,
    # then each file, each a layer.
    with cyclic_gc_paused():
        with layers.time("report"):
            model = result.report()
        folder = Path(tempfile.mkdtemp(prefix="seed-bench-"))
        try:
            with layers.time("JSON (write)"):
                write_one("--json", folder / "r.json", output("--json", model))
            with layers.time("terminal"):
                print_text(model, stream=io.StringIO())
            with layers.time("typed outputs (JUnit, SARIF, Markdown, GitHub)"):  # the first types every finding
                for what, name in (("--junit", "r.xml"), ("--sarif", "r.sarif"), ("--markdown", "r.md")):
                    write_one(what, folder / name, output(what, model))
                render_github(model)
            if with_html:
                with layers.time("HTML (write)"):
                    write_one("--report", folder / "r.html", output("--report", model))
            json_mb = (folder / "r.json").stat().st_size / 1e6
            html_mb = (folder / "r.html").stat().st_size / 1e6 if with_html else None
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    manifest_path = root / "injected.json"
    quality = recall(findings, json.loads(manifest_path.read_text(encoding="utf-8")), dataset.observations) if manifest_path.exists() else None
    return {"observations": n, "documents": len(dataset.documents), "layers": layers.layers, "peak_mb": _peak_mb(),
            "findings": len(findings), "json_mb": json_mb, "html_mb": html_mb,
            "quality": quality}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--no-html", action="store_true")
    parser.add_argument("--no-suites", action="store_true")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    result = measure(args.dataset, not args.no_suites, not args.no_html)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
