"""Token documents: Chinese text as tokens a database can index.

Every run of Han characters becomes its overlapping bigrams (全市信访 → 全市
市信 信访); jieba's search-mode words of three or more characters are added;
Latin letters and digits are lower-cased words. See the package docstring.
"""

import logging
import re
from functools import cache
from typing import Any

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_UNIT = re.compile(rf"[{HAN}]+|[A-Za-z0-9]+(?:\.[0-9]+)?")
_IS_HAN = re.compile(rf"[{HAN}]")
SEPARATOR = "|"  # ends a stretch of tokens; never a token itself


@cache
def jieba() -> Any:
    """Return jieba with its dictionary loaded: once per process, on first use."""
    import jieba as segmenter

    segmenter.setLogLevel(logging.WARNING)
    segmenter.initialize()
    return segmenter


def bigrams(run: str) -> list[str]:
    return [run] if len(run) < 2 else [run[i : i + 2] for i in range(len(run) - 1)]


def trigrams(run: str) -> list[str]:
    return [run[i : i + 3] for i in range(len(run) - 2)]


def units(text: str) -> list[str]:
    """Return the Han runs and Latin/digit words of text, in order."""
    return _UNIT.findall(text)


def is_han(unit: str) -> bool:
    return bool(_IS_HAN.match(unit))


def tokens(text: str) -> list[str]:
    """Return the ordered tokens of text: Han bigrams and lower-cased Latin words."""
    result: list[str] = []
    for unit in units(text):
        result.extend(bigrams(unit) if is_han(unit) else [unit.lower()])
    return result


def words(text: str) -> list[str]:
    """Return jieba's search-mode words of three or more characters in text."""
    return [
        word
        for unit in units(text)
        if is_han(unit) and len(unit) >= 3
        for word in jieba().cut_for_search(unit)
        if len(word) >= 3
    ]


def grams_document(*texts: str | None) -> str:
    """Return the Han trigrams of texts, once each: what finds words of three or more characters.

    Without positions: the GIN index alone answers whether an article holds
    them all, where a phrase of bigrams needs each candidate's positions read.
    """
    found = {
        gram
        for text in texts
        if text
        for unit in units(text)
        if is_han(unit)
        for gram in trigrams(unit)
    }
    return " ".join(sorted(found))


def document(*texts: str | None) -> str:
    """Return the token document of texts, as stored and indexed."""
    parts = []
    for text in texts:
        if text:
            parts.append(" ".join(tokens(text)))
            parts.append(" ".join(words(text)))
    return f" {f' {SEPARATOR} '.join(p for p in parts if p)} "
