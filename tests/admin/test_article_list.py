"""The article list as the desk reads it: what it shows is Django's, found without scanning every row."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def filed_on(*dates, status="draft"):
    for date in dates:
        article = ArticleFactory(status=status)
        when = timezone.make_aware(datetime.datetime(*date, 12))
        Article.objects.filter(pk=article.pk).update(created_at=when)


def year_links(response):
    nav = re.search(r'<nav class="toplinks">(.*?)</nav>', response.content.decode(), re.S)
    return re.findall(r"created_at__year=(\d+)[^>]*>(\d+)</a>", nav.group(1)) if nav else []


def test_the_date_drill_down_offers_the_years_that_hold_copy_without_truncating_every_date(
    people, client
):
    # 2023 and 2025 hold copy, 2024 none; the first of January counts in the paper's time zone.
    filed_on((2023, 3, 1), (2023, 12, 31), (2025, 1, 1), (2025, 7, 9))
    client.force_login(people["chief"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/articles/article/")
    assert year_links(response) == [("2023", "2023"), ("2025", "2025")]
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"]]


def test_the_date_drill_down_follows_the_list_s_filters(people, client):
    filed_on((2023, 3, 1), (2025, 7, 9))
    filed_on((2024, 5, 5), status="spiked")
    client.force_login(people["chief"])
    response = client.get("/admin/articles/article/?status__exact=spiked")
    # One year only: Django's drill-down opens that year at its months.
    assert "created_at__month=5" in response.content.decode()
    response = client.get("/admin/articles/article/?status__exact=draft")
    assert year_links(response) == [("2023", "2023"), ("2025", "2025")]
