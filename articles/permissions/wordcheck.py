"""审校: who keeps the word lists, who checks copy, who verifies a hit, and what a block stops.

The chief editor and the desk heads keep the lists (the word list
permissions of their groups); the desk sees them. Whoever files or works
copy has it checked as they type. A reviewer marks a hit 已核实 with a
reason; a blocking word only someone allowed to (the chief editor, or the
duty chief editor, by verify_blocked_word). Copy holding a blocking word
nobody allowed has verified passes no final review, is placed on no page,
and no edition carrying it is signed off.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from articles.models import Article
from articles.permissions.base import PERM_ADD, PERM_DESK, PERM_ILLUSTRATE, is_desk
from articles.wordcheck import checking
from articles.wordcheck.models import Severity

if TYPE_CHECKING:
    from collections.abc import Iterable

    from articles.models import WordList
    from articles.permissions.base import AnyUser
    from articles.wordcheck.checking import Finding

S = Article.Status
PERM_KEEP_LISTS = "articles.change_wordlist"
PERM_VERIFY = "articles.add_wordverification"
PERM_VERIFY_BLOCK = "articles.verify_blocked_word"
# Copy on which a reviewer verifies hits: what is in review, or approved and
# waiting for (or on) its page.
IN_REVIEW = frozenset({S.SUBMITTED, S.APPROVED})


def why_not_keep_word_lists(user: AnyUser) -> str | None:
    """Return why user may not add, change or import word lists and their entries, or None."""
    if not user.has_perm(PERM_KEEP_LISTS):
        return _("The word lists are kept by the chief editor and the desk heads.")
    return None


def why_not_delete_word_list(user: AnyUser, word_list: WordList) -> str | None:
    if not user.has_perm("articles.delete_wordlist"):
        return _("Only the chief editor deletes a word list; make it inactive instead.")
    return None


def may_see_word_lists(user: AnyUser) -> bool:
    return user.has_perm("articles.view_wordlist") or user.has_perm(PERM_KEEP_LISTS)


def may_check_words(user: AnyUser) -> bool:
    """Return whether user has text checked against the lists (whoever files or works copy)."""
    return is_desk(user) or user.has_perm(PERM_ADD) or user.has_perm(PERM_ILLUSTRATE)


def why_not_verify_word(user: AnyUser, article: Article, severity: str) -> str | None:
    """Return why user may not mark a hit of this severity on article 已核实, or None."""
    if not (user.has_perm(PERM_DESK) and user.has_perm(PERM_VERIFY)):
        return _("Hits are verified by the desk's reviewers.")
    if article.status not in IN_REVIEW:
        return _("Only copy in review or approved has its hits verified; this is %(status)s.") % {
            "status": article.get_status_display()
        }
    if severity == Severity.BLOCK and not user.has_perm(PERM_VERIFY_BLOCK):
        return _("A blocking word is verified only by the chief editor (or the duty chief editor).")
    return None


def blocking_words(articles: Iterable[Article]) -> dict[int, list[Finding]]:
    """Return {article pk: its blocking hits nobody allowed has verified}, for those with any."""
    return checking.blocking(articles)


def why_not_pass_words(article: Article, found: list[Finding] | None = None) -> str | None:
    """Return why copy may not pass its final review, be placed or signed off, or None.

    found: the article's unverified blocking hits, when the caller has them
    (the preflight checks a whole edition at once).
    """
    if found is None:
        found = checking.blocking([article]).get(article.pk, [])
    if not found:
        return None
    return _(
        "“%(title)s” holds %(words)s (%(where)s): remove it, or have the chief editor "
        "verify it (已核实) with a reason."
    ) % {
        "title": article,
        "words": checking.words(found),
        "where": "、".join(dict.fromkeys(f.label for f in found)),
    }
