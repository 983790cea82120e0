"""工作台: what each person in the newsroom should see first, as counts that link to lists.

workbench(user) returns the panels that user's roles call for: the filer's
copy and assignments, the photographer's photos and picture requests, the
desk's queue by section and review level with today's pages against their
capacity and the background jobs of the desk that failed, the chief
editor's editions to sign off and scheduled ones. Each
count goes with the filtered admin list it counts. Every panel costs a fixed
number of queries, however much is in the newsroom.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from articles import permissions
from articles.models import (
    Article,
    Assignment,
    Byline,
    Edition,
    Page,
    PageImport,
    ReviewLevel,
    TransitionLog,
)
from media.models import Photo, PhotoCredit
from newsroom.models import JobState

S = Article.Status
A = Assignment.Status
# How many items a panel lists under its counts.
SHOWN = 5


def admin_list(name, **params):
    """The URL of an admin list (admin:<name>_changelist) filtered by params."""
    url = reverse(f"admin:{name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


@dataclass
class Tally:
    label: str
    count: int
    url: str
    urgent: bool = False


@dataclass
class Panel:
    key: str
    title: str
    counts: list = field(default_factory=list)
    items: list = field(default_factory=list)
    extra: dict = field(default_factory=dict)


def _mine(user):
    """The condition 'user created this copy or is bylined on it'."""
    bylined = Exists(Byline.objects.filter(article=OuterRef("pk"), person__user=user))
    return Q(created_by=user) | bylined


def _assigned_to(user):
    on_it = Exists(
        Assignment.reporters.through.objects.filter(assignment=OuterRef("pk"), person__user=user)
    )
    return Q(proposed_by=user) | Q(photographer__user=user) | on_it


def filer_panel(user, now):
    """The reporter's (and correspondent's) own copy and assignments."""
    counts = Article.objects.filter(_mine(user)).aggregate(
        drafts=Count("pk", filter=Q(status=S.DRAFT)),
        returned=Count("pk", filter=Q(status=S.RETURNED)),
        submitted=Count("pk", filter=Q(status=S.SUBMITTED)),
    )
    last_note = (
        TransitionLog.objects.filter(article=OuterRef("pk"), action="return")
        .order_by("-at", "-pk")
        .values("note")[:1]
    )
    returned = list(
        Article.objects.filter(_mine(user), status=S.RETURNED)
        .annotate(return_note=Subquery(last_note))
        .only("pk", "kind", "headline", "web_headline", "body", "updated_at")
        .order_by("-updated_at", "-pk")[:SHOWN]
    )
    assignments = Assignment.objects.filter(_assigned_to(user))
    tally = assignments.aggregate(
        open=Count("pk", filter=Q(status=A.ACCEPTED)),
        proposed=Count("pk", filter=Q(status=A.PROPOSED)),
        overdue=Count("pk", filter=Q(status__in=[A.PROPOSED, A.ACCEPTED], deadline__lt=now)),
    )
    open_assignments = list(
        assignments.filter(status=A.ACCEPTED)
        .select_related("article", "page__edition")
        .order_by("deadline", "pk")[:SHOWN]
    )
    return Panel(
        "filer",
        _("My copy"),
        counts=[
            Tally(
                _("drafts"),
                counts["drafts"],
                admin_list("articles_article", mine=1, status__exact=S.DRAFT),
            ),
            Tally(
                _("returned to me"),
                counts["returned"],
                admin_list("articles_article", mine=1, status__exact=S.RETURNED),
                urgent=bool(counts["returned"]),
            ),
            Tally(
                _("submitted, awaiting review"),
                counts["submitted"],
                admin_list("articles_article", mine=1, status__exact=S.SUBMITTED),
            ),
            Tally(
                _("stories assigned to me"),
                tally["open"],
                admin_list("articles_assignment", mine=1, status__exact=A.ACCEPTED),
            ),
            Tally(
                _("my proposals awaiting the desk"),
                tally["proposed"],
                admin_list("articles_assignment", mine=1, status__exact=A.PROPOSED),
            ),
            Tally(
                _("overdue"),
                tally["overdue"],
                admin_list("articles_assignment", mine=1, overdue=1),
                urgent=bool(tally["overdue"]),
            ),
        ],
        items=returned,
        extra={"assignments": open_assignments},
    )


def photographer_panel(user, now):
    """Photos still lacking caption or credit, and the stories asking for pictures."""
    credited = Exists(PhotoCredit.objects.filter(photo=OuterRef("pk")))
    photos = Photo.objects.aggregate(
        no_caption=Count("pk", filter=Q(caption="")),
        no_credit=Count("pk", filter=~Q(credited)),
    )
    requests = Assignment.objects.filter(photographer__user=user, status=A.ACCEPTED)
    return Panel(
        "photographer",
        _("Pictures"),
        counts=[
            Tally(
                _("photos without a caption"),
                photos["no_caption"],
                admin_list("media_photo", needs=Photo.Missing.CAPTION.value),
                urgent=bool(photos["no_caption"]),
            ),
            Tally(
                _("photos without a credit"),
                photos["no_credit"],
                admin_list("media_photo", needs=Photo.Missing.CREDIT.value),
                urgent=bool(photos["no_credit"]),
            ),
            Tally(
                _("stories asking for my pictures"),
                requests.count(),
                admin_list("articles_assignment", mine=1, status__exact=A.ACCEPTED),
            ),
        ],
        items=list(requests.select_related("article").order_by("deadline", "pk")[:SHOWN]),
    )


def desk_panel(user, now):
    """The queue by section and review level, today's pages against capacity, assignments."""
    rows = (
        Article.objects.filter(status=S.SUBMITTED)
        .values("section", "section__name", "review_level")
        .annotate(n=Count("pk"))
        .order_by("section__position", "section__name", "review_level")
    )
    levels = list(ReviewLevel)
    queue, totals = {}, dict.fromkeys(levels, 0)
    for row in rows:
        level = ReviewLevel(min(row["review_level"] + 1, ReviewLevel.FINAL))
        key = row["section"]
        entry = queue.setdefault(
            key,
            {"name": row["section__name"] or _("no section"), "counts": dict.fromkeys(levels, 0)},
        )
        entry["counts"][level] += row["n"]
        totals[level] += row["n"]
    table = [
        {
            "name": entry["name"],
            "cells": [
                {
                    "count": entry["counts"][level],
                    "url": admin_list(
                        "articles_deskqueue",
                        level=int(level),
                        **({"section__id__exact": key} if key else {"section__isnull": "True"}),
                    ),
                }
                for level in levels
            ],
        }
        for key, entry in queue.items()
    ]
    tally = Assignment.objects.aggregate(
        proposed=Count("pk", filter=Q(status=A.PROPOSED)),
        overdue=Count("pk", filter=Q(status__in=[A.PROPOSED, A.ACCEPTED], deadline__lt=now)),
    )
    approved = Article.objects.filter(status=S.APPROVED, page=None).count()
    edition = todays_edition(now)
    pages = []
    if edition is not None:
        pages = list(
            Page.objects.filter(edition=edition)
            .select_related("editor")
            .annotate(placed=Sum("articles__char_count"), pieces=Count("articles"))
            .order_by("number")
        )
        for page in pages:
            page.placed = page.placed or 0
            page.over = page.capacity is not None and page.placed > page.capacity
    return Panel(
        "desk",
        _("The desk"),
        counts=[
            Tally(
                _("proposals awaiting a decision"),
                tally["proposed"],
                admin_list("articles_assignment", status__exact=A.PROPOSED),
                urgent=bool(tally["proposed"]),
            ),
            Tally(
                _("overdue assignments"),
                tally["overdue"],
                admin_list("articles_assignment", overdue=1),
                urgent=bool(tally["overdue"]),
            ),
            Tally(
                _("approved copy waiting for a page"),
                approved,
                admin_list("articles_article", status__exact=S.APPROVED, placed="0"),
            ),
        ],
        extra={
            "levels": levels,
            "queue": table,
            "totals": [
                {"count": totals[level], "url": admin_list("articles_deskqueue", level=int(level))}
                for level in levels
            ],
            "edition": edition,
            "pages": pages,
            "failed_jobs": failed_jobs(now),
        },
    )


