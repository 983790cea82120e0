"""发稿统计: each person's and each section's work, month by month, from the workflow's record.

Read from the transition log (submit, the last approval, return, publish on
the web or with the edition), the bylines and the photo credits, in a fixed
number of queries whatever the period or the size of the newsroom:

filed       pieces submitted (first submission)
approved    pieces approved at their last review level
returned    pieces returned to the filer
web         pieces published on the web alone
print       pieces published in print (见报), with their 字数 (见报字数),
            those on page 1 (头版) and those first on their page (头条)
photos      photos published (web or print), for each photographer credited

A piece counts once for every person bylined on it (whatever their share of
稿费), and once for its section. What a viewer may see is a Scope
(articles.permissions.statistics_scope).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Subquery
from django.utils.translation import gettext_lazy as _

from articles.ledger.fees import bounds, month_of, next_month
from articles.models import ArticlePhoto, Byline, Section, TransitionLog
from people.models import Person

ACTIONS = ("submit", "approve", "return", "publish_now", "publish_with_edition")
PHOTOGRAPHER = Byline.Role.PHOTOGRAPHER

# The figures, in the order the tables show them.
COLUMNS = (
    ("filed", _("filed")),
    ("approved", _("approved")),
    ("returned", _("returned")),
    ("web", _("published on the web")),
    ("print", _("published in print (见报)")),
    ("chars", _("characters in print (见报字数)")),
    ("front", _("front page (头版)")),
    ("lead", _("lead story (头条)")),
    ("photos", _("photos published")),
)


@dataclass(frozen=True)
class Scope:
    """What a viewer sees: everything, or some sections' copy and their own credits."""

    everyone: bool = False
    sections: frozenset = frozenset()
    person_id: int | None = None

    @property
    def sees_sections(self) -> bool:
        return self.everyone or bool(self.sections)


@dataclass
class Figures:
    filed: set = field(default_factory=set)
    approved: set = field(default_factory=set)
    returned: set = field(default_factory=set)
    web: set = field(default_factory=set)
    print: set = field(default_factory=set)
    front: set = field(default_factory=set)
    lead: set = field(default_factory=set)
    photos: set = field(default_factory=set)
    chars_of: dict = field(default_factory=dict)

    @property
    def chars(self) -> int:
        return sum(self.chars_of[pk] for pk in self.print)

    def count(self, name: str) -> int:
        return self.chars if name == "chars" else len(getattr(self, name))

    def values(self) -> list[int]:
        return [self.count(name) for name, _label in COLUMNS]

    def merge(self, other: Figures) -> None:
        for name, _label in COLUMNS:
            if name != "chars":
                getattr(self, name).update(getattr(other, name))
        self.chars_of.update(other.chars_of)


@dataclass
class Row:
    """One person's (or section's) figures over the period and in each month of it."""

    key: int
    name: str
    detail: str = ""
    months: dict = field(default_factory=lambda: defaultdict(Figures))

    @property
    def total(self) -> Figures:
        total = Figures()
        for figures in self.months.values():
            total.merge(figures)
        return total


@dataclass
class Report:
    months: list
    people: list
    sections: list
    total: Figures


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    months, month = [], first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


def report(
    first: datetime.date,
    last: datetime.date,
    *,
    scope: Scope,
    section: int | None = None,
    role: str | None = None,
) -> Report:
    """The figures of the months first to last (first days), as scope may see them."""
    months = months_between(first, last)
    start, _unused = bounds(first)
    _unused, end = bounds(last)
    logs = TransitionLog.objects.filter(
        at__gte=start, at__lt=end, article__isnull=False, action__in=ACTIONS
    )
    if section is not None:
        logs = logs.filter(article__section=section)
    events = list(
        logs.values_list(
            "action",
            "to_status",
            "at",
            "article_id",
            "article__section_id",
            "article__char_count",
            "article__page__number",
            "article__position",
        )
    )
    credits = defaultdict(list)  # article -> [(person, role)]
    for article_id, person_id, credit_role in Byline.objects.filter(
        article__in=Subquery(logs.values("article_id"))
    ).values_list("article_id", "person_id", "role"):
        credits[article_id].append((person_id, credit_role))
    published = logs.filter(action__in=("publish_now", "publish_with_edition"))
    photos = defaultdict(list)  # article -> [(use, photographer)]
    for article_id, use_id, person_id in (
        ArticlePhoto.objects.filter(article__in=Subquery(published.values("article_id")))
        .exclude(photo__credits__person=None)
        .values_list("article_id", "pk", "photo__credits__person_id")
    ):
        photos[article_id].append((use_id, person_id))

    people: dict[int, Row] = {}
    sections: dict[int, Row] = {}

    def person_row(pk: int) -> Row:
        return people.setdefault(pk, Row(pk, ""))

    def section_row(pk: int | None) -> Row:
        return sections.setdefault(pk or 0, Row(pk or 0, ""))

    for action, to_status, at, article_id, section_id, chars, page_number, position in events:
        if action == "approve" and to_status != "approved":
            continue  # a level short of the last
        # The whole piece (all its people, its section), or only the viewer's own credit.
        whole = scope.everyone or section_id in scope.sections
        owners = [
            person
            for person, credit_role in dict.fromkeys(credits[article_id])
            if role is None or credit_role == role
        ]
        takers = []
        if action in ("publish_now", "publish_with_edition") and role in (None, PHOTOGRAPHER):
            takers = photos[article_id]
        if not whole:
            owners = [person for person in owners if person == scope.person_id]
            takers = [(use, person) for use, person in takers if person == scope.person_id]
            if not owners and not takers:
                continue
        month = month_of(at)
        names = {
            "submit": ["filed"],
            "approve": ["approved"],
            "return": ["returned"],
            "publish_now": ["web"],
            "publish_with_edition": ["print"]
            + (["front"] if page_number == 1 else [])
            + (["lead"] if position == 1 else []),
        }[action]
        targets = [person_row(person).months[month] for person in dict.fromkeys(owners)]
        if whole and (owners or role is None):
            targets.append(section_row(section_id).months[month])
        for figures in targets:
            for name in names:
                getattr(figures, name).add(article_id)
            figures.chars_of[article_id] = chars
        for use_id, person_id in takers:
            person_row(person_id).months[month].photos.add(use_id)
            if whole:
                section_row(section_id).months[month].photos.add(use_id)

    for person in Person.objects.filter(pk__in=people).only("pk", "name", "organization"):
        people[person.pk].name, people[person.pk].detail = person.name, person.organization
    section_names = dict(Section.objects.filter(pk__in=sections).values_list("pk", "name"))
    for key, row in sections.items():
        row.name = section_names.get(key, str(_("no section")))
    total = Figures()
    for row in sections.values() if scope.sees_sections else people.values():
        total.merge(row.total)
    by_print = lambda row: (-row.total.count("print"), row.name, row.key)  # noqa: E731
    return Report(
        months=months,
        people=sorted(people.values(), key=by_print),
        sections=sorted(sections.values(), key=by_print),
        total=total,
    )
