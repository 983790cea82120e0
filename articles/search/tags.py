"""Tag suggestions: the words an editor would choose, taken from the copy."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from articles.search.tokens import jieba

STOPWORDS_FILE = Path(__file__).with_name("stopwords.txt")
HEADLINE_WEIGHT = 2  # the headline says what the story is about
# jieba tags names it knows as nr/nrfg; common words it mis-tags that way
# (养老) are frequent in its dictionary, names are not.
NAME_TAGS = {"nr", "nrfg"}
NAME_MAX_FREQUENCY = 50
# A compound subject starts with a noun (疫苗接种, 农村寄递), not a verb (化解信访).
NOUN_TAGS = {"n", "ns", "nz", "nt", "nrt", "vn", "j"}
COMPOUND_MIN_COUNT = 3


@cache
def stopwords() -> frozenset[str]:
    lines = STOPWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@cache
def _analyse() -> tuple[Any, Any]:
    jieba()  # the dictionary, loaded quietly, before its analysers
    analyse = importlib.import_module("jieba.analyse")
    posseg = importlib.import_module("jieba.posseg")
    return analyse, posseg


def _tagged(text: str) -> dict[str, str]:
    """Return {word: part of speech} for the words of text."""
    _, posseg = _analyse()
    return {pair.word: pair.flag for pair in posseg.cut(text)}


def suggest_tags(
    headline: str, body: str, *, exclude: Iterable[str] = (), limit: int = 6
) -> list[str]:
    """Return up to limit tags for a story, best first, without stop words or names."""
    text = "。".join([headline] * HEADLINE_WEIGHT + [body]).strip("。")
    if not text:
        return []
    analyse, _ = _analyse()
    frequency = jieba().dt.FREQ
    pos = _tagged(text)
    names = {
        word
        for word, flag in pos.items()
        if flag in NAME_TAGS and frequency.get(word, 0) < NAME_MAX_FREQUENCY
    }
    excluded = stopwords() | set(exclude) | names
    scored = [
        (word, weight)
        for word, weight in analyse.extract_tags(text, topK=40, withWeight=True)
        if word not in excluded
        and len(word) >= 2
        # Words jieba only guessed (not in its dictionary) are mostly names.
        and frequency.get(word)
        and not re.search(r"[\d.%]", word)
    ]
    best = dict(scored)
    # Two keywords printed together again and again are one subject (疫苗+接种).
    top = scored[:10]
    for first, weight_a in top:
        for second, weight_b in top:
            compound = first + second
            if (
                first != second
                and pos.get(first) in NOUN_TAGS
                and body.count(compound) >= COMPOUND_MIN_COUNT
            ):
                best[compound] = max(weight_a, weight_b) * 1.1
    ranked = sorted(best, key=lambda word: best[word], reverse=True)
    chosen: list[str] = []
    for word in ranked:
        # A part that never occurs outside its chosen compound adds nothing.
        if any(word in c and text.count(word) == text.count(c) for c in chosen):
            continue
        chosen.append(word)
    return chosen[:limit]