@dataclass
class FailedJob:
    what: str  # the kind of work
    subject: str  # what it was about
    reason: str
    url: str
    at: object


def failed_jobs(now):
    """The desk's background work that failed and is still to be seen to, newest first.

    A page's PDF whose job failed (until it is retried or replaced), an
    edition not published at its time (until rescheduled or reopened), and a
    page import that failed in the last day. A fixed number of queries.
    """
    J = JobState
    found = [
        FailedJob(
            _("page PDF"),
            str(page),
            page.pdf_job_error,
            reverse("admin:articles_page_change", args=[page.pk]),
            page.pdf_job_at,
        )
        for page in Page.objects.filter(pdf_job=J.FAILED)
        .select_related("edition")
        .order_by("-pdf_job_at")[:SHOWN]
    ]
    found += [
        FailedJob(
            _("publication at its time"),
            str(edition),
            edition.publish_error,
            reverse("admin:articles_edition_planner", args=[edition.pk]),
            edition.scheduled_at,
        )
        for edition in Edition.objects.filter(status=Edition.Status.SIGNED_OFF)
        .exclude(publish_error="")
        .order_by("-scheduled_at")[:SHOWN]
    ]
    found += [
        FailedJob(
            _("page import"),
            str(row),
            row.error,
            reverse("admin:articles_page_import_status", args=[row.pk]),
            row.finished_at,
        )
        for row in PageImport.objects.filter(
            state=J.FAILED, finished_at__gte=now - timedelta(days=1)
        ).order_by("-finished_at")[:SHOWN]
    ]
    return sorted(found, key=lambda job: job.at or now, reverse=True)[:SHOWN]


