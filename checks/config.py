"""Configuration discovery: `[tool.seed]` in a pyproject.toml, or a `seed.toml`, found upward from
the working directory (the nearest wins; in one folder seed.toml before pyproject.toml).

It sets what a project would otherwise repeat on every command line: the dataset path, the
failing severity, the standard-output format, and where a complete run (`check all`) writes its
report and other outputs. Command-line options always win; paths are relative to the file's folder.
A partial run never writes the configured outputs (they are the complete run's).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import click

# key in the file → (parameter name, commands it applies to, allowed values or None for a path)
KEYS = {
    "dataset": ("dataset_dir", ("all", "family", "suites", "schemas", "settings", "coverage", "export", "draft"), None),
    "fail-on": ("fail_on", ("all", "family", "suites"), ("error", "warning", "info", "never")),
    "format": ("output_format", ("all", "family", "suites"), ("text", "json", "github")),
    "report": ("report", ("all",), None),
    "json": ("json_path", ("all",), None),
    "junit": ("junit_path", ("all",), None),
    "sarif": ("sarif_path", ("all",), None),
    "markdown": ("markdown_path", ("all",), None),
}
OUTPUT_PARAMETERS = {"report", "json_path", "junit_path", "sarif_path", "markdown_path"}


@dataclass
class Config:
    source: Path | None = None
    values: dict = field(default_factory=dict)  # file key → value (paths resolved against the file's folder)

    @property
    def full_report(self) -> Path | None:
        return self.values.get("report")

    def default_map(self) -> dict:
        commands: dict[str, dict] = {}
        for key, value in self.values.items():
            parameter, applies, _ = KEYS[key]
            for command in applies:
                commands.setdefault(command, {})[parameter] = value
        return commands

    def describe(self) -> list[tuple[str, object]]:
        return [(key, str(value) if isinstance(value, Path) else value) for key, value in self.values.items()]


def find(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        if (folder / "seed.toml").is_file():
            return folder / "seed.toml"
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and "seed" in (_read(pyproject).get("tool") or {}):
            return pyproject
    return None


def discover(start: Path) -> Config:
    path = find(Path(start).resolve())
    if path is None:
        return Config()
    data = _read(path)
    table = (data.get("tool") or {}).get("seed") if path.name == "pyproject.toml" else data
    where = f"{path}" + (" [tool.seed]" if path.name == "pyproject.toml" else "")
    if not isinstance(table, dict):
        raise click.UsageError(f"{where}: [tool.seed] must be a table")
    values = {}
    for key, value in table.items():
        if key not in KEYS:
            raise click.UsageError(f"{where}: unknown key {key!r}; known: {', '.join(KEYS)}")
        allowed = KEYS[key][2]
        if not isinstance(value, str) or not value:
            raise click.UsageError(f"{where}: {key} must be a non-empty string")
        if allowed is not None and value not in allowed:
            raise click.UsageError(f"{where}: {key} = {value!r} is not one of {', '.join(allowed)}")
        values[key] = value if allowed is not None else _relative(path.parent / value)
    return Config(path, values)


def _relative(path: Path) -> Path:
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise click.UsageError(f"{path}: not a readable TOML file: {exc}") from None
