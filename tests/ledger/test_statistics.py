"""发稿统计 from the workflow's record: each figure of a month checked by hand, for each viewer."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import permissions
from articles.ledger import statistics
from tests.factories import ArticleFactory, BylineFactory, PageFactory
from tests.ledger.world import NOVEMBER, Month

pytestmark = pytest.mark.django_db

NAMES = [name for name, _label in statistics.COLUMNS]


def figures(rows):
    return {row.name: dict(zip(NAMES, row.total.values(), strict=True)) for row in rows}


def row(**values):
    return {name: values.get(name, 0) for name in NAMES}


@pytest.fixture
def month(people):
    return Month(people)


def report(user, **filters):
    return statistics.report(
        NOVEMBER, NOVEMBER, scope=permissions.statistics_scope(user), **filters
    )


LIN = row(filed=1, approved=1, returned=1, web=1, print=2, chars=1583, front=1, lead=1)
ZHOU = row(print=3, chars=3928, front=1, lead=2)
XU = row(print=1, chars=333)
CHEN = row(print=1, chars=60, photos=2)
SONG = row(photos=1)


def test_the_chief_sees_everyone_and_every_section(month, people):
    result = report(people["chief"])
    assert figures(result.people) == {
        "林晓": LIN,
        "周敏": ZHOU,
        "许诺": XU,
        "陈光": CHEN,
        "宋卫东": SONG,
    }
    assert figures(result.sections) == {
        "城市": row(
            filed=1, approved=1, returned=1, web=1, print=3, chars=1643, front=1, lead=1, photos=2
        ),
        "文化": row(print=1, chars=2345, lead=1),
    }
    assert dict(zip(NAMES, result.total.values(), strict=True)) == row(
        filed=1, approved=1, returned=1, web=1, print=4, chars=3988, front=1, lead=2, photos=2
    )


def test_the_desk_head_sees_the_sections_they_head(month, people):
    result = report(people["desk_head"])
    assert figures(result.people) == {
        "林晓": LIN,
        "周敏": row(print=2, chars=1583, front=1, lead=1),
        "许诺": XU,
        "陈光": CHEN,
        "宋卫东": SONG,
    }
    assert set(figures(result.sections)) == {"城市"}


@pytest.mark.parametrize(
    "role, name, expected", [("reporter", "林晓", LIN), ("correspondent", "周敏", ZHOU)]
)
def test_everyone_else_sees_their_own(month, people, role, name, expected):
    result = report(people[role])
    assert figures(result.people) == {name: expected}
    assert result.sections == []


def test_nobody_without_a_person_sees_anything(month, people):
    assert permissions.may_see_statistics(people["nobody"])  # 无名 has a person, and no work
    result = report(people["nobody"])
    assert result.people == [] and result.sections == []


def test_filters_by_section_and_role(month, people):
    chief = people["chief"]
    assert set(figures(report(chief, section=month.culture.pk).people)) == {"周敏"}
    photographers = figures(report(chief, role="photographer").people)
    assert photographers == {"陈光": row(print=1, chars=60, photos=2), "宋卫东": SONG}
    assert set(figures(report(chief, role="correspondent").people)) == {"周敏"}


def test_a_month_outside_the_period_counts_nothing(month, people):
    import datetime

    october = datetime.date(2026, 10, 1)
    result = statistics.report(
        october, october, scope=permissions.statistics_scope(people["chief"])
    )
    assert result.people == [] and result.total.values() == [0] * len(NAMES)


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


URL = reverse("admin:articles_feemonth_statistics")
PARAMS = {"from": "2026-11", "to": "2026-11"}


def test_the_page_shows_the_table_and_an_svg_chart(month, people):
    response = client_of(people["desk_head"]).get(URL, {"from": "2026-09", "to": "2026-11"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<svg class="nr-chart" id="nr-chart-people"' in page
    assert '<svg class="nr-chart" id="nr-chart-sections"' in page
    assert "<script" not in page.split('id="content-main"')[1]
    assert "文化" not in page.split('id="nr-stats-sections"')[1].split("</table>")[0]


def test_the_statistics_page_costs_the_same_queries_as_the_newsroom_grows(month, people):
    client = client_of(people["chief"])
    client.get(URL, PARAMS)  # sessions and the like, once

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, PARAMS).status_code == 200
        return len(captured)

    before = queries()
    page = PageFactory(edition=month.edition, number=3, name="综合")
    from articles.models import Article, TransitionLog

    for number in range(12):
        article = ArticleFactory(
            status="published", page=page, position=number + 1, section=month.city
        )
        BylineFactory(article=article)
        TransitionLog.objects.create(
            article=article,
            action="publish_with_edition",
            from_status="approved",
            to_status="published",
            at=TransitionLog.objects.filter(action="publish_with_edition").first().at,
        )
    assert Article.objects.count() > 15
    assert queries() == before
    # The admin's own (session, user, the header's counts) and the report's five.
    assert before <= 15
