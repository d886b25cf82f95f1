"""Tiny datasets for tests: each test owns its data.

`build_dataset` writes a complete dataset folder: one or more documents whose source text is
made from the observations' quotes (one quote per line, unless a source text is given), the
shipped units, a small region tree, and the indicators and observations given (defaults fill
the rest). Tests then break one thing at a time.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from checks.draft import write_csv  # a dataset table written as `check draft` writes one

SHIPPED = Path(__file__).resolve().parent.parent / "datasets"

REGIONS = [
    {"id": "jiangxi", "name": "江西省", "level": "province", "parent": ""},
    {"id": "ganzhou", "name": "赣州市", "level": "prefecture", "parent": "jiangxi"},
    {"id": "jian", "name": "吉安市", "level": "prefecture", "parent": "jiangxi"},
    {"id": "dayu", "name": "大余县", "level": "county", "parent": "ganzhou"},
]
INDICATOR_COLUMNS = ["id", "name", "printed_names", "unit", "direction", "quantity", "additive", "parent",
                     "share_part", "share_whole", "minuend", "subtrahend", "definition"]
OPTIONAL_INDICATOR_COLUMNS = ["target_limit"]  # written only when a test gives it
OBSERVATION_COLUMNS = ["id", "document", "indicator", "region", "scope", "period", "period_note", "role",
                       "value_printed", "unit_printed", "section", "line", "quote", "note"]
OPTIONAL_OBSERVATION_COLUMNS = ["basis", "table", "row_group", "row_label", "column_header"]  # written only when a test gives them
DOCUMENT_COLUMNS = ["id", "source_file", "sha256", "title", "issuer", "region", "kind", "as_of", "base_year"]
SCOPE_COLUMNS = ["id", "name", "printed_forms", "definition"]
OPTIONAL_DOCUMENT_COLUMNS = ["base_year_line", "base_year_quote"]  # written only when a test gives them


def indicator(id: str, unit: str = "percent", direction: str = "up", quantity: str = "share", additive: str = "false", **extra) -> dict:
    row = dict.fromkeys(INDICATOR_COLUMNS, "")
    row.update(id=id, name=extra.pop("name", id), unit=unit, direction=direction, quantity=quantity, additive=additive)
    row.update(extra)
    return row


def observation(id: str, indicator: str, value: str, *, quote: str | None = None, document: str = "doc-a", region: str = "ganzhou",
                period: str = "2025", role: str = "target", unit: str = "%", section: str = "text", **extra) -> dict:
    row = dict.fromkeys(OBSERVATION_COLUMNS, "")
    row.update(id=id, document=document, indicator=indicator, region=region, period=period, role=role,
               value_printed=value, unit_printed=unit, section=section, quote=quote or f"指标{indicator}为{value}")
    row.update(extra)
    return row


def build_dataset(root: Path, indicators: list[dict], observations: list[dict], *, sources: dict[str, str] | None = None,
                  documents: list[dict] | None = None, exclusions: list[dict] | None = None, waivers: list[dict] | None = None,
                  scopes: list[dict] | None = None) -> Path:
    """Write a dataset under `root`; returns `root`. Observation lines are filled in from the
    generated source unless given. `scopes`: rows of scopes.csv (none written when not given)."""
    root.mkdir(parents=True, exist_ok=True)
    observations = [dict(o) for o in observations]  # filled in below: never the caller's dicts
    doc_ids = sorted({o["document"] for o in observations} | {d["id"] for d in documents or []}) or ["doc-a"]
    sources = dict(sources or {})
    for doc in doc_ids:
        if doc not in sources:
            lines = []
            for obs in observations:
                if obs["document"] == doc:
                    if obs["quote"] not in lines:
                        lines.append(obs["quote"])
                    obs["line"] = obs["line"] or str(lines.index(obs["quote"]) + 1)
            sources[doc] = "\n".join(lines) + "\n"
    (root / "sources").mkdir(exist_ok=True)
    docs = []
    for doc in doc_ids:
        data = sources[doc].encode("utf-8")
        (root / "sources" / f"{doc}.txt").write_bytes(data)
        given = next((d for d in documents or [] if d["id"] == doc), {})
        docs.append({"id": doc, "source_file": f"{doc}.txt", "sha256": hashlib.sha256(data).hexdigest(), "title": f"文件{doc}",
                     "issuer": "赣州市", "region": "ganzhou", "kind": "plan", "as_of": "2023", "base_year": "", **given})
    optional_docs = [c for c in OPTIONAL_DOCUMENT_COLUMNS if any(c in d for d in docs)]
    write_csv(root / "documents.csv", [dict.fromkeys(optional_docs, "") | d for d in docs], DOCUMENT_COLUMNS + optional_docs)
    write_csv(root / "regions.csv", REGIONS, ["id", "name", "level", "parent"])
    shutil.copy(SHIPPED / "units.csv", root / "units.csv")
    optional_catalogue = [c for c in OPTIONAL_INDICATOR_COLUMNS if any(c in i for i in indicators)]
    write_csv(root / "indicators.csv", [dict.fromkeys(optional_catalogue, "") | i for i in indicators], INDICATOR_COLUMNS + optional_catalogue)
    for doc in doc_ids:
        optional = [c for c in OPTIONAL_OBSERVATION_COLUMNS if any(c in o for o in observations)]
        rows = [dict.fromkeys(optional, "") | o for o in observations if o["document"] == doc]
        write_csv(root / "observations" / f"{doc}.csv", rows, OBSERVATION_COLUMNS + optional)
    write_csv(root / "exclusions.csv", exclusions or [], ["document", "line", "printed", "reason"])
    write_csv(root / "waivers.csv", waivers or [], ["fingerprint", "rule", "reason", "who", "when"])
    if scopes is not None:
        write_csv(root / "scopes.csv", [{"definition": "", **s} for s in scopes], SCOPE_COLUMNS)
    return root


def baseline_and_target(root: Path, baseline: str, target: str, indicator_id: str = "coverage_rate") -> Path:
    """A dataset of one indicator: its 2020 baseline (o1) and its 2025 target (o2)."""
    return build_dataset(root, [indicator(indicator_id)], [
        observation("o1", indicator_id, baseline, role="baseline", period="2020"),
        observation("o2", indicator_id, target, role="target", period="2025"),
    ])


def run_rules(root: Path, families: list[str] | None = None):
    """Load the dataset and run the rules (of some families): (findings, summaries by rule id)."""
    from checks.dataset import load
    from checks.engine import Context, run
    from checks.rules import RULES

    selected = [r for r in RULES if families is None or r.family in families]
    findings, summaries = run(Context(load(root)), selected)
    return findings, {s.rule: s for s in summaries}


def fired(findings, rule_id: str) -> list[set[str]]:
    """The observation ids of each finding of one rule, as sets (order-free)."""
    return sorted(({o["id"] for o in f.observations} for f in findings if f.rule == rule_id), key=sorted)
