"""Scopes: who or what a figure counts (中心城区, 规模以上工业, 国考监测断面), as a table like the catalogue.

`scopes.csv` lists each scope once with every form it is printed in (`省监测断面` and `省考监测断面`
are one scope); a printed form listed under two scopes names both (`国考、省考断面`). An
observation's `scope` is the form as printed; it resolves through this table, and the rules group
on the canonical names (joined by `+` when a form names several), so a figure is never entered
twice or normalised by hand. Without a scopes.csv every printed form is its own scope.
"""

from __future__ import annotations

import pandas as pd

from checks.errors import InputProblem
from checks.grammar import fold

JOIN = "+"


def printed_forms(scopes: pd.DataFrame) -> dict[str, list[str]]:
    """Folded printed form → canonical names of the scopes it names (in table order)."""
    forms: dict[str, list[str]] = {}
    for row in scopes.itertuples(index=False):
        for form in {row.name, *str(row.printed_forms).split("|")}:
            key = fold(form)
            if key and row.name not in forms.setdefault(key, []):
                forms[key].append(row.name)
    return forms


def resolve(observations: pd.DataFrame, scopes: pd.DataFrame) -> tuple[pd.Series, list[InputProblem]]:
    """The canonical scope of each observation, and a problem for every printed scope not listed."""
    forms = printed_forms(scopes)
    canonical, problems = [], []
    for row in observations[["scope", "file", "file_line"]].itertuples(index=False):
        if not row.scope:
            canonical.append("")
            continue
        names = forms.get(fold(row.scope))
        if names is None:
            problems.append(InputProblem(row.file, f"unknown scope {row.scope!r}: add it (or this printed form of a scope) to scopes.csv",
                                         line=row.file_line, column="scope"))
            canonical.append(row.scope)
            continue
        canonical.append(JOIN.join(sorted(names)))
    return pd.Series(canonical, index=observations.index, dtype="str"), problems
