"""The report model: one typed description of a run that every output renders.

Terminal, JSON, JUnit, SARIF, Markdown, GitHub annotations and the HTML report all read a
`Report`; `--previous` reads one back. Its JSON Schema is generated from these classes into
schemas/report.schema.json (a test keeps the committed file equal to the generated one).

`schema_version` is MAJOR.MINOR: a field added compatibly bumps the minor, a field removed or
changed in meaning bumps the major; a reader accepts its own major up to its own minor.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal, TextIO, cast, overload

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.dataclasses import dataclass

from checks import json_text
from checks.findings import FailOn, FindingFields, Severity, Status  # one definition, shared with the engine

SCHEMA_VERSION = "1.0"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "report.schema.json"
SCHEMA_ID = "https://seed.invalid/schemas/report.schema.json"



class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Tool(_Model):
    name: Literal["seed"] = "seed"
    version: str


class Scope(_Model):
    """What ran: a complete run (`check all`) or a part of it."""

    complete: bool = Field(description="true only when every rule family and the suites ran (nothing selected away)")
    families: list[str] = Field(description="rule families that ran, 'suites' included when the GE suites ran")
    rules: int = Field(description="how many rules (and suites) ran")
    select: list[str] = Field(default_factory=list, description="--select as given (rule ids or families)")
    ignore: list[str] = Field(default_factory=list, description="--ignore as given (rule ids or families)")


class Run(_Model):
    started: str = Field(description="ISO 8601, UTC")
    seconds: float
    hostname: str
    fail_on: FailOn
    new_only: bool
    compared_with_previous: bool
    failing: int = Field(description="how many findings fail the run (unwaived, at or above fail_on; only new ones with new_only)")
    scope: Scope


class SeverityCount(_Model):
    unwaived: int
    waived: int


class Counts(_Model):
    """The one set of counts every output shows: unwaived and waived findings per severity."""

    error: SeverityCount
    warning: SeverityCount
    info: SeverityCount
    new: int = Field(description="unwaived findings not in the previous run (0 without --previous)")
    resolved: int
    stale_waivers: int
    failing: int


class DatasetInfo(_Model):
    path: str
    fingerprint: str
    observations: int
    indicators: int
    documents: int


class DocumentSummary(_Model):
    id: str
    title: str
    region: str
    kind: str
    as_of: str
    source_file: str
    observations: int
    findings: dict[Severity, int] = Field(description="unwaived findings per severity")
    waived: int = 0


class RuleResult(_Model):
    rule: str
    family: str
    severity: Severity
    summary: str
    checked: int
    passed: int
    failed: int = Field(description="violations found, waived ones included")
    waived: int
    unwaived: int
    undecided: int
    undecided_reasons: dict[str, int]
    crashed: bool
    seconds: float = Field(default=0.0, description="wall-clock seconds the rule took")
    cpu_seconds: float = Field(default=0.0, description="CPU seconds (user and system) of the process while the rule ran; "
                                                        "on a distributed engine, summed over the partitions")

    @classmethod
    def count(cls, rule: str, family: str, severity: Severity, summary: str, checked: int, failed: int, undecided: int,
              undecided_reasons: dict[str, int], crashed: bool = False, seconds: float = 0.0, waived: int = 0,
              cpu_seconds: float = 0.0) -> RuleResult:
        """A rule's result from what it counted (the engine's record of a rule, and the report's row
        once `waived` is known): passed and unwaived follow."""
        return cls(rule=rule, family=family, severity=severity, summary=summary, checked=checked, passed=max(checked - failed, 0),
                   failed=failed, waived=waived, unwaived=max(failed - waived, 0), undecided=undecided,
                   undecided_reasons=undecided_reasons, crashed=crashed, seconds=seconds, cpu_seconds=cpu_seconds)


class ObservationRef(_Model):
    model_config = ConfigDict(extra="allow")

    id: str
    document: str
    line: int
    section: str
    indicator: str
    indicator_name: str
    region: str
    scope: str
    period: str
    role: str
    value_printed: str
    unit_printed: str
    quote: str
    figure_in_quote: list[int] | None = None
    file: str
    file_line: int


class Waiver(BaseModel):
    model_config = ConfigDict(extra="allow")

    fingerprint: str
    rule: str
    reason: str = ""
    who: str = ""
    when: str = ""


class Location(_Model):
    """Where a finding is shown: the observation's CSV row, or the source line (path relative to
    the working directory when it lies below it)."""

    file: str
    line: int | None = None


# A finding as the report publishes it: the run's fields (findings.FindingFields, declared there
# once) with its observations and waiver typed, where it is shown and whether it fails the run. A
# pydantic dataclass, since a model cannot extend a dataclass; no docstring, it would enter the schema.
@dataclass(config=ConfigDict(extra="forbid"))
class Finding(FindingFields[ObservationRef, Waiver]):
    observations: list[ObservationRef]  # the parameters again: pydantic reads the fields, not the generic's arguments
    status: Status = Field()  # required in the report (the run's record starts "open")
    waiver: Waiver | None = None
    location: Location | None = None
    fails: bool = Field(description="whether this finding fails the run", kw_only=True)

    def where(self) -> str:
        """`path:line` (or `path`) of the finding's location, as editors and CI systems link it."""
        if not self.location:
            return self.document or ""
        return self.location.file + (f":{self.location.line}" if self.location.line else "")


