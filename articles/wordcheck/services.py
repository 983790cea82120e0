"""The write path of 审校: word lists, their entries and imports, and hits verified (已核实).

Every change of a list or of its entries gives the list a new stamp, in the
same transaction: each process's automaton sees it at its next check
(articles.wordcheck.lists). A bad entry is refused with the reason, and an
import with a bad line writes nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple, cast

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import permissions
from articles.models import Article, WordEntry, WordList, WordVerification
from articles.permissions import Refused, refuse_unless
from articles.versions import check_version
from articles.wordcheck import checking
from articles.wordcheck.matching import normalize
from articles.wordcheck.models import Category, Severity

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# CharFields: each has its max_length (mypy sees a field of any kind).
WORD_MAX = cast(int, WordEntry._meta.get_field("word").max_length)
NOTE_MAX = cast(int, WordEntry._meta.get_field("note").max_length)
REASON_MAX = 1000


class Row(NamedTuple):
    """One entry to write into a list (from a form or a line of an imported file)."""

    word: str
    category: str = Category.CAUTION
    severity: str = Severity.WARN
    replacement: str = ""
    note: str = ""


def problems_of(row: Row) -> list[tuple[str, str]]:
    """Return what is wrong with row, as (field, message) pairs; [] when it may be written."""
    problems = []
    word, replacement = row.word.strip(), row.replacement.strip()
    if not normalize(word):
        problems.append(("word", _("The word is empty.")))
    elif len(word) > WORD_MAX:
        problems.append(
            ("word", _("A word is at most %(max)s characters long.") % {"max": WORD_MAX})
        )
    if row.category not in Category.values:
        problems.append(("category", _("Unknown category “%(value)s”.") % {"value": row.category}))
    if row.severity not in Severity.values:
        problems.append(("severity", _("Unknown severity “%(value)s”.") % {"value": row.severity}))
    if row.severity == Severity.FIX and not replacement:
        problems.append(("replacement", _("A fix needs its suggested replacement.")))
    if replacement and normalize(replacement) == normalize(word):
        problems.append(("replacement", _("The replacement is the word itself.")))
    if len(replacement) > WORD_MAX:
        problems.append(
            (
                "replacement",
                _("A replacement is at most %(max)s characters long.") % {"max": WORD_MAX},
            )
        )
    if len(row.note.strip()) > NOTE_MAX:
        problems.append(
            ("note", _("A note is at most %(max)s characters long.") % {"max": NOTE_MAX})
        )
    return problems


def _list_changed(word_list: WordList, user: User) -> None:
    """Give the list a new stamp and version: every process rebuilds its automaton."""
    WordList.objects.filter(pk=word_list.pk).update(
        stamp=uuid.uuid4(), version=F("version") + 1, updated_at=timezone.now(), updated_by=user
    )
    word_list.refresh_from_db(fields=["stamp", "version", "updated_at", "updated_by"])


def save_word_list(
    word_list: WordList, *, user: User, base_version: int | str | None = None
) -> WordList:
    """Save a list's name, description and whether copy is checked against it."""
    with transaction.atomic():
        refuse_unless(permissions.why_not_keep_word_lists(user))
        if word_list.pk is not None:
            current = WordList.objects.select_for_update().get(pk=word_list.pk)
            check_version(current, base_version)
            word_list.version = current.version
        word_list.updated_by = user
        word_list.stamp = uuid.uuid4()
        word_list.save()
        return word_list


def delete_word_list(word_list: WordList, *, user: User) -> None:
    with transaction.atomic():
        refuse_unless(permissions.why_not_delete_word_list(user, word_list))
        WordList.objects.select_for_update().get(pk=word_list.pk).delete()


def _entry_row(entry: WordEntry) -> Row:
    return Row(entry.word, entry.category, entry.severity, entry.replacement, entry.note)


def save_word_entry(entry: WordEntry, *, user: User) -> WordEntry:
    """Save one entry of a list (its word, category, severity, replacement and note)."""
    with transaction.atomic():
        refuse_unless(permissions.why_not_keep_word_lists(user))
        word_list = WordList.objects.select_for_update().get(pk=entry.word_list_id)
        for name, message in problems_of(_entry_row(entry)):
            raise Refused(message, name)
        entry.word, entry.replacement = entry.word.strip(), entry.replacement.strip()
        entry.note, entry.key = entry.note.strip(), normalize(entry.word.strip())
        twin = word_list.entries.filter(key=entry.key).exclude(pk=entry.pk).first()
        if twin is not None:
            raise Refused(
                _("“%(word)s” is in this list already (as “%(twin)s”).")
                % {"word": entry.word, "twin": twin.word},
                "word",
            )
        entry.updated_by = user
        entry.save()
        _list_changed(word_list, user)
        return entry


