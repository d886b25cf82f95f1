"""Partial runs, --select / --ignore, outputs written as one set (or none: failure, Ctrl-C, an
unwritable path), `check coverage`, and configuration discovery."""

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from click.testing import CliRunner

import cli
from builders import build_dataset, indicator, observation, write_csv

REPO = Path(__file__).resolve().parent.parent


def plan(tmp_path, name="d"):
    """One error (targets.worse-than-baseline: 94.1 against 95) and one warning (targets.flat)."""
    return build_dataset(tmp_path / name, [indicator("water_good_share"), indicator("air_good_share")], [
        observation("o1", "water_good_share", "95", role="baseline", period="2020", quote="2020年优良比例为95"),
        observation("o2", "water_good_share", "94.1", role="target", period="2025", quote="2025年优良比例为94.1"),
        observation("o3", "air_good_share", "90", role="baseline", period="2020", quote="2020年空气优良比例为90"),
        observation("o4", "air_good_share", "90", role="target", period="2025", quote="2025年空气优良比例为90"),
    ])


def invoke(*args):
    return CliRunner().invoke(cli.main, [str(a) for a in args], catch_exceptions=False)


def waive_all(root, tmp_path):
    """Waive every finding of a full run; returns the full run's JSON."""
    invoke("all", "--dataset", root, "--no-suites", "--no-report", "--json", tmp_path / "first.json")
    findings = json.loads((tmp_path / "first.json").read_text(encoding="utf-8"))["findings"]
    write_csv(root / "waivers.csv", [{"fingerprint": f["fingerprint"], "rule": f["rule"], "reason": "as printed", "who": "steward",
                                      "when": "2026-11-22"} for f in findings], ["fingerprint", "rule", "reason", "who", "when"])
    return findings


def test_partial_run_leaves_the_full_report_untouched_and_reports_no_false_stale_waiver(tmp_path, monkeypatch):
    root = plan(tmp_path)
    findings = waive_all(root, tmp_path)
    assert {f["rule"] for f in findings} == {"targets.worse-than-baseline", "targets.flat"}
    monkeypatch.chdir(tmp_path)
    full = invoke("all", "--dataset", root, "--no-suites", "--report", "reports/validation-report.html")
    assert full.exit_code == 0 and "stale" not in full.output
    before = Path("reports/validation-report.html").read_bytes()
    monkeypatch.setattr(cli, "FULL_REPORT", Path("reports/validation-report.html"))
    # Neither the units family nor the suites produce these findings: their waivers are not judged.
    for args in (["family", "units"], ["all", "--no-suites", "--select", "units"], ["all", "--no-suites", "--ignore", "targets"]):
        result = invoke(*args, "--dataset", root, "--json", tmp_path / "part.json")
        assert result.exit_code == 0, result.output
        assert "stale" not in result.output and "partial run" in result.output
        data = json.loads((tmp_path / "part.json").read_text(encoding="utf-8"))
        assert data["stale_waivers"] == [] and data["counts"]["stale_waivers"] == 0
        assert data["run"]["scope"]["complete"] is False and "targets" not in data["run"]["scope"]["families"]
        assert Path("reports/validation-report.html").read_bytes() == before
    assert not Path("reports/validation-report.partial.html").exists()
    # The near miss: a full run does judge a waiver that matches nothing any more.
    rows = (root / "waivers.csv").read_text(encoding="utf-8") + "0123456789abcdef,units.count-as-share,old,steward,2026-01-01\n"
    (root / "waivers.csv").write_text(rows, encoding="utf-8")
    assert "1 stale waiver" in invoke("all", "--dataset", root, "--no-suites", "--no-report").output
    assert "1 stale waiver" in invoke("family", "units", "--dataset", root).output


def test_partial_run_with_previous_resolves_only_what_ran(tmp_path):
    root = plan(tmp_path)
    invoke("all", "--dataset", root, "--no-suites", "--no-report", "--json", tmp_path / "main.json")
    result = invoke("family", "units", "--dataset", root, "--previous", tmp_path / "main.json", "--json", tmp_path / "u.json")
    assert json.loads((tmp_path / "u.json").read_text(encoding="utf-8"))["resolved"] == []
    assert "0 resolved" in result.output


def test_select_and_ignore_by_rule_id_and_family(tmp_path):
    root = plan(tmp_path)
    def rules(*args):
        invoke("all", "--dataset", root, "--no-report", "--json", tmp_path / "s.json", *args)
        return {r["rule"] for r in json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))["rules"]}
    assert rules("--no-suites", "--select", "targets.flat") == {"targets.flat"}
    from checks.rules import RULES
    targets = {r.id for r in RULES if r.family == "targets"}
    assert rules("--no-suites", "--select", "targets", "--ignore", "targets.flat") == targets - {"targets.flat"}
    assert rules("--no-suites", "--select", "targets.flat,units") == {"targets.flat"} | {r.id for r in RULES if r.family == "units"}
    assert rules("--select", "suites.percent-range") == {"suites.percent-range"}
    bad = CliRunner().invoke(cli.main, ["all", "--dataset", str(root), "--select", "targets.nope"])
    assert bad.exit_code == 2 and "unknown rule or family targets.nope" in bad.output


