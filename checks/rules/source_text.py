"""source-text: damage in a source that an auditor should know of, pointed at its line."""

from __future__ import annotations

import re
from collections.abc import Callable

from checks.engine import Context, per_run, rule
from checks.findings import Outcome, Violation
from checks.sources import SourceText

CJK = r"[\u3400-\u9fff]"
# Markdown strong emphasis: **短语** standing apart from the words around it (\w includes Chinese
# characters), holding no * and no sentence punctuation. A redaction (与**签订, **县) leaves a name
# out inside running text and is not closed by a second marker before the sentence goes on.
EMPHASIS = re.compile(r"(?<![\w*])\*\*(?=[^\s*])[^*\n，。；;！？!?]{1,60}?(?<=[^\s*])\*\*(?![\w*])")
# (A markdown source's own markup and front matter are blanked when it is read: checks/sources.py.
# This is for plain-text sources that carry markdown bold, as 001 does.)


def _per_line(ctx: Context, judge: Callable[[str, int, str], Violation | None], words: list[str]) -> Outcome:
    """Every line of every source judged once: (document, line number, text) -> a violation or None.
    `words`: what a line must hold for the judge to find anything (each found within a line; none:
    every line is judged); then only the lines one is found on are judged."""
    checked, violations = 0, []
    could_fire, starts = _any_of(words), _starts(ctx)
    for doc_id, source in ctx.dataset.sources.items():
        count = source.line_count
        checked += count
        numbers = _lines_to_judge(source, count, could_fire, starts[doc_id])
        lines = source.lines if numbers else []  # (split only where a line is judged)
        for number in numbers:
            found = judge(doc_id, number, lines[number - 1])
            if found is not None:
                violations.append(found)
    return Outcome(checked, violations)


def _lines_to_judge(source: SourceText, count: int, could_fire: re.Pattern | None, starts: list[int]) -> list[int]:
    """Line numbers (1-based) of `source` on which `could_fire` is found (as its finditer finds it,
    tried only where a word may start: `starts`); every line without one."""
    if could_fire is None:
        return list(range(1, count + 1))
    lines: set[int] = set()
    end = 0
    for at in starts:
        found = could_fire.match(source.text, at) if at >= end else None
        if found:
            lines.add(source.line_of(at))
            end = found.end()
    return sorted(lines)


def _words(ctx: Context) -> dict[str, list[str]]:
    """What a line must hold for each rule of the family to find anything on it (_per_line)."""
    settings = ctx.settings
    # every damage match holds a damage character or a single bracketed character: a line with neither is never judged
    return {"damage": [*settings.damage_characters, "["] if settings.damage_characters else [],
            "injected": list(settings.injected_markers), "redaction": [settings.redaction_marker]}


@per_run
def _starts(ctx: Context) -> dict[str, list[int]]:
    """Per source: where a character stands that one of the family's words starts with, found by one
    search of its text for all three rules (a class of characters: the engine skips to them; at 1 M,
    547 in 28 M characters, 0.08 CPU s where a search per rule took 0.21)."""
    first = sorted({word[0] for words in _words(ctx).values() if _any_of(words) for word in words})
    pattern = re.compile("[" + "".join(map(re.escape, first)) + "]") if first else None
    return {doc_id: [m.start() for m in pattern.finditer(source.text)] if pattern else [] for doc_id, source in ctx.dataset.sources.items()}


def _any_of(words: list[str]) -> re.Pattern | None:
    """A pattern for a line holding one of `words`; None when there are none or one is empty (found on every line)."""
    return re.compile("|".join(re.escape(w) for w in words)) if words and all(words) else None


@rule("source-text.damaged-characters", "warning")
def damaged_characters(ctx: Context) -> Outcome:
    """Characters that do not belong inside printed Chinese text (OCR damage).

    Fires on a line where a character of `damage_characters` (★ ▲ ^ 「 …) stands next to a Chinese
    character, as in 外来物种★侵 for 外来物种入侵, or a single bracketed character interrupts a
    name (城镇人均公园绿地 [（] 积). Such a line's names were probably misread, and
    figures near them deserve a second look.
    """
    marks = re.escape(ctx.settings.damage_characters)
    # a damage character next to a Chinese character, or a single bracketed character inside a name ("绿地 [（] 积")
    pattern = re.compile(rf"(?:{CJK}\s*[{marks}]|[{marks}]\s*\[?[（(]?\]?\s*{CJK}|{CJK}\s*\[[^\]\d\s]\]\s*{CJK})")

    def judge(doc_id: str, number: int, text: str) -> Violation | None:
        hits = sorted({m.group() for m in pattern.finditer(text)})
        return Violation(f"line {number} of {doc_id} has characters that look like OCR damage: {' '.join(hits)}",
                         document=doc_id, line=number, key="damage", evidence={"excerpts": hits}) if hits else None
    return _per_line(ctx, judge, _words(ctx)["damage"])


@rule("source-text.injected-text", "warning")
def injected_text(ctx: Context) -> Outcome:
    """Text injected into a source by the web page it was scraped from (advertising, links).

    Fires on a line holding one of `injected_markers` (投注, 备用网址, http://, …), as in a
    sentence whose agreement title carries gambling advertising. The figures of such a line came
    through an untrustworthy channel. (A markdown source's front matter, `source: https://…`, is
    metadata and never read as text.)
    """
    def judge(doc_id: str, number: int, text: str) -> Violation | None:
        hits = [m for m in ctx.settings.injected_markers if m in text]
        if not hits:
            return None
        start = min(text.find(m) for m in hits)
        return Violation(f"line {number} of {doc_id} contains injected text: …{text[max(0, start - 15): start + 25]}…",
                         document=doc_id, line=number, key="injected", evidence={"markers": hits})
    return _per_line(ctx, judge, _words(ctx)["injected"])


@rule("source-text.redaction", "info")
def redaction(ctx: Context) -> Outcome:
    """A redacted name (printed as **) in a source.

    Fires once per line that holds the redaction marker in running text (与**签订, **大余通过).
    Context for an auditor: the region a figure belongs to may have been inferred, not read. Does
    not fire on markdown emphasis, which uses the same characters: a short phrase closed by a
    second marker and standing apart from the words around it (**全面建设美丽赣州**，, a heading
    **表1 2023年年末人口数及其构成**).
    """
    marker = ctx.settings.redaction_marker

    def judge(doc_id: str, number: int, text: str) -> Violation | None:
        count = EMPHASIS.sub("", text).count(marker)
        return Violation(f"line {number} of {doc_id} has {count} redacted name(s) ({marker})",
                         document=doc_id, line=number, key="redaction", evidence={"count": count}) if count else None
    return _per_line(ctx, judge, _words(ctx)["redaction"])