FINDING = TypeAdapter(Finding)  # dumps one finding as the report holds it (Report.write_json)


class Resolved(_Model):
    fingerprint: str
    rule: str
    severity: Severity
    message: str


class SuiteExpectation(_Model):
    model_config = ConfigDict(extra="allow")

    suite: str
    expectation: str
    column: str
    success: bool
    details: str
    description: str = Field("", description="the expectation's arguments in words")
    severity: Severity | None = Field(None, description="the severity of a failure of this expectation")


class SchemaTable(_Model):
    table: str
    rows: int
    status: Literal["passed"]


class SeriesPoint(_Model):
    id: str
    year: int
    role: str
    value: float | None
    lower: float | None
    upper: float | None
    printed: str


class Series(_Model):
    model_config = ConfigDict(extra="allow")

    document: str
    indicator: str
    name: str
    region: str
    scope: str
    direction: str
    unit: str
    unit_name: str = ""
    points: list[SeriesPoint]


class SettingUsed(_Model):
    """A threshold the run used: the dataset's value beside its default."""

    model_config = ConfigDict(extra="allow")

    section: str
    key: str
    value: Any
    default: Any
    meaning: str = ""


class Report(_Model):
    schema_version: str = Field(SCHEMA_VERSION, pattern=r"^\d+\.\d+$")
    tool: Tool
    run: Run
    dataset: DatasetInfo
    counts: Counts
    documents: list[DocumentSummary]
    rules: list[RuleResult]
    findings: list[Finding]
    resolved: list[Resolved]
    stale_waivers: list[Waiver]
    suites: list[SuiteExpectation]
    schemas: list[SchemaTable]
    series: list[Series]
    settings: list[SettingUsed] = Field(default_factory=list, description="the thresholds the run used")

    @classmethod
    def of_run(cls, envelope: dict, findings: list[dict]) -> Report:
        """A run's report: the envelope validated; the findings are the engine's, already in their
        JSON form (plain values, the model's fields in its order), kept so and typed only when an
        output reads them as models (FindingsOnUse). `check --debug` compares them with the model."""
        report = cls.model_validate({**envelope, "findings": []})
        report.__dict__["findings"] = FindingsOnUse(findings)
        return report

    def finding_dicts(self) -> Iterable[dict]:
        """Each finding in its JSON form (what model_dump(mode="json") gives)."""
        findings = self.findings
        return findings.data if isinstance(findings, FindingsOnUse) else (FINDING.dump_python(f, mode="json") for f in findings)

    def json_dict(self) -> dict:
        if not isinstance(self.findings, FindingsOnUse):
            return self.model_dump(mode="json")
        envelope = self.model_dump(mode="json", exclude={"findings"})
        return {name: list(self.findings.data) if name == "findings" else envelope[name] for name in type(self).model_fields}

    def to_text(self) -> str:
        out = io.StringIO()
        self.write_json(out)
        return out.getvalue()

    def write_json(self, out: TextIO) -> None:
        """The report as JSON text (indented by one space, UTF-8 as written), finding by finding:
        the text of a run with 100,000 findings is never held whole."""
        envelope = self.model_dump(mode="json", exclude={"findings"})
        for k, name in enumerate(type(self).model_fields):
            out.write(("{\n " if k == 0 else ",\n ") + json.dumps(name, ensure_ascii=False) + ": ")
            if name != "findings":
                out.write(json_text.dumps(envelope[name], 1))
            elif not self.findings:
                out.write("[]")
            else:
                for i, finding in enumerate(self.finding_dicts()):
                    out.write(("[\n  " if i == 0 else ",\n  ") + json_text.dumps(finding, 2))
                out.write("\n ]")
        out.write("\n}\n")

    def failing(self) -> list[Finding]:
        findings = self.findings
        if isinstance(findings, FindingsOnUse):  # only the failing ones typed
            return [findings[k] for k, f in enumerate(findings.data) if f["fails"]]
        return [f for f in findings if f.fails]


