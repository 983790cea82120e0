"""The editorial workflow: every change of an article's or an edition's status.

Copy moves draft → submitted → approved → published, with returned (back to
the filer with a note), spiked (will not run) and withdrawn (taken down after
publication). Editions move planning → signed_off → published.

Submitted copy is reviewed at the levels its section asks for (三审: 初审,
复审, 终审): each approval is logged with its level, and only the last one
makes the copy approved. Returning, withdrawing the submission and reopening
start the review again from the first level.

Each step checks who may take it and from which state, inside a transaction
with the row locked; sets the status with its timestamp and actor together;
and writes a TransitionLog row. A refused step raises TransitionRefused and
changes nothing. Nothing else in the project changes a status: the admin, the
commands and the demo all call this module.

Who may take a step is asked of articles.permissions (the role groups'
permissions plus the object rules: the *filer* of an article is the user who
created it or is bylined on it). Content changes go through
articles.services; this module moves status and placement only.
"""

from dataclasses import dataclass, replace
from functools import partial

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import permissions
from articles.cache import content_changed
from articles.desk import notifications, review
from articles.models import Article, Assignment, Edition, TransitionLog
from articles.permissions import DESK, FILER, PUBLISHER, REVIEWER, Refused, why_not_review

S = Article.Status
E = Edition.Status


class TransitionRefused(Refused):
    """A workflow step that may not be taken; the message says why, and nothing changed."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    who: str
    note_required: bool = False


UNPUBLISHED = frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED})
# Steps that open a new round of review (articles.desk.review): the copy goes
# through every level its section asks for now, approvals on record or not.
ROUND_STARTS = frozenset({"submit", "resubmit", "reopen"})
# Steps that end a round: the copy leaves the desk's review.
ROUND_ENDS = frozenset({"unsubmit", "return", "spike"})

ARTICLE_TRANSITIONS = {
    t.name: t
    for t in [
        Transition("submit", gettext_lazy("Submit"), frozenset({S.DRAFT}), S.SUBMITTED, FILER),
        Transition(
            "unsubmit",
            gettext_lazy("Withdraw submission"),
            frozenset({S.SUBMITTED}),
            S.DRAFT,
            FILER,
        ),
        Transition(
            "return",
            gettext_lazy("Return to the filer"),
            frozenset({S.SUBMITTED}),
            S.RETURNED,
            DESK,
            note_required=True,
        ),
        Transition(
            "resubmit", gettext_lazy("Resubmit"), frozenset({S.RETURNED}), S.SUBMITTED, FILER
        ),
        # One level of review; only the last level moves the copy to approved.
        Transition(
            "approve", gettext_lazy("Approve"), frozenset({S.SUBMITTED}), S.APPROVED, REVIEWER
        ),
        Transition("reopen", gettext_lazy("Reopen"), frozenset({S.APPROVED}), S.SUBMITTED, DESK),
        Transition("spike", gettext_lazy("Spike"), UNPUBLISHED, S.SPIKED, DESK, note_required=True),
        Transition(
            "publish_now",
            gettext_lazy("Publish on the web now"),
            frozenset({S.APPROVED}),
            S.PUBLISHED,
            PUBLISHER,
        ),
        Transition(
            "withdraw",
            gettext_lazy("Withdraw from publication"),
            frozenset({S.PUBLISHED}),
            S.WITHDRAWN,
            PUBLISHER,
            note_required=True,
        ),
    ]
}


# --- article transitions ----------------------------------------------------


def status_label(status):
    return str(S(status).label)


def refusal(article, name, user, note=""):
    """Return why user may not take transition name now, or None if they may."""
    transition = ARTICLE_TRANSITIONS.get(name)
    if transition is None:
        return _("There is no workflow step called “%(name)s”.") % {"name": name}
    if article.status not in transition.sources:
        return _("“%(action)s” is not possible: the article is %(status)s.") % {
            "action": transition.label,
            "status": status_label(article.status),
        }
    if not permissions.may_act_as(user, transition.who, article):
        if transition.who == REVIEWER:
            return why_not_review(user, article)
        if transition.who == FILER:
            return _("Only the article's author may %(action)s it.") % {
                "action": str(transition.label).lower()
            }
        return _("You may not “%(action)s”: that is the desk's decision.") % {
            "action": transition.label
        }
    if transition.note_required and not note.strip():
        return _("“%(action)s” needs a note saying why.") % {"action": transition.label}
    if name in ("submit", "resubmit"):
        if reason := permissions.why_not_submit_unsigned(user, article):
            return reason
    if name == "publish_now" and article.page_id is not None:
        return _(
            "This article is placed in an edition and will be published with it; "
            "take it off the page first to publish it on the web alone."
        )
    # 审校 (issue 28): a blocking word nobody allowed has verified stops the last level
    # and publication on the web.
    if name == "publish_now" or (
        name == "approve" and article.awaited_level == article.review_levels
    ):
        if reason := permissions.why_not_pass_words(article):
            return reason
    if name == "publish_now":
        # The record, not the status: every level approved, nothing since to review again.
        return review.why_not_approved(article)
    return None


def allowed_transitions(user, article):
    """Return the transitions user may take on article now (notes aside).

    The approval is labelled with the level it gives (初审通过…) when the
    copy's section has more than one.
    """
    return [
        replace(t, label=approve_label(article)) if name == "approve" else t
        for name, t in ARTICLE_TRANSITIONS.items()
        if refusal(article, name, user, note="-") is None
    ]


def approve_label(article):
    """The approval button's words for the level submitted copy awaits."""
    if article.review_levels == 1:
        return ARTICLE_TRANSITIONS["approve"].label
    return _("Pass %(level)s") % {"level": article.awaited_level.label}


