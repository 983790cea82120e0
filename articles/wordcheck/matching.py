"""Finding a word list's entries in copy: normalised characters, an Aho–Corasick automaton.

Matching is on characters, not on words (Chinese has no spaces): the text is
normalised first, so that an entry is found however the layout or the
keyboard wrote it. Whitespace of every kind (line breaks, full-width
U+3000 and half-width spaces, tabs, zero-width spaces) is dropped, full-width
Latin letters, digits and punctuation become half-width, and Latin letters
lower case. Entries are normalised the same way. A map from the normalised
text back to the original keeps each hit's offsets in the text as typed, so
that a form can highlight it (and a fix can replace exactly what was typed).

An entry made only of Latin letters and digits (a brand, an acronym) is
found only as a whole word: "ad" is not a hit inside "admin".

The automaton (pyahocorasick) walks the text as UTF-16 code units, each
written as one Latin-1 character, not as Unicode characters: with Han
entries its nodes would branch on thousands of characters, which it looks up
one by one (measured: 60 ms for a 5,000-字 article against 50,000 entries,
against 3 ms over code units, where a node has at most 256 branches). A hit
must start on a character's first unit.

This module knows nothing of Django: the lists are read, and the automaton
built once per list version, in articles.wordcheck.lists.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick

# Dropped before matching: every Unicode space and line break (str.isspace),
# and the invisible characters pasted text carries.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_DROPPED = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + _INVISIBLE
_DROPPED_RE = re.compile("[" + re.escape(_DROPPED) + "]")

# Full-width ASCII (！ to ～) to half-width, and Latin letters to lower case:
# runs of such characters are translated (regular expressions find them at C
# speed; most characters of Chinese copy need nothing).
_TABLE: dict[int, int] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_TABLE.update({code: code + 32 for code in range(ord("A"), ord("Z") + 1)})
_TABLE.update({code: code - 0xFEE0 + 32 for code in range(0xFF21, 0xFF3B)})
_FOLDED_RE = re.compile("[A-Z\uff01-\uff5e]+")
# Characters outside the BMP take two UTF-16 code units each (a surrogate pair).
_WIDE_RE = re.compile("[\U00010000-\U0010ffff]")

_ASCII_WORD = re.compile(r"^[a-z0-9]+$")

# Severity order when one word is in several lists: the strictest wins.
SEVERITY_RANK = {"block": 0, "fix": 1, "warn": 2}


def _fold(match: re.Match) -> str:
    return match.group().translate(_TABLE)


def normalize(text: str) -> str:
    """Return text as it is matched: no whitespace, half-width, lower case."""
    return _FOLDED_RE.sub(_fold, _DROPPED_RE.sub("", text))


def _units(text: str) -> str:
    """text as UTF-16 code units, one Latin-1 character each: what the automaton walks."""
    return text.encode("utf-16-be").decode("latin-1")


class _Units:
    """Maps a code unit of the normalised text to its character."""

    def __init__(self, normalized: str) -> None:
        # Where each character outside the BMP starts, in units: it takes four.
        self._wide = [
            2 * match.start() + 2 * k for k, match in enumerate(_WIDE_RE.finditer(normalized))
        ]

    def char(self, unit: int) -> int:
        return (unit - 2 * bisect_right(self._wide, unit - 1)) // 2


class OffsetMap:
    """Maps an index of the normalised text back to the text as typed."""

    def __init__(self, text: str) -> None:
        # For the k-th dropped character at original index r, the normalised
        # index it would have had is r - k; a normalised index n comes after
        # every dropped character whose such index is <= n.
        self._shifted = [match.start() - k for k, match in enumerate(_DROPPED_RE.finditer(text))]

    def original(self, index: int) -> int:
        return index + bisect_right(self._shifted, index)


@dataclass(frozen=True)
class Entry:
    """One entry of a word list, as the automaton carries it."""

    id: int
    word: str
    key: str  # normalize(word)
    category: str
    severity: str  # block, warn, fix
    replacement: str = ""
    note: str = ""
    list_name: str = ""


class Hit(NamedTuple):
    """An entry found in a text: where (offsets in the text as typed) and what."""

    start: int
    end: int  # exclusive
    found: str  # the text as typed, line breaks and spaces included
    entry: Entry

    @property
    def severity(self) -> str:
        return self.entry.severity


class Matcher:
    """An Aho–Corasick automaton over a set of entries; built once, used by any thread."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        by_key: dict[str, list[Entry]] = {}
        for entry in entries:
            if entry.key:
                by_key.setdefault(entry.key, []).append(entry)
        self.size = sum(len(each) for each in by_key.values())
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
        for key, same in by_key.items():
            # The strictest entry names the hit; the key's length in units finds its start.
            same.sort(key=lambda e: (SEVERITY_RANK.get(e.severity, 9), e.id))
            units = _units(key)
            self._automaton.add_word(units, (len(units), same[0], bool(_ASCII_WORD.match(key))))
        if by_key:
            self._automaton.make_automaton()
        self._empty = not by_key

    def find(self, text: str) -> list[Hit]:
        """Return every entry found in text, in order of where it starts."""
        if self._empty or not text:
            return []
        normalized = normalize(text)
        found = [
            (end - length + 1, end, entry, whole_word)
            for end, (length, entry, whole_word) in self._automaton.iter(_units(normalized))
            if (end - length + 1) % 2 == 0  # on a character's first unit
        ]
        if not found:
            return []
        chars, offsets = _Units(normalized), OffsetMap(text)
        hits = []
        for start, end, entry, whole_word in found:
            first = offsets.original(chars.char(start))
            last = offsets.original(chars.char(end)) + 1
            # A Latin word is whole when the text as typed has no letter or
            # digit right beside it (spaces count here, though not in matching).
            if whole_word and (_latin(text, first - 1) or _latin(text, last)):
                continue
            hits.append(Hit(first, last, text[first:last], entry))
        hits.sort(key=lambda hit: (hit.start, -hit.end))
        return hits


def _latin(text: str, index: int) -> bool:
    """Return whether text has a Latin letter or digit (half- or full-width) at index."""
    if index < 0 or index >= len(text):
        return False
    char = normalize(text[index])
    return bool(char) and char.isascii() and char.isalnum()
