"""The automaton of the active word lists: built once per list version, kept by each process.

Every check first reads the stamps of the active lists (one small query);
when they differ from those the process's automaton was built from, it is
built again from the entries. A change made in the admin by one app server
(or by a command) reaches every other process at its next check, without a
restart and without a message between them.
"""

from __future__ import annotations

import threading

from articles.wordcheck.matching import Entry, Matcher
from articles.wordcheck.models import WordEntry, WordList

_lock = threading.Lock()
_built: tuple[tuple, Matcher] | None = None


def list_versions() -> tuple:
    """The stamps of the active lists, which name the automaton that matches them."""
    return tuple(WordList.objects.filter(is_active=True).order_by("pk").values_list("pk", "stamp"))


def entries(versions: tuple) -> list[Entry]:
    """The entries of the lists named in versions, as the automaton carries them."""
    rows = WordEntry.objects.filter(word_list__in=[pk for pk, _stamp in versions]).values_list(
        "pk",
        "word",
        "key",
        "category",
        "severity",
        "replacement",
        "note",
        "word_list__name",
    )
    return [Entry(*row) for row in rows]


def matcher() -> Matcher:
    """Return the automaton of the active lists as they stand now."""
    global _built
    versions = list_versions()
    built = _built
    if built is not None and built[0] == versions:
        return built[1]
    with _lock:
        if _built is None or _built[0] != versions:
            _built = (versions, Matcher(entries(versions)))
        return _built[1]


def forget() -> None:
    """Drop this process's automaton (tests; it is rebuilt at the next check)."""
    global _built
    _built = None