def review_progress(article):
    """Where submitted copy stands in its review: '复审 (2/3)', or '' for other copy."""
    level = article.awaited_level
    if level is None:
        return ""
    return _("%(level)s (%(number)s/%(levels)s)") % {
        "level": level.label,
        "number": int(level),
        "levels": article.review_levels,
    }


def _stamp(article, target, user, now):
    """Set the timestamp and actor that go with reaching target."""
    if target == S.SUBMITTED:
        article.submitted_at, article.submitted_by = now, user
    elif target == S.APPROVED:
        article.approved_at, article.approved_by = now, user
    elif target == S.PUBLISHED:
        article.published_at, article.published_by = now, user
    elif target == S.SPIKED:
        article.spiked_at = now
        # Spiked copy will not run: it leaves its page.
        article.page, article.position = None, 0
    elif target == S.WITHDRAWN:
        article.withdrawn_at = now


def log_step(
    *,
    user,
    action,
    from_status,
    to_status,
    note="",
    article=None,
    edition=None,
    at=None,
    level=None,
):
    return TransitionLog.objects.create(
        article=article,
        edition=edition,
        actor=user,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        at=at or timezone.now(),
        level=level,
    )


def save_locked(article, user, fields):
    """Save the locked article, raising its version so stale forms are refused."""
    article.updated_by = user
    article.version = F("version") + 1
    article.save(update_fields=[*fields, "updated_by", "version", "updated_at"])
    article.refresh_from_db(fields=["version"])


def refuse_if_stale(article, base_version):
    """Refuse a step taken from a page that showed an older version of the copy."""
    if base_version is not None and int(base_version) != article.version:
        raise TransitionRefused(
            _(
                "Someone changed this article after you opened it; reload the page, "
                "read their version, then try again."
            )
        )


