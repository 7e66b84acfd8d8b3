"""Words for reports and exports, read from the app's own strings (pwa/i18n/*.json), so a
field or a state is called the same on the phone, on paper and in a spreadsheet."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from flask import current_app, request

LANGUAGES = ("zh-CN", "en")


@lru_cache(maxsize=4)
def _strings(folder: str, language: str) -> dict:
    return json.loads((Path(folder) / "i18n" / f"{language}.json").read_text(encoding="utf-8"))


def reader_language(asked: str | None = None) -> str:
    """`lang=` when given, else the best of Accept-Language; Chinese when neither says."""
    if asked in LANGUAGES:
        return asked
    best = request.accept_languages.best_match(["zh-CN", "zh", "en"], default="zh-CN")
    return "en" if best == "en" else "zh-CN"


class Labels:
    """The app's strings in one language; `labels("field.title")`, with `{name}` filled in."""

    def __init__(self, language: str):
        self.language = language
        self.strings = _strings(current_app.config["PWA_DIR"], language)

    def __call__(self, key: str, **values) -> str:
        text = self.strings.get(key)
        if text is None and "count" in values:
            text = self.strings.get(f"{key}.other")
        text = key if text is None else text
        for name, value in values.items():
            text = text.replace("{" + name + "}", str(value))
        return text

    def state(self, value) -> str:
        return self(f"state.{value}") if value else ""

    def category(self, value) -> str:
        return self(f"category.{value}") if value else ""

    def word(self, group: str, value) -> str:
        """A stored word (a priority, a channel) as the app says it; empty for none."""
        return self(f"{group}.{value}") if value else ""

    def yes_no(self, value: bool) -> str:
        return self("report.yes") if value else self("report.no")