# --- outputs as one set -------------------------------------------------------------------------

def test_unwritable_output_is_exit_2_in_one_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = invoke("all", "--dataset", plan(tmp_path), "--no-suites", "--no-report", "--junit", blocker / "j.xml")
    assert result.exit_code == 2 and "Traceback" not in result.output
    [line] = [text for text in result.output.splitlines() if text.strip()]
    assert "cannot write --junit" in line and "j.xml" in line
    same = CliRunner().invoke(cli.main, ["all", "--dataset", str(plan(tmp_path, "e")), "--no-suites", "--no-report",
                                         "--json", str(tmp_path / "x"), "--junit", str(tmp_path / "x")])
    assert same.exit_code == 2 and "two outputs name the same file" in same.output


def test_a_failing_output_leaves_every_previous_output_and_no_temporary_file(tmp_path, monkeypatch):
    import checks.outputs
    import checks.report_sarif
    out = tmp_path / "out"
    out.mkdir()
    previous = {"r.json": "previous", "r.xml": "previous", "r.sarif": "previous"}
    for name, text in previous.items():
        (out / name).write_text(text)
    args = ["all", "--dataset", plan(tmp_path), "--no-suites", "--no-report", "--json", out / "r.json", "--junit", out / "r.xml", "--sarif", out / "r.sarif"]
    # a renderer that fails (a bug): exit 3, nothing written
    with monkeypatch.context() as patch:
        patch.setattr(checks.report_sarif, "write_sarif", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))  # as check all calls it
        assert invoke(*args).exit_code == 3
    assert {p.name: p.read_text() for p in out.iterdir()} == previous
    # the disk refusing the third file after two were written: exit 2, the two temporary files removed
    real_chmod, calls = checks.outputs.os.chmod, []
    def failing_chmod(path, mode):
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_chmod(path, mode)
    monkeypatch.setattr(checks.outputs.os, "chmod", failing_chmod)
    result = invoke(*args)
    assert result.exit_code == 2 and "No space left on device" in result.output and len(calls) == 3
    assert {p.name: p.read_text() for p in out.iterdir()} == previous


SLOW_WRITER = textwrap.dedent("""
    import os, signal, sys, types
    # A shell that runs the suite in the background (`land.sh &`) starts it with SIGINT ignored, and
    # Python then keeps it ignored: restore Ctrl-C as a terminal gives it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    import checks.outputs as outputs
    ready = int(sys.argv[1])
    def stalled_fdopen(*args, **kwargs):
        handle = os.fdopen(*args, **kwargs)
        os.write(ready, b"writing")  # the first temporary file exists now: tell the test
        os.close(ready)
        sys.stdin.read()  # wait for an event that never comes (the test never writes): Ctrl-C ends it
        return handle
    # only checks.outputs sees the stalled fdopen (the loader opens files with os.fdopen too)
    outputs.os = types.SimpleNamespace(**{**{name: getattr(os, name) for name in dir(os)}, "fdopen": stalled_fdopen})
    import cli
    sys.argv = ["check"] + sys.argv[2:]
    cli.main()
""")


