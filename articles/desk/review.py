"""The review record (三审): what a round of review needs, who approved what, and what changed since.

Copy is reviewed in rounds. Submitting it opens a round (a Submission) that
records the levels the copy's section asks for at that moment: a later
change of section or of the section's levels never lowers them, and moving
the copy to a section with more levels raises them. Each approval is an
Approval row: its level, its approver (who held that level's role, or the
workflow would have refused), when, and the revision it approved.

Publication, placement and the preflight ask the record itself
(why_not_approved), not the status: every level the round needs approved,
each by a different person, and nothing since that needs review again.

A change to approved copy by anyone but the final approver is recorded
against the round (ChangeAfterApproval) and told to those who approved it.
Corrections of wording (the body, the summary, tags, a caption) stand; a
change of what the piece is (its headline stack, kind, source, section,
bylines, or its photos) voids the final level's approval and sends the copy
back to that level, as 三审三校 asks: the last reviewer answers for the copy
as it is printed.

This module keeps the record; articles.desk.workflow moves the status.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles.desk.levels import ReviewLevel
from articles.models import Approval, Article, ChangeAfterApproval, Submission

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from articles.copy.revisions import Snapshot
    from articles.models import Revision
    from articles.permissions.base import AnyUser


S = Article.Status

# What a change of approved copy must touch to need review again: what the
# piece is and who it is by, not how a sentence is worded.
NEEDS_REVIEW = (
    "kind",
    "kicker",
    "headline",
    "subheadline",
    "web_headline",
    "source",
    "section",
    "bylines",
    "photos",
)


def section_levels(article: Article) -> int:
    """The levels article's section asks for now (one without a section)."""
    return article.section.review_levels if article.section is not None else 1


def current_round(article: Article) -> Submission | None:
    """Return article's open round of review (a Submission), or None."""
    return Submission.objects.filter(article=article, closed_at=None).first()


def standing_approvals(submission: Submission | None) -> dict[int, Approval]:
    """The approvals of a round that still count, by level."""
    if submission is None:
        return {}
    return {
        approval.level: approval
        for approval in submission.approvals.filter(voided_at=None).select_related("approver")
    }


def open_round(article: Article, *, user: User, at: datetime) -> None:
    """Start a round for article, needing its section's levels now; end any round still open."""
    close_round(article, at=at)
    levels = section_levels(article)
    Submission.objects.create(
        article=article,
        section_id=article.section_id,
        levels=levels,
        submitted_by=user,
        submitted_at=at,
    )
    article.levels_needed, article.review_level = levels, 0


def close_round(article: Article, *, at: datetime) -> None:
    """End article's open round (returned, withdrawn, reopened or spiked)."""
    Submission.objects.filter(article=article, closed_at=None).update(closed_at=at)
    article.levels_needed, article.review_level = 0, 0


def approved_other_level(user: AnyUser, article: Article, level: ReviewLevel) -> bool:
    """Return whether user gave a level other than level in article's open round."""
    submission = current_round(article)
    return (
        submission is not None
        and user.is_authenticated
        and submission.approvals.filter(voided_at=None, approver=user)
        .exclude(level=int(level))
        .exists()
    )


def record_approval(
    article: Article, *, user: User, at: datetime, revision: Revision | None
) -> ReviewLevel:
    """Record user's approval of the level article awaits; return that level.

    article.review_level becomes the number of levels standing, which the
    status follows (articles.desk.workflow): approved once it is the round's
    last.
    """
    submission = current_round(article)
    assert submission is not None  # only submitted copy is approved: its round is open
    level = ReviewLevel(len(standing_approvals(submission)) + 1)
    Approval.objects.create(
        submission=submission, level=level, approver=user, at=at, revision=revision
    )
    article.review_level = int(level)
    return level


def why_not_approved(article: Article) -> str | None:
    """Return why the record does not let article run (be placed or published), or None.

    Every level its round needs approved, each by a different person, and no
    change since that needs review again (that voids the final approval).
    """
    return unapproved([article]).get(article.pk)


def unapproved(articles: Iterable[Article]) -> dict[int, str]:
    """Return {article id: why the record does not let it run} for articles, in two queries."""
    articles = list(articles)
    rounds = {
        submission.article_id: submission
        for submission in Submission.objects.filter(article__in=articles, closed_at=None)
    }
    standing: dict[int, dict[int, Approval]] = {}
    for approval in Approval.objects.filter(
        submission__in=rounds.values(), voided_at=None
    ).order_by("level"):
        standing.setdefault(approval.submission_id, {})[approval.level] = approval
    reasons: dict[int, str] = {}
    for article in articles:
        submission = rounds.get(article.pk)
        approvals = standing.get(submission.pk, {}) if submission is not None else {}
        reason = _why_not(article, submission, approvals)
        if reason:
            reasons[article.pk] = reason
    return reasons


