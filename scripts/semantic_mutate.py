"""Semantic mutation test: contradictions written into the sources and the dataset together.

Copies the dataset to a temporary folder and, one mutant at a time, changes a source line and
the dataset alike — a figure, a unit, a period or a wording, with every quote that covers the
edited text rewritten and the document's sha256 updated — so that provenance and coverage stay
clean and only a consistency rule can see the change. Each mutant is checked for that: one that
makes provenance or coverage fire is counted as invalid (a bug of this script), never as caught.

One class of mutants per class of contradiction (a figure printed twice, part against whole,
units of the wrong dimension, broken arithmetic, targets against what came before, periods out of
order, approximate targets, units against headers, year slips, scope slips); a mutant is caught when a new
error or warning appears (or the input is rejected). Negative controls must raise no new error:
a figure moved within its rounding, 左右 added to a target, a year changed so that two figures
are no longer the same figure, a scope entered in another of its printed forms. Candidates are chosen from the parsed observations by role, kind
and pairing — never by indicator, document or region.

    .venv/bin/python scripts/semantic_mutate.py [--dataset datasets] [--per-class 8] [--seed 7] [--only CLASS] [--verbose]

Prints one row per class: mutants made, caught, invalid, catch rate (controls: false errors).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checks import pairs as series_pairs
from checks.dataset import load
from checks.engine import Context, run
from checks.errors import InputError
from checks.grammar import fold
from checks.rules import (
    RULES,
    derived,
    growth,
    part_whole,
    same_figure,
    scopes,
    targets,
)

SOURCE_FAMILIES = {"provenance", "coverage"}
NUMBER = re.compile(r"\d+(?:\.\d+)?")
CONTROLS = ("control: within rounding", "control: 左右 added", "control: year moved apart", "control: scope in another printed form")


@dataclass
class Mutant:
    kind: str
    obs: str  # the observation the mutation is about
    edit: tuple[int, int, str] | None = None  # (start, end, new text) in the raw source of obs's document
    data: dict[str, dict[str, str]] = field(default_factory=dict)  # observation id → {column: new value}


# --- printed numbers -----------------------------------------------------------------------------

def decimals(printed: str) -> int:
    match = NUMBER.search(printed)
    return len(match.group().partition(".")[2]) if match else 0


def with_number(printed: str, number: float, places: int | None = None) -> str | None:
    """`printed` with its first number replaced by `number` (at its own precision unless given)."""
    match = NUMBER.search(printed)
    if not match or number < 0:
        return None
    places = decimals(printed) if places is None else places
    text = f"{number:.{places}f}"
    return None if text == match.group() else printed[: match.start()] + text + printed[match.end():]


def scaled(row, target_value: float, places: int | None = None) -> str | None:
    """row's printed value rewritten so that its value (in the catalogue unit) becomes target_value."""
    if not row.value or not np.isfinite(row.value) or not row.number:
        return None
    return with_number(row.value_printed, target_value * row.number / row.value, places)


# --- the dataset in memory ------------------------------------------------------------------------

