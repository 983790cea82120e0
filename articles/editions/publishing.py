"""How an edition is made and published: placement, preflight, sign-off, publication.

Approved copy is placed on the pages of an edition being planned; the
preflight lists what stops the edition from being signed off; the chief
editor signs it off, schedules it or publishes it now, and publishing an
edition publishes every article placed in it in one transaction. Each step
checks who may take it, locks the rows, and writes the transition log, as
the copy's own steps do (articles.desk.workflow).

Publication runs in the background (articles/editions/tasks.py): "publish
now" and a schedule both set the time it is due (scheduled_at) and enqueue
a job to run then; the job publishes the edition if it is still due. A sweep
(TASKS_SWEEPS) publishes what a lost job missed. Whoever comes first claims
the edition with one conditional UPDATE, so it is published once however
many jobs, sweeps and workers race; readers see all of it or none of it.
No cron is needed; `manage.py publish_scheduled` remains a manual tool.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.cache import content_changed
from articles.desk import notifications, review
from articles.desk.workflow import (
    TransitionRefused,
    log_step,
    refuse_if_stale,
    review_progress,
    save_locked,
    status_label,
)
from articles.models import Article, Edition, Page, TransitionLog
from articles.permissions import (
    blocking_words,
    why_not_pass_words,
    why_not_place,
    why_not_run_edition,
)
from articles.selectors import for_planner
from newsroom.background import enqueue_on_commit

S = Article.Status
E = Edition.Status


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


def place(article, *, user, page, position=None, base_version=None):
    """Place approved copy on page (at position, default last) of an edition being planned."""
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        page = Page.objects.select_related("edition").get(pk=page.pk)
        if reason := why_not_place(user):
            raise TransitionRefused(reason)
        refuse_if_stale(locked, base_version)
        if locked.status != S.APPROVED:
            raise TransitionRefused(
                _("Only approved copy is placed on pages; this article is %(status)s.")
                % {"status": status_label(locked.status)}
            )
        if reason := review.why_not_approved(locked):
            raise TransitionRefused(reason)
        _check_planning(page.edition)
        if reason := why_not_pass_words(locked):  # 审校: no blocking word reaches a page
            raise TransitionRefused(reason)
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
        save_locked(locked, user, ["page", "position"])
        _renumber(page)
        if old_page is not None and old_page.pk != page.pk:
            _renumber(old_page)
        log_step(
            user=user,
            action="place",
            from_status=locked.status,
            to_status=locked.status,
            note=_("%(page)s, position %(position)s") % {"page": page, "position": position},
            article=locked,
        )
    return locked


def unplace(article, *, user, base_version=None):
    """Take copy off its page while the edition is being planned."""
    with transaction.atomic():
        locked = (
            # Lock the article row only: PostgreSQL cannot lock the nullable
            # side of the outer join to its page.
            Article.objects.select_for_update(of=("self",))
            .select_related("page__edition")
            .get(pk=article.pk)
        )
        if reason := why_not_place(user):
            raise TransitionRefused(reason)
        refuse_if_stale(locked, base_version)
        if locked.page is None:
            raise TransitionRefused(_("This article is not on a page."))
        _check_planning(locked.page.edition)
        page = locked.page
        locked.page, locked.position = None, 0
        save_locked(locked, user, ["page", "position"])
        _renumber(page)
        log_step(
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
        if reason := why_not_place(user):
            raise TransitionRefused(reason)
        if locked.status not in {S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED}:
            raise TransitionRefused(
                _("%(status)s copy is not placed on pages.")
                % {"status": status_label(locked.status)}
            )
        _check_planning(page.edition)
        if (locked.page_id, locked.position) == (page.pk, position):
            return locked
        locked.page, locked.position = page, position
        save_locked(locked, user, ["page", "position"])
        log_step(
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
    # What sign-off should know that stops nothing (a web-only paper's pages without PDFs).
    notes: list = field(default_factory=list)

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
        if settings.EPAPER and not page.pdf:
            # Readers of the e-paper would get an empty tile for this page.
            add(
                Problem(
                    _("%(page)s has no page PDF: the e-paper would show it empty.")
                    % {"page": page},
                    page=page,
                    code="no_pdf",
                )
            )
        articles = list(page.articles.all())
        if not articles:
            add(Problem(_("%(page)s is empty.") % {"page": page}, page=page, code="empty_page"))
        for article in articles:
            _article_problems(article, page, add)
    # The review record, not the status, says whether approved copy may run.
    placed = {a.pk: (page, a) for page in pages for a in page.articles.all()}
    approved = [a for _page, a in placed.values() if a.status == S.APPROVED]
    for article_id, reason in review.unapproved(approved).items():
        page, article = placed[article_id]
        add(Problem(reason, page=page, article=article, code="not_approved"))
    _word_problems(pages, add)
    if not settings.EPAPER and any(not page.pdf for page in pages):
        result.notes.append(
            _(
                "This paper publishes no e-paper: pages are signed off "
                "without their PDF, and readers get each page's list of articles."
            )
        )
    return result


def _word_problems(pages, add):
    """审校: copy holding a blocking word nobody allowed has verified, named with its page."""
    placed = [(page, article) for page in pages for article in page.articles.all()]
    found = blocking_words([article for _page, article in placed])
    for page, article in placed:
        if article.pk in found:
            reason = why_not_pass_words(article, found[article.pk])
            add(
                Problem(
                    _("%(page)s: %(reason)s") % {"page": page, "reason": reason},
                    page=page,
                    article=article,
                    code="blocked_word",
                )
            )


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
            % {"title": title, "status": status_label(article.status)},
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
            "publish_error": "",
        },
    )


def schedule(edition, *, user, at):
    """Schedule a signed-off edition for publication at time at, by a job due then."""
    if at <= timezone.now():
        raise TransitionRefused(_("Choose a time in the future, or publish now."))
    with transaction.atomic():
        locked = _edition_change(
            edition,
            user,
            "schedule",
            {E.SIGNED_OFF},
            E.SIGNED_OFF,
            note=timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
            fields=lambda e, now: {"scheduled_at": at, "scheduled_by": user, "publish_error": ""},
        )
        _enqueue_publication(locked)
    return locked


def request_publication(edition, *, user):
    """Have a signed-off edition published at once by a background job; return it, still signed off.

    The preflight runs here, so that a problem is refused on the chief's
    click; the job publishes every article in one transaction moments later
    (what publish_edition() does, where the click used to wait for it).
    """
    if reason := why_not_run_edition(user):
        raise TransitionRefused(reason)
    _refuse_unpublishable(edition)
    with transaction.atomic():
        locked = _edition_change(
            edition,
            user,
            "schedule",
            {E.SIGNED_OFF},
            E.SIGNED_OFF,
            note=_("now"),
            fields=lambda e, now: {"scheduled_at": now, "scheduled_by": user, "publish_error": ""},
        )
        _enqueue_publication(locked)
    return locked


def _enqueue_publication(edition):
    from articles.editions.tasks import publish_when_due

    enqueue_on_commit(publish_when_due.using(run_after=edition.scheduled_at), edition.pk)


def unschedule(edition, *, user):
    """Cancel a signed-off edition's scheduled publication (its job then finds nothing due)."""
    return _edition_change(
        edition,
        user,
        "unschedule",
        {E.SIGNED_OFF},
        E.SIGNED_OFF,
        fields=lambda e, now: {"scheduled_at": None, "scheduled_by": None, "publish_error": ""},
    )


