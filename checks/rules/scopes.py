"""scopes: the scope a figure is entered for against the scope printed where it stands.

A table cell stands in a row whose label may print a scope (a sub-row 中心城区 under PM2.5); a
text figure stands in a sentence that may print one (城镇居民人均可支配收入51821元). The scopes
and every form they are printed in come from scopes.csv; no scope is named here.
"""

from __future__ import annotations

import re

import pandas as pd

from checks.engine import Context, rule
from checks.findings import Outcome, Violation
from checks.grammar import fold
from checks.scopes import JOIN, printed_forms

# "A、B分别增长8.1%、10.1%": figures given to scopes by position, and a quote cut to one figure
# may keep only the other scope's name (医药健康产业分别增长8.1% is 装备制造's 8.1%)
RESPECTIVELY = re.compile(r"分别|依次")


def scopes_named(texts: pd.Series, scopes: pd.DataFrame) -> pd.Series:
    """Per text, the distinct scopes it prints (a canonical name, or names joined by + where one
    form names several), read longest form first so that 农村居民 is not also 农村."""
    forms = printed_forms(scopes)
    if not forms:
        return pd.Series([()] * len(texts), index=texts.index, dtype=object)
    pattern = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    found = texts.map(fold).str.findall(pattern)
    return found.map(lambda hits: tuple(sorted({JOIN.join(sorted(forms[h])) for h in hits})))


def forms_by_name(scopes: pd.DataFrame) -> dict[str, set[str]]:
    """Canonical name → the folded printed forms that name it alone (国省考断面 names two: it tells
    neither apart from the other)."""
    forms: dict[str, set[str]] = {}
    for form, names in printed_forms(scopes).items():
        if len(names) == 1:
            forms.setdefault(names[0], set()).add(form)
    return forms


def agrees(entered: str, named: str, forms: dict[str, set[str]]) -> bool:
    """The entered scope is the named one, or narrows it: every entered scope has a printed form
    (of its own alone) that contains a form of every named one (城市/食品烟酒 under a row 食品烟酒; the rest of the
    scope comes from the column)."""
    if set(entered.split(JOIN)) == set(named.split(JOIN)):
        return True
    return all(any(n in e for e in forms.get(entered_name, {entered_name}) for n in forms.get(named_name, {named_name}))
               for entered_name in entered.split(JOIN) for named_name in named.split(JOIN))


def where_printed(ctx: Context) -> pd.DataFrame:
    """The figures entered with a scope, with the text that prints their scope (`context`: a table
    cell's row label, else the quote up to the figure) and the scopes it names (`named`, a tuple)."""
    obs = ctx.obs[ctx.obs["scope"] != ""]
    in_quote = obs["id"].map(ctx.located_by_id["figure_in_quote"])
    up_to_figure = pd.Series([str(q)[: span[1]] if isinstance(span, tuple) else str(q) for q, span in zip(obs["quote"], in_quote, strict=True)],
                             index=obs.index, dtype="str")
    context = obs["row_label"].astype(str).where((obs["section"] == "table") & (obs["row_label"] != ""), up_to_figure)
    return obs.assign(context=context, named=scopes_named(context, ctx.dataset.scopes))


@rule("scopes.against-label", "error")
def against_label(ctx: Context) -> Outcome:
    """A figure entered for another scope than the one its row label or its sentence prints.

    Reads the row label of a table cell (else its quote) and the quote of a text figure up to the
    figure, finds the forms scopes.csv lists (longest first), and compares the one scope named
    there with the scope entered. Fires on a row labelled 县级及以上城市 entered for 中心城区, or
    城镇居民人均可支配收入51821元 entered for 农村居民. Does not fire on another printed form of
    the same scope (国考断面 for 国考监测断面), nor on an entered scope that narrows the named one
    (城市/食品烟酒 in a row 食品烟酒). Undecided: a label or sentence naming no scope, or several
    (基础设施、制造业投资分别增长9.4%、9.1%), or one scope in a sentence that gives figures to scopes
    respectively (…、医药健康产业分别增长8.1%: the 8.1% is the scope named before, cut from the quote). Figures entered without a scope are not read: an
    indicator's own name often carries a scope word (城镇新增就业, 农村生活污水治理率).
    """
    obs = where_printed(ctx)
    named = obs["named"]
    count = named.map(len)
    respectively = obs["context"].str.contains(RESPECTIVELY) & (count == 1)
    count = count.mask(respectively, -1)
    decided = obs[count == 1].assign(named=named[count == 1].map(lambda n: n[0]))
    forms = forms_by_name(ctx.dataset.scopes)
    verdicts = {(e, n): agrees(e, n, forms) for e, n in decided[["scope", "named"]].drop_duplicates().itertuples(index=False)}
    wrong = pd.Series([not verdicts[(e, n)] for e, n in zip(decided["scope"], decided["named"], strict=True)], index=decided.index, dtype=bool)
    bad = decided[wrong]
    reasons = {"its row label or sentence names no scope": int((count == 0).sum()),
               "its row label or sentence names several scopes": int((count > 1).sum()),
               "the sentence gives figures to scopes respectively (分别): by position, beyond the quote": int(respectively.sum())}
    return Outcome(len(decided), [
        Violation(f"{r.value_printed!r} (line {r.line}) is entered for the scope {r.scope!r}, but its "
                  f"{'row label' if r.section == 'table' and r.row_label else 'sentence'} prints {r.named!r}: {r.context}",
                  (r.id,), {"scope": r.scope, "printed": r.named})
        for r in bad.itertuples(index=False)], sum(reasons.values()), {k: v for k, v in reasons.items() if v})
