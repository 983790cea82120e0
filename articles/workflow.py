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

from dataclasses import dataclass, field, replace
from functools import partial

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import notifications
from .cache import content_changed
from .models import Article, Assignment, Byline, Correction, Edition, Page, TransitionLog
from .permissions import PERM_DESK, PERM_EDITION, PERM_PUBLISH, Refused, is_filer, why_not_review
from .selectors import for_planner

S = Article.Status
E = Edition.Status


class TransitionRefused(Refused):
    """A workflow step that may not be taken; the message says why, and nothing changed."""


# Who may take a step: the article's filer, the desk (editors), the reviewer
# of the level the copy awaits (permissions.why_not_review), or those who may
# publish and withdraw (editors too; the distinction keeps roles open).
FILER, DESK, REVIEWER, PUBLISHER = "filer", "desk", "reviewer", "publisher"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    who: str
    note_required: bool = False


UNPUBLISHED = frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED})
# Steps that (re)start the review: the copy goes through every level again.
REVIEW_RESTARTS = frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED})

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


def _may_act_as(user, who, article):
    if who == FILER:
        return user.is_superuser or is_filer(user, article)
    if who == DESK:
        return user.has_perm(PERM_DESK)
    if who == REVIEWER:
        return why_not_review(user, article) is None
    return user.has_perm(PERM_PUBLISH)


# --- article transitions ----------------------------------------------------


def _status_label(status):
    return str(S(status).label)


def refusal(article, name, user, note=""):
    """Return why user may not take transition name now, or None if they may."""
    transition = ARTICLE_TRANSITIONS.get(name)
    if transition is None:
        return _("There is no workflow step called “%(name)s”.") % {"name": name}
    if article.status not in transition.sources:
        return _("“%(action)s” is not possible: the article is %(status)s.") % {
            "action": transition.label,
            "status": _status_label(article.status),
        }
    if not _may_act_as(user, transition.who, article):
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
    if name == "publish_now" and article.page_id is not None:
        return _(
            "This article is placed in an edition and will be published with it; "
            "take it off the page first to publish it on the web alone."
        )
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