def _edition_change(edition, user, action, sources, target, *, fields, note="", check=None):
    if reason := why_not_run_edition(user):
        raise TransitionRefused(reason)
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
        log_step(
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
    if reason := why_not_run_edition(user):
        raise TransitionRefused(reason)
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
        # The preflight reads the copy with its rows locked: what it passed
        # is what is published, and the same objects are written below.
        pages = for_planner(locked, lock=True)
        _refuse_unpublishable(locked, pages)
        articles = [article for page in pages for article in page.articles.all()]
        _publish_articles(articles, user=user, at=now, edition=locked)
        _tell_published(articles, user=user)
        log_step(
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


def _refuse_unpublishable(edition, pages=None):
    report = preflight(edition, pages)
    if not report.ok:
        raise TransitionRefused(
            _("The edition cannot be published: %(first)s") % {"first": report.problems[0]}
        )


def _publish_articles(articles, *, user, at, edition):
    """Publish the locked articles in one UPDATE and log each step in one INSERT.

    The same fields save_locked writes for one article (status, the stamps,
    updated_by, a raised version), set for all at once: an edition of 60
    articles costs two statements here, not 180.
    """
    if not articles:
        return
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(
        status=S.PUBLISHED,
        published_at=at,
        published_by=user,
        updated_by=user,
        updated_at=at,
        version=F("version") + 1,
    )
    note = str(edition)
    logs = []
    for article in articles:
        # The rows are locked, so the version read with them is the one raised.
        from_status = article.status
        article.status, article.published_at, article.published_by = S.PUBLISHED, at, user
        article.updated_by, article.updated_at = user, at
        article.version += 1
        logs.append(
            TransitionLog(
                article=article,
                actor=user,
                action="publish_with_edition",
                from_status=from_status,
                to_status=S.PUBLISHED,
                note=note,
                at=at,
            )
        )
    TransitionLog.objects.bulk_create(logs)


def _tell_published(articles, *, user):
    """Tell each article's filers that it is out, in a fixed number of queries."""
    if not articles:
        return
    K = notifications.Notification.Kind
    created = {a.pk: a.created_by_id for a in articles}
    # The bylines were read with their people by the preflight.
    bylined = {a.pk: {b.person.user_id for b in a.bylines.all()} - {None} for a in articles}
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


def publish_if_due(edition_id):
    """Publish edition_id if it is signed off and due, as whoever scheduled it; the job's work.

    Return the published edition, or None: not due (yet, or any more), or
    published already by another job, sweep or worker. A refusal (the
    preflight found a problem since it was scheduled) is kept on the edition
    (publish_error) for the chief to see, and the sweep leaves it alone until
    the chief schedules, publishes or reopens it again.
    """
    edition = due_editions().filter(pk=edition_id).select_related("scheduled_by").first()
    if edition is None:
        return None
    try:
        return _publish(edition, user=edition.scheduled_by, only_if_due=True)
    except TransitionRefused as refused:
        Edition.objects.filter(pk=edition_id, status=E.SIGNED_OFF).update(
            publish_error=str(refused)[:500]
        )
        raise


def publish_due(*, sweep=False):
    """Publish every edition that is due; return (published, failed) lists.

    Safe to run from many workers at once (the sweep), or by hand
    (publish_scheduled): each edition is claimed by one conditional UPDATE,
    so none is published twice. sweep=True leaves out the editions whose
    publication was refused (publish_error): trying them every minute would
    only refuse them again.
    """
    published, failed = [], []
    due = due_editions()
    if sweep:
        due = due.filter(publish_error="")
    for edition in due.values_list("pk", flat=True):
        try:
            result = publish_if_due(edition)
        except TransitionRefused as error:
            failed.append((Edition.objects.get(pk=edition), str(error)))
            continue
        if result is not None:
            published.append(result)
    return published, failed
