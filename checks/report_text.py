"""The HTML report's interface text in each language it is offered in (`check all --lang zh|en`).

Only Seed's own words are translated: labels, headings, buttons. What comes from the dataset or a
source (titles, quotes, names, waiver reasons) and the rules' messages stay as written.
Each key is written once with its text in every language (TEXT, read from report_text.toml), so
no language lacks a key; `{name}` fields are filled by `str.format` before escaping.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

LANGUAGES = ("en", "zh")
# The lang attribute of interface text, and of text from the sources (Chinese documents).
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
SOURCE_LANG = "zh"
MESSAGE_LANG = "en"  # the rules write their messages in English

# Each key once, with its text in every language of LANGUAGES, in that order (a data file).
TEXT: dict[str, list[str]] = tomllib.loads((Path(__file__).with_name("report_text.toml")).read_text(encoding="utf-8"))
STRINGS: dict[str, dict[str, str]] = {lang: {key: texts[i] for key, texts in TEXT.items()} for i, lang in enumerate(LANGUAGES)}


def strings(lang: str) -> dict[str, str]:
    if lang not in STRINGS:
        raise ValueError(f"unknown report language {lang!r}; known: {', '.join(LANGUAGES)}")
    return STRINGS[lang]