def _why_not(
    article: Article, submission: Submission | None, approvals: dict[int, Approval]
) -> str | None:
    if submission is None:
        return _("“%(title)s” has not been submitted for review.") % {"title": article}
    missing = [
        ReviewLevel(level).label
        for level in range(1, submission.levels + 1)
        if level not in approvals
    ]
    if missing:
        return _("“%(title)s” still needs %(levels)s.") % {
            "title": article,
            "levels": "、".join(str(label) for label in missing),
        }
    approvers = [approvals[level].approver_id for level in range(1, submission.levels + 1)]
    if len(set(approvers)) < len(approvers):
        return _("“%(title)s” was approved at two levels by the same person.") % {"title": article}
    return None


def raise_for_section(article: Article, *, at: datetime) -> bool:
    """Raise the levels article's round needs to its new section's, if that asks for more.

    Return whether they rose; the status then follows (approved copy awaits
    the next level again, articles.desk.workflow).
    """
    submission = current_round(article)
    levels = section_levels(article)
    if submission is None or levels <= submission.levels:
        return False
    Submission.objects.filter(pk=submission.pk).update(levels=levels)
    article.levels_needed = levels
    return True


def changed_fields(before: Snapshot, after: Snapshot) -> list[str]:
    """Name what changed between two revision snapshots (articles.copy.revisions.snapshot)."""
    changed = [
        name for name, value in after["fields"].items() if before["fields"].get(name) != value
    ]
    if before["section"] != after["section"]:
        changed.append("section")
    if before["bylines"] != after["bylines"]:
        changed.append("bylines")
    before_photos = [p["photo"] for p in before["photos"]]
    after_photos = [p["photo"] for p in after["photos"]]
    if before_photos != after_photos:
        changed.append("photos")
    elif before["photos"] != after["photos"]:
        changed.append("captions")
    if before["tags"] != after["tags"]:
        changed.append("tags")
    return changed


def final_approval(submission: Submission | None) -> Approval | None:
    """The standing approval of a round's last level, or None."""
    if submission is None:
        return None
    return standing_approvals(submission).get(submission.levels)


def record_change(
    article: Article, *, user: User, changed: list[str], revision: Revision | None, at: datetime
) -> ChangeAfterApproval | None:
    """Record a change of approved copy against its round; return the record, or None.

    None when nothing is recorded: copy not approved, or changed by its
    final approver (who answers for it as it stands). A change of what
    needs review voids the final approval; the caller sends the copy back.
    """
    submission = current_round(article)
    final = final_approval(submission)
    if submission is None or final is None:
        return None
    if article.status != S.APPROVED or final.approver_id == user.pk:
        return None
    needs_review = any(name in NEEDS_REVIEW for name in changed)
    kind = ChangeAfterApproval.Kind.REVIEW if needs_review else ChangeAfterApproval.Kind.WORDING
    change = ChangeAfterApproval.objects.create(
        submission=submission,
        revision=revision,
        kind=kind,
        changed=changed,
        changed_by=user,
        at=at,
    )
    if needs_review:
        Approval.objects.filter(pk=final.pk).update(voided_at=at, voided_by=user)
    return change


def approvers(submission: Submission | None) -> list[User]:
    """The people who approved a round (standing or not), in level order."""
    if submission is None:
        return []
    seen: set[int] = set()
    people: list[User] = []
    for approval in submission.approvals.select_related("approver").order_by("level", "at"):
        if approval.approver is not None and approval.approver.pk not in seen:
            seen.add(approval.approver.pk)
            people.append(approval.approver)
    return people


# What the approvers are told, in the words of the fields changed.
FIELD_NAMES = {
    "kind": gettext_lazy("kind"),
    "kicker": gettext_lazy("kicker"),
    "headline": gettext_lazy("headline"),
    "subheadline": gettext_lazy("subheadline"),
    "web_headline": gettext_lazy("web headline"),
    "source": gettext_lazy("source"),
    "body": gettext_lazy("body"),
    "summary": gettext_lazy("summary"),
    "section": gettext_lazy("section"),
    "bylines": gettext_lazy("bylines"),
    "photos": gettext_lazy("photos"),
    "captions": gettext_lazy("captions"),
    "tags": gettext_lazy("tags"),
}


def describe_change(change: ChangeAfterApproval) -> str:
    """Say what a change after approval touched and what it does, for its notice."""
    fields = "、".join(str(FIELD_NAMES.get(name, name)) for name in change.changed)
    if change.kind == ChangeAfterApproval.Kind.REVIEW:
        return _("Changed: %(fields)s. It awaits the final review again.") % {"fields": fields}
    return _("Changed: %(fields)s (wording; the approvals stand).") % {"fields": fields}


def why_again(change: ChangeAfterApproval | None) -> str:
    """The log's note when copy goes back to a level of review."""
    if change is not None and change.kind == ChangeAfterApproval.Kind.REVIEW:
        return describe_change(change)
    return _("Its new section needs more levels of review.")