class Workspace:
    """The dataset copied once; each mutant writes only what it changes, then restores it."""

    def __init__(self, dataset: Path, scratch: Path):
        self.root = scratch / "dataset"
        shutil.copytree(dataset, self.root)
        self.frames = {p: pd.read_csv(p, dtype=str, keep_default_na=False) for p in sorted((self.root / "observations").glob("*.csv"))}
        for path, frame in self.frames.items():
            frame.to_csv(path, index=False)  # the baseline is the rewritten files, byte for byte what mutants write
        self.documents = pd.read_csv(self.root / "documents.csv", dtype=str, keep_default_na=False)
        self.documents.to_csv(self.root / "documents.csv", index=False)
        self.sources = {d.id: (self.root / "sources" / d.source_file).read_bytes().decode("utf-8") for d in self.documents.itertuples()}
        self.file_of = {obs_id: path for path, frame in self.frames.items() for obs_id in frame["id"]}
        self.context = Context(load(self.root))

    def findings(self) -> tuple[set[tuple[str, str, str, str]], bool]:
        """(fingerprint, family, severity, message) of every finding, and whether the input was
        rejected. The message is part of what identifies a finding here: a finding that already
        stood on a figure and now reports the mutated value is a new finding about the mutant."""
        try:
            found, _ = run(Context(load(self.root)), RULES)
        except InputError:
            return set(), True
        return {(f.fingerprint, f.family, f.severity, f.message) for f in found}, False

    def apply(self, mutant: Mutant) -> bool:
        """Write the mutant; False when it cannot be written consistently (nothing is written)."""
        data = {k: dict(v) for k, v in mutant.data.items()}
        source_doc = None
        if mutant.edit:
            source_doc = self.context.by_id.loc[mutant.obs, "document"]
            if not self._rewrite_quotes(source_doc, mutant.edit, data):
                return False
        touched = set()
        for obs_id, columns in data.items():
            path = self.file_of[obs_id]
            frame = self.frames[path].copy() if path not in touched else self._pending[path]
            mask = frame["id"] == obs_id
            for column, value in columns.items():
                frame.loc[mask, column] = value
            self._pending = getattr(self, "_pending", {})
            self._pending[path] = frame
            touched.add(path)
        for path in touched:
            self._pending[path].to_csv(path, index=False)
        self._touched = touched
        self._source_doc = source_doc
        if source_doc is not None:
            start, end, text = mutant.edit
            raw = self.sources[source_doc]
            self._write_source(source_doc, raw[:start] + text + raw[end:])
        return True

    def restore(self) -> None:
        for path in getattr(self, "_touched", ()):
            self.frames[path].to_csv(path, index=False)
        if getattr(self, "_source_doc", None) is not None:
            self._write_source(self._source_doc, self.sources[self._source_doc])
        self._touched, self._source_doc, self._pending = set(), None, {}

    def _write_source(self, doc: str, text: str) -> None:
        row = self.documents["id"] == doc
        name = self.documents.loc[row, "source_file"].iloc[0]
        data = text.encode("utf-8")
        (self.root / "sources" / name).write_bytes(data)
        documents = self.documents.copy()
        documents.loc[row, "sha256"] = hashlib.sha256(data).hexdigest()
        documents.to_csv(self.root / "documents.csv", index=False)

    def _rewrite_quotes(self, doc: str, edit: tuple[int, int, str], data: dict) -> bool:
        """Every quote of `doc` that covers the edited text gets the same edit; a quote that covers
        part of it, or a figure that overlaps it without being it, makes the mutant unwritable."""
        start, end, text = edit
        raw = self.sources[doc]
        compact_before = np.cumsum([not ch.isspace() for ch in raw])  # non-space characters up to and including i
        def cidx(offset: int) -> int:
            return int(compact_before[offset - 1]) if offset > 0 else 0
        e_start, e_len = cidx(start), len("".join(raw[start:end].split()))
        obs = self.context.obs[self.context.obs["document"] == doc]
        located = self.context.located_by_id
        for row in obs.itertuples(index=False):
            where = located.loc[row.id]
            if not where["figure_found"]:
                continue
            f_start, f_end = int(where["figure_start"]), int(where["figure_end"])
            compact_quote = "".join(str(row.quote).split())
            position = compact_quote.rfind("".join(str(row.value_printed).split()))
            q_start = cidx(f_start) - position
            q_end = q_start + len(compact_quote)
            if e_start + e_len <= q_start or e_start >= q_end:
                continue  # the quote does not reach the edit
            if not (q_start <= e_start and e_start + e_len <= q_end):
                return False
            kept = [i for i, ch in enumerate(str(row.quote)) if not ch.isspace()]
            offset = e_start - q_start
            raw_start, raw_end = kept[offset], kept[offset + e_len - 1] + 1
            data.setdefault(row.id, {})["quote"] = str(row.quote)[:raw_start] + text + str(row.quote)[raw_end:]
            if (f_start, f_end) == (start, end):
                data[row.id].setdefault("value_printed", text)
            elif f_start < end and start < f_end and "value_printed" not in data.get(row.id, {}):
                return False  # an edit inside another figure that the mutant does not rewrite
        return True