def transition(article, name, *, user, note="", base_version=None):
    """Take workflow step name on article as user; return the updated article.

    base_version, when the step comes from a page showing the copy, is the
    version that page showed: a step taken on copy changed since is refused.
    """
    note = note.strip()
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        reason = refusal(locked, name, user, note)
        if reason:
            raise TransitionRefused(reason)
        refuse_if_stale(locked, base_version)
        target = ARTICLE_TRANSITIONS[name].target
        from_status, now, level = locked.status, timezone.now(), None
        if name == "approve":
            level = review.record_approval(
                locked, user=user, at=now, revision=locked.revisions.order_by("-number").first()
            )
            if level < locked.levels_needed:
                target = S.SUBMITTED  # a later level is still to come
        elif name in ROUND_STARTS:
            review.open_round(locked, user=user, at=now)
        elif name in ROUND_ENDS:
            review.close_round(locked, at=now)
        locked.status = target
        if level is None or target == S.APPROVED:
            # A level short of the last leaves the copy as submitted, when and by whom.
            _stamp(locked, target, user, now)
        save_locked(
            locked,
            user,
            [
                "status",
                "review_level",
                "levels_needed",
                "submitted_at",
                "submitted_by",
                "approved_at",
                "approved_by",
                "published_at",
                "published_by",
                "spiked_at",
                "withdrawn_at",
                "page",
                "position",
            ],
        )
        log_step(
            user=user,
            action=name,
            from_status=from_status,
            to_status=target,
            note=note,
            article=locked,
            at=now,
            level=level,
        )
        _assignment_follows(locked, name, now)
        _tell(locked, name, user=user, note=note, level=level)
        if S.PUBLISHED in (from_status, target):
            content_changed(articles=[locked])
    return locked


def review_again(article, *, user, note, at=None):
    """Send approved copy back to the level its round now awaits, after its approval was voided.

    Called by the write path when a change needs review again (a change of
    what the piece is after its final approval, or a section that asks for
    more levels); the record (articles.desk.review) says which levels stand.
    """
    now = at or timezone.now()
    locked = Article.objects.select_for_update().get(pk=article.pk)
    submission = review.current_round(locked)
    locked.levels_needed = submission.levels if submission else 0
    locked.review_level = len(review.standing_approvals(submission))
    if locked.status == S.APPROVED and locked.review_level < locked.levels_needed:
        locked.status = S.SUBMITTED
        save_locked(locked, user, ["status", "review_level", "levels_needed"])
        level = locked.awaited_level
        log_step(
            user=user,
            action="review_again",
            from_status=S.APPROVED,
            to_status=S.SUBMITTED,
            note=note,
            article=locked,
            at=now,
        )
        K = notifications.Notification.Kind
        notifications.notify(
            K.REVIEW, permissions.reviewers_at(level), actor=user, article=locked, level=level
        )
    else:
        save_locked(locked, user, ["review_level", "levels_needed"])
    article.status, article.version = locked.status, locked.version
    article.review_level, article.levels_needed = locked.review_level, locked.levels_needed
    return locked


def _assignment_follows(article, name, now):
    """The story assigned as this copy is filed when it is submitted (and back if unsubmitted)."""
    A = Assignment.Status
    if name in ("submit", "resubmit"):
        Assignment.objects.filter(article=article, status=A.ACCEPTED).update(
            status=A.FILED, filed_at=now, version=F("version") + 1
        )
    elif name == "unsubmit":
        Assignment.objects.filter(article=article, status=A.FILED).update(
            status=A.ACCEPTED, filed_at=None, version=F("version") + 1
        )


def _tell(article, name, *, user, note, level):
    """Notify the filers (and the next reviewers) of a step that concerns them."""
    K = notifications.Notification.Kind
    if name in ("submit", "resubmit"):
        # Filed: the section's 初审 editors are told it awaits them.
        notifications.notify(
            K.REVIEW,
            notifications.first_reviewers(article),
            actor=user,
            article=article,
            level=article.awaited_level,
        )
        return
    kind = {
        "return": K.RETURNED,
        "approve": K.APPROVED,
        "publish_now": K.PUBLISHED,
        "withdraw": K.WITHDRAWN,
    }.get(name)
    if kind is None:
        return
    tell = partial(notifications.notify, actor=user, article=article)
    tell(kind, notifications.filers(article), note=note, level=level)
    if name == "approve" and article.status == S.SUBMITTED:
        next_level = article.awaited_level
        tell(K.REVIEW, permissions.reviewers_at(next_level), level=next_level)


def last_return(article):
    """Return the latest log entry of the desk returning the article, if any."""
    return (
        article.transitions.filter(action="return")
        .select_related("actor__person")
        .order_by("-at", "-pk")
        .first()
    )