def todays_edition(now):
    """Today's edition, or else the next one being planned."""
    today = timezone.localdate(now)
    return (
        Edition.objects.filter(date=today).first()
        or Edition.objects.filter(date__gt=today, status=Edition.Status.PLANNING)
        .order_by("date")
        .first()
    )


def chief_panel(user, now):
    """Editions to sign off and publications scheduled."""
    E = Edition.Status
    planning = Edition.objects.filter(status=E.PLANNING, date__gte=timezone.localdate(now))
    scheduled = list(
        Edition.objects.filter(status=E.SIGNED_OFF, scheduled_at__isnull=False).order_by(
            "scheduled_at"
        )[:SHOWN]
    )
    signed_off = Edition.objects.filter(status=E.SIGNED_OFF).count()
    return Panel(
        "chief",
        _("Sign-off"),
        counts=[
            Tally(
                # Not "to sign off": an edition being planned is not ready for it yet.
                _("editions being planned"),
                planning.count(),
                admin_list("articles_edition", status__exact=E.PLANNING),
            ),
            Tally(
                _("signed off, not yet published"),
                signed_off,
                admin_list("articles_edition", status__exact=E.SIGNED_OFF),
            ),
        ],
        items=scheduled,
        extra={"next_editions": list(planning.order_by("date")[:SHOWN])},
    )


def workbench(user, now=None):
    """Return the panels of user's 工作台, in the order their roles come in the day."""
    now = now or timezone.now()
    panels = []
    if permissions.files_copy(user):
        panels.append(filer_panel(user, now))
    if permissions.illustrates_copy(user):
        panels.append(photographer_panel(user, now))
    if permissions.works_the_desk(user):
        panels.append(desk_panel(user, now))
    if permissions.runs_editions(user):
        panels.append(chief_panel(user, now))
    return panels