class FindingsOnUse(Sequence[Finding]):
    """A run's findings in their JSON form, each typed (validated as a Finding) when an output first
    reads it as a model: the JSON and the HTML report read the JSON form, the terminal types only
    the failing findings, so a run with 100,000 findings does not build 100,000 models to print ten.
    Read-only; slicing gives a list."""

    def __init__(self, data: list[dict]):
        self.data = data
        self._typed: list[Finding | None] = [None] * len(data)
        self._all = not data

    def __len__(self) -> int:
        return len(self.data)

    @overload
    def __getitem__(self, index: int) -> Finding: ...

    @overload
    def __getitem__(self, index: slice) -> list[Finding]: ...

    def __getitem__(self, index: int | slice) -> Finding | list[Finding]:
        if isinstance(index, slice):
            return [self[k] for k in range(*index.indices(len(self.data)))]
        typed = self._typed[index]
        if typed is None:
            typed = self._typed[index] = FINDING.validate_python(self.data[index])
        return typed

    def __iter__(self) -> Iterator[Finding]:
        if not self._all:  # all at once: one validation of the list is faster than one per finding
            missing = [k for k, typed in enumerate(self._typed) if typed is None]
            for k, typed in zip(missing, _findings_adapter().validate_python([self.data[k] for k in missing]), strict=True):
                self._typed[k] = typed
            self._all = True
        return iter(cast(list[Finding], self._typed))


@cache
def _findings_adapter() -> TypeAdapter[list[Finding]]:
    return TypeAdapter(list[Finding])


def json_schema() -> dict:
    schema = Report.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "Seed report", "description": (__doc__ or "").split("\n\n")[0].strip(), **schema}


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


class NotAReport(ValueError):
    """A file that is not a Seed report of a version this Seed reads."""


def _readable(version: str) -> bool:
    """Same major, and a minor no newer than ours (a newer minor may carry fields we do not know)."""
    try:
        major, minor = (int(p) for p in version.split("."))
    except ValueError:
        return False
    own_major, own_minor = (int(p) for p in SCHEMA_VERSION.split("."))
    return major == own_major and minor <= own_minor


def validate_report(data: dict) -> Report:
    """A saved report (e.g. `--previous`) as the model, or NotAReport saying why in one line."""
    if not isinstance(data, dict) or not isinstance(data.get("tool"), dict) or data["tool"].get("name") != "seed":
        raise NotAReport("not a Seed report (no tool.name 'seed')")
    version = data.get("schema_version")
    if not isinstance(version, str):
        raise NotAReport(f"a Seed report without schema_version (written by Seed {data['tool'].get('version', '?')} "
                         f"before reports were versioned); this Seed reads schema {SCHEMA_VERSION}: re-run that check with this version")
    if not _readable(version):
        raise NotAReport(f"report schema {version}, this Seed reads schema {SCHEMA_VERSION}: re-run that check with this version")
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise NotAReport(f"does not match the report schema {SCHEMA_VERSION}: {where}: {first['msg']} "
                         f"({exc.error_count()} problem(s))") from None