def _log(
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


def _save_locked(article, user, fields):
    """Save the locked article, raising its version so stale forms are refused."""
    article.updated_by = user
    article.version = F("version") + 1
    article.save(update_fields=[*fields, "updated_by", "version", "updated_at"])
    article.refresh_from_db(fields=["version"])


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
        if base_version is not None and int(base_version) != locked.version:
            raise TransitionRefused(
                _(
                    "Someone changed this article after you opened it; reload the page, "
                    "read their version, then try again."
                )
            )
        target = ARTICLE_TRANSITIONS[name].target
        from_status, now, level = locked.status, timezone.now(), None
        if name == "approve":
            level = locked.awaited_level
            locked.review_level = int(level)
            if level < locked.review_levels:
                target = S.SUBMITTED  # a later level is still to come
        elif target in REVIEW_RESTARTS:
            locked.review_level = 0
        locked.status = target
        if level is None or target == S.APPROVED:
            # A level short of the last leaves the copy as submitted, when and by whom.
            _stamp(locked, target, user, now)
        _save_locked(
            locked,
            user,
            [
                "status",
                "review_level",
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
        _log(
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
        tell(K.REVIEW, notifications.reviewers(next_level), level=next_level)


def last_return(article):
    """Return the latest log entry of the desk returning the article, if any."""
    return (
        article.transitions.filter(action="return")
        .select_related("actor__person")
        .order_by("-at", "-pk")
        .first()
    )


# --- placement --------------------------------------------------------------


def _check_planning(edition):
    if edition.status != E.PLANNING:
        raise TransitionRefused(
            _("The edition of %(date)s is %(status)s; reopen it to change its pages.")
            % {"date": edition.date, "status": E(edition.status).label}
        )


def _renumber(page):
    articles = list(page.articles.order_by("position", "pk"))
    for position, item in enumerate(articles, start=1):
        if item.position != position:
            Article.objects.filter(pk=item.pk).update(position=position)


def place(article, *, user, page, position=None):
    """Place approved copy on page (at position, default last) of an edition being planned."""
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        page = Page.objects.select_related("edition").get(pk=page.pk)
        if not user.has_perm(PERM_DESK):
            raise TransitionRefused(_("Only the desk places copy on pages."))
        if locked.status != S.APPROVED:
            raise TransitionRefused(
                _("Only approved copy is placed on pages; this article is %(status)s.")
                % {"status": _status_label(locked.status)}
            )
        _check_planning(page.edition)
        old_page = locked.page
        if old_page is not None:
            _check_planning(old_page.edition)
        last = page.articles.exclude(pk=locked.pk).aggregate(m=Max("position"))["m"] or 0
        if position is None or position > last:
            position = last + 1
        # Make room: everything at or below the new position moves down one.
        page.articles.exclude(pk=locked.pk).filter(position__gte=position).update(
            position=F("position") + 1
        )
        locked.page, locked.position = page, position
        _save_locked(locked, user, ["page", "position"])
        _renumber(page)
        if old_page is not None and old_page.pk != page.pk:
            _renumber(old_page)
        _log(
            user=user,
            action="place",
            from_status=locked.status,
            to_status=locked.status,
            note=_("%(page)s, position %(position)s") % {"page": page, "position": position},
            article=locked,
        )
    return locked


def unplace(article, *, user):
    """Take copy off its page while the edition is being planned."""
    with transaction.atomic():
        locked = (
            # Lock the article row only: PostgreSQL cannot lock the nullable
            # side of the outer join to its page.
            Article.objects.select_for_update(of=("self",))
            .select_related("page__edition")
            .get(pk=article.pk)
        )
        if not user.has_perm(PERM_DESK):
            raise TransitionRefused(_("Only the desk places copy on pages."))
        if locked.page is None:
            raise TransitionRefused(_("This article is not on a page."))
        _check_planning(locked.page.edition)
        page = locked.page
        locked.page, locked.position = None, 0
        _save_locked(locked, user, ["page", "position"])
        _renumber(page)
        _log(
            user=user,
            action="unplace",
            from_status=locked.status,
            to_status=locked.status,
            note=str(page),
            article=locked,
        )
    return locked


def file_on_page(article, *, user, page, position):
    """Put imported copy where the page it came from printed it, in any state before approval.

    The importer's door: the layout system placed the copy already, so it
    sits on its page while the desk works it; the preflight still wants it
    approved before sign-off.
    """
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        page = Page.objects.select_related("edition").get(pk=page.pk)
        if not user.has_perm(PERM_DESK):
            raise TransitionRefused(_("Only the desk places copy on pages."))
        if locked.status not in {S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED}:
            raise TransitionRefused(
                _("%(status)s copy is not placed on pages.")
                % {"status": _status_label(locked.status)}
            )
        _check_planning(page.edition)
        if (locked.page_id, locked.position) == (page.pk, position):
            return locked
        locked.page, locked.position = page, position
        _save_locked(locked, user, ["page", "position"])
        _log(
            user=user,
            action="file_on_page",
            from_status=locked.status,
            to_status=locked.status,
            note=_("%(page)s, position %(position)s") % {"page": page, "position": position},
            article=locked,
        )
    return locked


def move(article, *, user, offset):
    """Move placed copy up (offset -1) or down (+1) on its page."""
    if article.page_id is None:
        raise TransitionRefused(_("This article is not on a page."))
    return place(article, user=user, page=article.page, position=max(1, article.position + offset))


# --- corrections ------------------------------------------------------------


def correct(article, *, user, note):
    """Record a correction of published copy (更正) and refresh what readers see."""
    note = note.strip()
    if article.status != S.PUBLISHED:
        raise TransitionRefused(_("Only published copy takes a correction."))
    if not user.has_perm(PERM_PUBLISH):
        raise TransitionRefused(_("Only editors may change published copy."))
    if not note:
        raise Refused(_("Changing published copy needs a correction note."), "correction")
    correction = Correction.objects.create(article=article, text=note, created_by=user)
    content_changed(articles=[article])
    return correction


# --- editions ---------------------------------------------------------------


@dataclass
class Problem:
    """Something that stops an edition from being signed off."""

    message: str
    page: Page | None = None
    article: Article | None = None
    photo: object = None
    code: str = ""

    def __str__(self):
        return str(self.message)


@dataclass
class Preflight:
    edition: Edition
    problems: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.problems

    def for_page(self, page):
        return [p for p in self.problems if p.page == page and p.article is None]

    def for_article(self, article):
        return [p for p in self.problems if p.article == article]


def preflight(edition, pages=None):
    """List every problem that stops edition from being signed off."""
    result = Preflight(edition)
    add = result.problems.append
    pages = for_planner(edition) if pages is None else pages
    if edition.number is None:
        add(Problem(_("The edition has no number (期号)."), code="no_number"))
    if not pages:
        add(Problem(_("The edition has no pages."), code="no_pages"))
    for page in pages:
        if not page.name:
            add(Problem(_("%(page)s has no name.") % {"page": page}, page=page, code="page_name"))
        if page.editor_id is None:
            add(
                Problem(
                    _("%(page)s has no page editor.") % {"page": page},
                    page=page,
                    code="page_editor",
                )
            )
        articles = list(page.articles.all())
        if not articles:
            add(Problem(_("%(page)s is empty.") % {"page": page}, page=page, code="empty_page"))
        for article in articles:
            _article_problems(article, page, add)
    return result


def _article_problems(article, page, add):
    def problem(message, code, photo=None):
        add(Problem(message, page=page, article=article, photo=photo, code=code))

    title = str(article)
    if article.status == S.SUBMITTED:
        problem(
            _("“%(title)s” awaits %(review)s; it is not approved yet.")
            % {"title": title, "review": review_progress(article)},
            "not_approved",
        )
    elif article.status != S.APPROVED:
        problem(
            _("“%(title)s” is %(status)s, not approved.")
            % {"title": title, "status": _status_label(article.status)},
            "not_approved",
        )
    if not article.bylines.all():
        problem(_("“%(title)s” has no byline.") % {"title": title}, "no_byline")
    uses = list(article.article_photos.all())
    if article.kind == Article.Kind.PHOTO and not uses:
        problem(_("Photo news “%(title)s” is awaiting its picture.") % {"title": title}, "no_photo")
    for use in uses:
        # The photo says what it lacks (media owns that rule); the preflight
        # says which story it belongs to.
        for gap in use.photo.missing(caption=use.caption):
            problem(
                _("A photo of “%(title)s”: %(missing)s.") % {"title": title, "missing": gap.label},
                f"photo_{gap.value}",
                use.photo,
            )


def _refuse_problems(edition):
    report = preflight(edition)
    if not report.ok:
        raise TransitionRefused(
            _(
                "The edition cannot be signed off: %(count)s problems remain, starting with: %(first)s"
            )
            % {"count": len(report.problems), "first": report.problems[0]}
        )


def sign_off(edition, *, user):
    """Sign off an edition being planned, if its preflight finds nothing."""
    return _edition_change(
        edition,
        user,
        "sign_off",
        {E.PLANNING},
        E.SIGNED_OFF,
        check=_refuse_problems,
        fields=lambda e, now: {"signed_off_at": now, "signed_off_by": user},
    )


def reopen_edition(edition, *, user):
    """Send a signed-off edition back to planning (cancelling any schedule)."""
    return _edition_change(
        edition,
        user,
        "reopen",
        {E.SIGNED_OFF},
        E.PLANNING,
        fields=lambda e, now: {
            "signed_off_at": None,
            "signed_off_by": None,
            "scheduled_at": None,
            "scheduled_by": None,
        },
    )


def schedule(edition, *, user, at):
    """Schedule a signed-off edition for publication by publish_scheduled at time at."""
    if at <= timezone.now():
        raise TransitionRefused(_("Choose a time in the future, or publish now."))
    return _edition_change(
        edition,
        user,
        "schedule",
        {E.SIGNED_OFF},
        E.SIGNED_OFF,
        note=timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
        fields=lambda e, now: {"scheduled_at": at, "scheduled_by": user},
    )


def unschedule(edition, *, user):
    """Cancel a signed-off edition's scheduled publication."""
    return _edition_change(
        edition,
        user,
        "unschedule",
        {E.SIGNED_OFF},
        E.SIGNED_OFF,
        fields=lambda e, now: {"scheduled_at": None, "scheduled_by": None},
    )


def _edition_change(edition, user, action, sources, target, *, fields, note="", check=None):
    if not user.has_perm(PERM_EDITION):
        raise TransitionRefused(_("Only the chief editor signs off and publishes editions."))
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.status not in sources:
            raise TransitionRefused(
                _("The edition of %(date)s is %(status)s.")
                % {"date": locked.date, "status": E(locked.status).label}
            )
        if check:
            check(locked)
        from_status, now = locked.status, timezone.now()
        locked.status = target
        for name, value in fields(locked, now).items():
            setattr(locked, name, value)
        # A step moves the version: a form opened before it is stale.
        locked.version = F("version") + 1
        locked.save()
        locked.refresh_from_db(fields=["version"])
        _log(
            user=user,
            action=action,
            from_status=from_status,
            to_status=target,
            note=note,
            edition=locked,
            at=now,
        )
    return locked


def publish_edition(edition, *, user):
    """Publish a signed-off edition and every article placed in it: all or none."""
    if not user.has_perm(PERM_EDITION):
        raise TransitionRefused(_("Only the chief editor signs off and publishes editions."))
    return _publish(edition, user=user, only_if_due=False)


def _publish(edition, *, user, only_if_due):
    now = timezone.now()
    with transaction.atomic():
        # Claim the edition with a conditional UPDATE: of two overlapping
        # runs, the second waits on the row lock, then matches nothing.
        claim = Edition.objects.filter(pk=edition.pk, status=E.SIGNED_OFF)
        if only_if_due:
            claim = claim.filter(scheduled_at__lte=now)
        published = claim.update(
            status=E.PUBLISHED, published_at=now, published_by=user, version=F("version") + 1
        )
        if not published:
            current = Edition.objects.get(pk=edition.pk)
            if only_if_due:
                return None
            raise TransitionRefused(
                _("The edition of %(date)s is %(status)s, not signed off.")
                % {"date": current.date, "status": E(current.status).label}
            )
        locked = Edition.objects.get(pk=edition.pk)
        report = preflight(locked)
        if not report.ok:
            raise TransitionRefused(
                _("The edition cannot be published: %(first)s") % {"first": report.problems[0]}
            )
        articles = list(
            Article.objects.select_for_update()
            .filter(page__edition=locked)
            .order_by("page__number", "position")
        )
        for article in articles:
            _publish_article(article, user=user, at=now, edition=locked)
        _tell_published(articles, user=user)
        _log(
            user=user,
            action="publish",
            from_status=E.SIGNED_OFF,
            to_status=E.PUBLISHED,
            note=_("%(count)s articles published") % {"count": len(articles)},
            edition=locked,
            at=now,
        )
        content_changed(editions=[locked])
    return locked


def _publish_article(article, *, user, at, edition):
    from_status = article.status
    article.status = S.PUBLISHED
    article.published_at, article.published_by = at, user
    _save_locked(article, user, ["status", "published_at", "published_by"])
    _log(
        user=user,
        action="publish_with_edition",
        from_status=from_status,
        to_status=S.PUBLISHED,
        note=str(edition),
        article=article,
        at=at,
    )


def _tell_published(articles, *, user):
    """Tell each article's filers that it is out, in a fixed number of queries."""
    if not articles:
        return
    K = notifications.Notification.Kind
    created = {a.pk: a.created_by_id for a in articles}
    bylined = {}
    for article_id, user_id in Byline.objects.filter(
        article__in=articles, person__user__is_active=True
    ).values_list("article_id", "person__user"):
        bylined.setdefault(article_id, set()).add(user_id)
    users = get_user_model().objects.in_bulk(
        {*filter(None, created.values()), *(u for ids in bylined.values() for u in ids)}
    )
    notifications.notify_each(
        K.PUBLISHED,
        [
            (
                article,
                [
                    users[pk]
                    for pk in {created[article.pk], *bylined.get(article.pk, ())}
                    if pk in users and users[pk].is_active
                ],
            )
            for article in articles
        ],
        actor=user,
    )


def due_editions(now=None):
    """Return the signed-off editions whose scheduled time has come."""
    now = now or timezone.now()
    return Edition.objects.filter(status=E.SIGNED_OFF, scheduled_at__lte=now).order_by(
        "scheduled_at", "date"
    )


def publish_due():
    """Publish every edition that is due; return (published, failed) lists.

    Safe to run from cron every minute and in overlapping runs: each edition
    is claimed by one conditional UPDATE, so none is published twice.
    """
    published, failed = [], []
    for edition in due_editions():
        try:
            result = _publish(edition, user=edition.scheduled_by, only_if_due=True)
        except TransitionRefused as error:
            failed.append((edition, str(error)))
            continue
        if result is not None:
            published.append(result)
    return published, failed