# --- candidates per class ------------------------------------------------------------------------

def figure_edit(ws: Workspace, obs_id: str, new_value: str, kind: str, extra: dict | None = None) -> Mutant | None:
    """A mutant that reprints obs_id's figure (source and dataset alike)."""
    where = ws.context.located_by_id.loc[obs_id]
    if not where["figure_found"] or new_value is None:
        return None
    data = {obs_id: {"value_printed": new_value, **(extra or {})}}
    return Mutant(kind, obs_id, (int(where["figure_start"]), int(where["figure_end"]), new_value), data)


def data_edit(obs_id: str, kind: str, **columns: str) -> Mutant:
    return Mutant(kind, obs_id, None, {obs_id: columns})


def worse_number(value: float, direction: str, factor: float) -> float:
    return value * factor if direction == "up" else value / factor


def candidates(ws: Workspace) -> dict[str, list[Mutant]]:
    ctx = ws.context
    obs = ctx.obs.set_index("id", drop=False)
    made: dict[str, list[Mutant]] = defaultdict(list)

    def add(kind: str, mutant: Mutant | None) -> None:
        if mutant is not None:
            made[kind].append(mutant)

    points = obs["numeric"] & (obs["kind"] == "point") & (obs["value"] > 0)

    # a figure printed twice: one side reprinted ×1.3
    pairs = same_figure.pairs(ctx)
    ids = same_figure.shown(ctx, pairs, ["id"])  # (the pairs hold positions, not ids)
    pairs = pairs.assign(id=ids["id"].to_numpy(), b_id=ids["b_id"].to_numpy())
    for p in pairs[pairs["numeric"] & pairs["b_numeric"]].itertuples(index=False):
        row = obs.loc[p.id]
        if points[p.id]:  # above the other side, or below it where that side is a floor (超过126万亿元 stays met above)
            factor = 0.7 if not np.isfinite(p.b_upper) else 1.3
            add("same figure, two places", figure_edit(ws, p.id, scaled(row, row.value * factor), "same figure, two places"))

    # part against whole: a part reprinted at 1.5× its whole
    levels = part_whole.levels(ctx)
    wholes = levels.add_prefix("w_")
    sub = levels[levels["parent_indicator"] != ""].merge(
        wholes, left_on=["parent_indicator", "region", *part_whole.SAME_FIGURE],
        right_on=["w_indicator", "w_region", *[f"w_{c}" for c in part_whole.SAME_FIGURE]])
    regional = levels[levels["additive"]].merge(part_whole.ancestors(ctx.dataset.regions), on="region").merge(
        wholes, left_on=["indicator", "ancestor", *part_whole.SAME_FIGURE],
        right_on=["w_indicator", "w_region", *[f"w_{c}" for c in part_whole.SAME_FIGURE]])
    for p in pd.concat([sub, regional], ignore_index=True).itertuples(index=False):
        if points.get(p.id, False) and np.isfinite(p.w_upper):
            add("part against whole", figure_edit(ws, p.id, scaled(obs.loc[p.id], p.w_upper * 1.5), "part against whole"))

    # units of the wrong dimension: the unit printed right after a text figure
    units = ctx.dataset.unit_table
    for row in obs[(obs["section"] == "text") & points & ~obs["is_change"] & (obs["unit_printed"] != "")].itertuples(index=False):
        where = ctx.located_by_id.loc[row.id]
        raw = ws.sources[row.document]
        end = int(where["figure_end"])
        printed_unit = row.unit_printed
        if row.value_printed.endswith(printed_unit):
            start, new_unit = end - len(printed_unit), ("万千瓦" if row.unit_dimension == "share" else "%")
        elif raw[end:end + len(printed_unit)] == printed_unit:
            start, end, new_unit = end, end + len(printed_unit), ("万千瓦" if row.unit_dimension == "share" else "%")
        else:
            continue
        if units.resolve(new_unit) is None:
            continue
        data = {row.id: {"unit_printed": new_unit}}
        if row.value_printed.endswith(printed_unit):
            data[row.id]["value_printed"] = row.value_printed[: -len(printed_unit)] + new_unit
        add("units of the wrong dimension", Mutant("units of the wrong dimension", row.id, (start, end, new_unit), data))

    # broken arithmetic: a share of a total that another share or the total pins, a growth that links two levels
    implied = derived.implied_totals(ctx)
    implied = implied.assign(id=derived.printed_at(ctx, "id", implied["at"]))  # each share's id (the pairing carries where it stands)
    group = implied.groupby(["share_whole", *derived.PLACE])["id"].transform("count")
    for p in implied[group >= 2].itertuples(index=False):
        add("broken arithmetic", figure_edit(ws, p.id, with_number(obs.loc[p.id, "value_printed"], obs.loc[p.id, "number"] * 1.1), "broken arithmetic"))
    linked = growth.implied_previous(ctx)
    linked = linked[linked["reason"] == ""]
    status = ctx.obs[(ctx.obs["role_class"] == "status") & ctx.obs["numeric"]]
    linked = linked.merge(status[["period_key", *growth.SERIES]].drop_duplicates(), left_on=["previous", *growth.SERIES],
                          right_on=["period_key", *growth.SERIES], suffixes=("", "_e"))
    for c_id in linked["c_id"].unique():
        row = obs.loc[c_id]
        if row.kind == "point" and row.number:
            add("broken arithmetic", figure_edit(ws, c_id, with_number(row.value_printed, abs(row.number) * 2 + 1), "broken arithmetic"))

    # targets against what came before
    decided, _ = series_pairs.comparable(series_pairs.baseline_pairs(ctx))
    for p in decided.itertuples(index=False):
        row = obs.loc[p.id]
        if p.kind == "point" and p.b_kind == "point" and np.isfinite(p.b_value) and p.b_value > 0:
            outside = p.b_lower if p.direction == "up" else p.b_upper  # beyond the earlier figure's printed precision
            add("target worse than the figure before it",
                figure_edit(ws, p.id, scaled(row, worse_number(outside, p.direction, 0.8)), "target worse than the figure before it"))
            centre = p.b_value - 0.4 if row.unit_dimension == "share" else worse_number(p.b_value, p.direction, 0.99)
            if p.direction == "down" and row.unit_dimension == "share":
                centre = p.b_value + 0.4
            printed = scaled(row, centre, max(1, decimals(row.value_printed)))
            add("approximate target centred worse", figure_edit(ws, p.id, printed and printed + "左右", "approximate target centred worse"))
        if p.b_kind in targets.BOUND_KINDS and p.kind in ("point", "floor", "ceiling") and np.isfinite(p.b_value):
            add("weak target against a bound baseline",
                figure_edit(ws, p.id, scaled(row, worse_number(p.b_value, p.direction, 0.55)), "weak target against a bound baseline"))
    later, _ = series_pairs.comparable(series_pairs.target_pairs(ctx))
    for p in later[later["kind"].isin(targets.BOUND_KINDS) & later["b_kind"].isin(["point", "floor", "ceiling"])].itertuples(index=False):
        if (p.direction, p.kind) in (("up", "floor"), ("down", "ceiling")):
            add("later bound weaker than an earlier target",
                figure_edit(ws, p.id, scaled(obs.loc[p.id], worse_number(p.b_value, p.direction, 0.7)), "later bound weaker than an earlier target"))

    # periods out of order
    own = ctx.obs[ctx.obs["role"] == "target"].merge(
        ctx.obs[ctx.obs["role"] == "baseline"][["document", *series_pairs.SERIES, "year"]].rename(columns={"year": "b_year"}),
        on=["document", *series_pairs.SERIES])
    for p in own.drop_duplicates("id").itertuples(index=False):
        if p.period_note == "" and len(p.period) == 4:
            add("target dated on or before its baseline", data_edit(p.id, "target dated on or before its baseline", period=str(int(p.b_year) - 1)))
    as_of = ctx.dataset.documents.set_index("id")["as_of"].str[:4]
    for row in obs[obs["role"].isin(["baseline", "actual"]) & (obs["period_note"] == "") & (obs["period"].str.len() == 4)].itertuples(index=False):
        add("status dated after its document", data_edit(row.id, "status dated after its document", period=str(int(as_of[row.document]) + 1)))

    # units against their headers: a sub-row's unit changed to another dimension (label and entered unit);
    # a rate's (%) taken out of its row label (and the unit entered from it)
    label_unit = re.compile(r"([（(])\s*([^（）()]+?)\s*([）)])\s*$")
    for (doc, line, label, group), cells in obs[(obs["section"] == "table") & (obs["row_label"] != "")].groupby(
            ["document", "line", "row_label", "row_group"], sort=False):
        match = label_unit.search(label)
        if not match or units.resolve(match.group(2)) is None:
            continue
        raw = ws.sources[doc]
        line_start = sum(len(text) + 1 for text in raw.split("\n")[: int(line) - 1])
        at = raw.find(label, line_start)
        if at < 0 or raw.count("\n", line_start, at):
            continue
        unit_start, unit_end = at + match.start(2), at + match.end(2)
        group_match = label_unit.search(group) if group else None
        group_unit = units.resolve(group_match.group(2)) if group_match else None
        if group_unit is not None and group_unit.dimension == units.resolve(match.group(2)).dimension:  # a consistent sub-row
            new_unit = "千克" if units.resolve(match.group(2)).dimension != "mass" else "%"
            data = {i: {"row_label": label[: match.start(2)] + new_unit + label[match.end(2):],
                        **({"unit_printed": new_unit} if obs.loc[i, "unit_printed"] == match.group(2) else {})} for i in cells["id"]}
            add("sub-row unit against its group", Mutant("sub-row unit against its group", cells["id"].iloc[0], (unit_start, unit_end, new_unit), data))
        elif not group and units.resolve(match.group(2)).dimension == "share" and (cells["quantity"].isin(["share", "rate"])).all():
            start, end = at + match.start(1), at + match.end(3)
            data = {i: {"row_label": label[: match.start(1)] + label[match.end(3):],
                        **({"unit_printed": ""} if obs.loc[i, "unit_printed"] == match.group(2) else {})} for i in cells["id"]}
            add("rate printed with no unit", Mutant("rate printed with no unit", cells["id"].iloc[0], (start, end, ""), data))

    # year slips: a table cell entered for another year than its column header; a text figure for
    # another year than the one its sentence names
    for row in obs[(obs["section"] == "table") & (obs["column_header"] != "") & (obs["period"].str.len() == 4)].itertuples(index=False):
        add("table cell against its column header", data_edit(row.id, "table cell against its column header", period=str(int(row.period) + 3)))
    for row in obs[(obs["section"] == "text") & (obs["period"].str.len() == 4)].itertuples(index=False):
        if re.search(rf"{row.period}\s*年", str(row.quote)):
            add("text figure against the year it names", data_edit(row.id, "text figure against the year it names", period=str(int(row.period) - 1)))

    # scope slips: a figure whose row label or sentence prints one scope entered for another scope
    # (one that neither is nor narrows it); control: the same scope entered in another of its forms
    printed = scopes.where_printed(ctx)
    printed = printed[printed["named"].map(len) == 1]
    table = ctx.dataset.scopes
    forms = scopes.forms_by_name(table)
    for row in printed.itertuples(index=False):
        named = row.named[0]
        if not scopes.agrees(row.scope, named, forms):
            continue  # already a slip
        other = next((s.name for s in table.itertuples(index=False)
                      if not scopes.agrees(s.name, named, forms) and not scopes.agrees(named, s.name, forms)), None)
        if other is not None:
            add("scope slip (row label or sentence)", data_edit(row.id, "scope slip (row label or sentence)", scope=other))
        alternatives = sorted(forms.get(row.scope, set()) - {fold(obs.loc[row.id, "scope_printed"])})
        if alternatives:
            add(CONTROLS[3], data_edit(row.id, CONTROLS[3], scope=alternatives[0]))

    # negative controls
    taken = set(zip(obs["indicator"], obs["region"], obs["scope"], obs["year"], strict=False))  # years each series already has
    partners = pd.concat([pairs["id"], pairs["b_id"]]).value_counts()  # a figure stated in exactly two places
    for p in pairs[pairs["numeric"] & pairs["b_numeric"]].itertuples(index=False):
        row = obs.loc[p.id]
        if points[p.id]:
            places = decimals(row.value_printed)
            add(CONTROLS[0], figure_edit(ws, p.id, with_number(row.value_printed, row.number - 0.4 * 10 ** -places, places + 1), CONTROLS[0]))
        if len(row.period) == 4 and row.period_note == "" and partners[p.id] == 1 and partners[p.b_id] == 1:
            # a year of the series with no figure at all, so the two are no longer one figure and meet no other
            step = 1 if row.role == "target" else -1
            moved = next(y for y in range(int(row.period) + step, int(row.period) + 20 * step, step)
                         if (row.indicator, row.region, row.scope, y) not in taken)
            add(CONTROLS[2], data_edit(p.id, CONTROLS[2], period=str(moved)))
    for row in obs[(obs["role"] == "target") & points].itertuples(index=False):
        add(CONTROLS[1], figure_edit(ws, row.id, row.value_printed + "左右", CONTROLS[1]))
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", type=Path, default=Path("datasets"))
    parser.add_argument("--per-class", type=int, default=8, help="mutants drawn per class (all when fewer)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--verbose", action="store_true", help="print every mutant that was missed, invalid or falsely flagged")
    parser.add_argument("--only", action="append", default=[], help="run only this class (repeatable)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as scratch:
        ws = Workspace(args.dataset, Path(scratch))
        base, rejected = ws.findings()
        if rejected:
            print("the dataset itself is rejected as input", file=sys.stderr)
            return 2
        made, caught, invalid, false_errors = Counter(), Counter(), Counter(), Counter()
        for kind, mutants in candidates(ws).items():
            if args.only and kind not in args.only:
                continue
            seen, unique = set(), []
            for m in mutants:
                key = (m.obs, m.edit, str(m.data))
                if key not in seen:
                    seen.add(key)
                    unique.append(m)
            for mutant in rng.sample(unique, min(args.per_class, len(unique))):
                if not ws.apply(mutant):
                    ws.restore()
                    continue
                after, rejected = ws.findings()
                ws.restore()
                new = after - base
                made[kind] += 1
                if any(family in SOURCE_FAMILIES for _, family, _, _ in new):
                    invalid[kind] += 1
                    if args.verbose:
                        print(f"  invalid  {kind}: {mutant.obs} {mutant.data} {[f for f in new if f[1] in SOURCE_FAMILIES]}")
                    continue
                hits = {f for f in new if f[2] in ("error", "warning")}
                if kind in CONTROLS:  # a control errs only with an error that did not stand before (by fingerprint)
                    before = {f[0] for f in base}
                    errors = {f for f in new if f[2] == "error" and f[0] not in before}
                    false_errors[kind] += bool(errors) or rejected
                    if (errors or rejected) and args.verbose:
                        print(f"  false error  {kind}: {mutant.obs} {mutant.data} {errors}")
                elif hits or rejected:
                    caught[kind] += 1
                elif args.verbose:
                    print(f"  missed  {kind}: {mutant.obs} {mutant.data}")
    print(f"{'class':44} {'made':>5} {'invalid':>8} {'caught':>7} {'rate':>7}")
    for kind in sorted(made, key=lambda k: (k in CONTROLS, k)):
        valid = made[kind] - invalid[kind]
        if kind in CONTROLS:
            print(f"{kind:44} {made[kind]:5} {invalid[kind]:8} {'':>7} {false_errors[kind]:>3} false errors")
        else:
            rate = f"{caught[kind] / valid:.0%}" if valid else "-"
            print(f"{kind:44} {made[kind]:5} {invalid[kind]:8} {caught[kind]:7} {rate:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