def delete_word_entry(entry: WordEntry, *, user: User) -> None:
    with transaction.atomic():
        refuse_unless(permissions.why_not_keep_word_lists(user))
        word_list = WordList.objects.select_for_update().get(pk=entry.word_list_id)
        WordEntry.objects.filter(pk=entry.pk).delete()
        _list_changed(word_list, user)


@dataclass
class Imported:
    """What an import did to a list."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    words: list[str] = field(default_factory=list)


def import_word_entries(
    word_list: WordList, rows: list[Row], *, user: User, replace: bool = False
) -> Imported:
    """Write rows into word_list: new words added, known ones updated (replace: the rest removed).

    The rows must be free of problems (articles.wordcheck.files reads and
    checks a file); a row that is not refuses the whole import.
    """
    with transaction.atomic():
        refuse_unless(permissions.why_not_keep_word_lists(user))
        word_list = WordList.objects.select_for_update().get(pk=word_list.pk)
        wanted: dict[str, Row] = {}
        for row in rows:
            if problems := problems_of(row):
                raise Refused(f"{row.word}: {problems[0][1]}")
            wanted[normalize(row.word.strip())] = row
        current = {entry.key: entry for entry in word_list.entries.all()}
        result = Imported()
        changed: list[WordEntry] = []
        for key, row in wanted.items():
            values = {
                "word": row.word.strip(),
                "category": row.category,
                "severity": row.severity,
                "replacement": row.replacement.strip(),
                "note": row.note.strip(),
            }
            entry = current.get(key)
            if entry is None:
                changed.append(WordEntry(word_list=word_list, key=key, updated_by=user, **values))
                result.created += 1
            elif any(getattr(entry, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(entry, name, value)
                entry.updated_by = user
                entry.save()
                result.updated += 1
            else:
                result.unchanged += 1
        WordEntry.objects.bulk_create(changed, batch_size=2000)
        if replace:
            gone = [entry.pk for key, entry in current.items() if key not in wanted]
            for start in range(0, len(gone), 2000):
                WordEntry.objects.filter(pk__in=gone[start : start + 2000]).delete()
            result.removed = len(gone)
        if result.created or result.updated or result.removed:
            _list_changed(word_list, user)
        return result


def verify_word(article: Article, *, user: User, key: str, reason: str) -> WordVerification:
    """Record that user verified (已核实) the word key where it stands in article, and why.

    The row keeps the word, its category and severity, the list's note,
    where it stood, the copy's state and revision: the facts it was decided
    on. It clears the word for this copy from now on.
    """
    reason = reason.strip()
    with transaction.atomic():
        locked = Article.objects.select_for_update(of=("self",)).get(pk=article.pk)
        found = [f for f in checking.findings(locked) if f.hit.entry.key == key]
        if not found:
            raise Refused(_("That word is no longer in the copy: there is nothing to verify."))
        finding = next((f for f in found if f.severity == Severity.BLOCK), found[0])
        refuse_unless(permissions.why_not_verify_word(user, locked, finding.severity))
        if finding.verification is not None:
            raise Refused(_("“%(word)s” is verified already.") % {"word": finding.hit.entry.word})
        if not reason:
            raise Refused(_("Say why the word may stand: the reason is kept on record."), "reason")
        if len(reason) > REASON_MAX:
            raise Refused(
                _("The reason is at most %(max)s characters long.") % {"max": REASON_MAX},
                "reason",
            )
        entry = finding.hit.entry
        revision = locked.revisions.order_by("-number").values_list("number", flat=True).first()
        return WordVerification.objects.create(
            article=locked,
            word=entry.word,
            key=entry.key,
            category=entry.category,
            severity=finding.severity,
            entry_note=entry.note,
            list_name=entry.list_name[:64],
            context=finding.context[:200],
            reason=reason,
            status=locked.status,
            level=locked.awaited_level,
            revision=revision,
            verified_by=user,
        )