def test_ctrl_c_while_writing_exits_130_and_leaves_previous_outputs(tmp_path):
    """Waits on events, never on time: the run says through a pipe when it is writing, then waits
    on its standard input until the interrupt (a loaded machine only makes it slower). The run
    restores SIGINT's handler: under a backgrounded suite it inherits SIGINT ignored (the cause of
    the earlier 60 s timeouts)."""
    root = plan(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    for name in ("r.json", "r.xml"):
        (out / name).write_text("previous")
    ready_read, ready_write = os.pipe()
    process = subprocess.Popen([sys.executable, "-c", SLOW_WRITER, str(ready_write), "all", "--dataset", str(root), "--no-suites",
                                "--no-report", "--json", str(out / "r.json"), "--junit", str(out / "r.xml")],
                               cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               pass_fds=(ready_write,))
    os.close(ready_write)  # the run holds the only write end: end of file if it dies before writing
    try:
        with os.fdopen(ready_read, "rb") as ready:
            said = ready.read()  # blocks until the run is writing (or has ended)
        assert said == b"writing", process.communicate()
        assert any(p.name.endswith(".tmp") for p in out.iterdir())  # caught in the middle of writing
        process.send_signal(signal.SIGINT)
        returncode = process.wait(timeout=600)  # a safety net only: the interrupt ends the wait at once
        stderr = process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    assert returncode == 130, stderr
    assert "Traceback" not in stderr and "interrupted" in stderr
    assert {p.name: p.read_text() for p in out.iterdir()} == {"r.json": "previous", "r.xml": "previous"}


# --- check coverage -----------------------------------------------------------------------------

def test_coverage_subcommand_help_and_errors_without_traceback(tmp_path):
    help_text = CliRunner().invoke(cli.main, ["coverage", "--help"])
    assert help_text.exit_code == 0 and "DOCUMENT" in help_text.output
    unknown = CliRunner().invoke(cli.main, ["coverage", "nonsense", "--dataset", str(REPO / "datasets")])
    assert unknown.exit_code == 2 and "unknown document 'nonsense'" in unknown.output and "gz-plan" in unknown.output
    missing = CliRunner().invoke(cli.main, ["coverage", "gz-plan", "--dataset", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "documents.csv: file is missing" in missing.output
    for result in (help_text, unknown, missing):
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_coverage_subcommand_reports_an_unentered_number(tmp_path):
    root = build_dataset(tmp_path / "d", [indicator("water_good_share")], [
        observation("o1", "water_good_share", "95", role="baseline", period="2020", quote="2020年优良比例为95", line="1"),
    ], sources={"doc-a": "2020年优良比例为95\n2025年达到97%\n"})
    result = CliRunner().invoke(cli.main, ["coverage", "doc-a", "--dataset", str(root)])
    assert result.exit_code == 1 and "unaccounted" in result.output and "97" in result.output
    root_ok = build_dataset(tmp_path / "e", [indicator("water_good_share")], [
        observation("o1", "water_good_share", "95", role="baseline", period="2020", quote="2020年优良比例为95"),
    ])
    assert CliRunner().invoke(cli.main, ["coverage", "doc-a", "--dataset", str(root_ok)]).exit_code == 0


# --- configuration ------------------------------------------------------------------------------

def test_seed_toml_found_upward_sets_dataset_fail_on_and_outputs(tmp_path, monkeypatch):
    plan(tmp_path, "data")
    (tmp_path / "seed.toml").write_text('dataset = "data"\nfail-on = "warning"\njson = "out/seed.json"\nreport = "out/full.html"\n', encoding="utf-8")
    work = tmp_path / "sub" / "deeper"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    result = invoke("all")  # complete (suites too): the configured outputs are written
    assert result.exit_code == 1 and "at or above warning" in result.output
    assert (tmp_path / "out" / "seed.json").exists() and (tmp_path / "out" / "full.html").exists()
    # the command line wins; a partial run never writes the configured (complete run's) outputs
    (tmp_path / "out" / "seed.json").write_text("complete")
    assert invoke("all", "--no-suites", "--fail-on", "error", "--select", "units").exit_code == 0
    assert (tmp_path / "out" / "seed.json").read_text() == "complete"
    settings = invoke("settings")
    assert f"configuration: {tmp_path / 'seed.toml'}" in settings.output and "fail-on = 'warning'" in settings.output


def test_pyproject_tool_seed_and_bad_keys(tmp_path, monkeypatch):
    plan(tmp_path, "data")
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.seed]\ndataset = "data"\nformat = "github"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = invoke("all", "--no-suites", "--no-report")
    assert result.output.startswith("::error file=data/observations/doc-a.csv,line=3,")
    (tmp_path / "pyproject.toml").write_text('[tool.seed]\nfail_on = "warning"\n', encoding="utf-8")
    bad = CliRunner().invoke(cli.main, ["all"])
    assert bad.exit_code == 2 and "unknown key 'fail_on'" in bad.output and "pyproject.toml" in bad.output


def test_settings_shows_the_datasets_values_beside_the_defaults(tmp_path):
    root = plan(tmp_path)
    (root / "settings.toml").write_text("[plausibility]\nmax_ratio_share = 3.0\n", encoding="utf-8")
    result = invoke("settings", "--dataset", root)
    assert "[plausibility] max_ratio_share = 3.0   (default 2.0)" in result.output
    assert "[plausibility] max_ratio_other = 5.0\n" in result.output  # unchanged: no default shown beside it
    (root / "settings.toml").write_text("[plausibility]\nmax_ratio_sharee = 3.0\n", encoding="utf-8")
    bad = CliRunner().invoke(cli.main, ["settings", "--dataset", str(root)])
    assert bad.exit_code == 2 and "max_ratio_sharee" in bad.output


def test_a_closed_standard_output_ends_quietly(tmp_path):
    """`check all | head`: the reader goes away; no traceback and no 'cannot write an output' line
    (click's own quiet ending of a broken pipe), whether the pipe breaks at the first print or later."""
    breaking = ("import checks.terminal as terminal\n"
                "def closed(*args, **kwargs):\n    raise BrokenPipeError(32, 'Broken pipe')\n"
                "terminal.print_text = closed\nimport cli\ncli.main()")
    for code in (breaking, "import cli; cli.main()"):
        process = subprocess.Popen([sys.executable, "-c", code, "all", "--dataset", str(plan(tmp_path)), "--no-suites", "--no-report", "-v"],
                                   cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        process.stdout.close()
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=120) in (0, 1) and stderr == "", stderr
