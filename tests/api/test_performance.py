"""Constant queries per page, however many articles it holds."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import services, workflow
from articles.models import Article
from tests.api.conftest import published_article, published_edition
from tests.factories import ArticlePhotoFactory, PhotoCreditFactory, SectionFactory
from tests.perf import api_benchmark as benchmark

pytestmark = pytest.mark.django_db


def dress(article, people):
    """Give an article everything a document reads: section, tags, bylines, photos, a correction."""
    article.section = SectionFactory(slug="yaowen")
    article.save()
    article.tags.add("信访", f"标签{article.pk}")
    for position in range(2):
        use = ArticlePhotoFactory(article=article, position=position)
        PhotoCreditFactory(photo=use.photo)
    if article.status == Article.Status.PUBLISHED:
        services.correct(article, user=people["editor"], note="更正")


def queries(client, url):
    """Return the queries of url built from scratch (nothing cached), and its JSON."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured), response.json()


def test_an_article_page_costs_the_same_queries_for_1_and_50_articles(client, people):
    dress(published_article(people, bylines=2), people)
    one, data = queries(client, "/api/v1/articles/?page_size=50")
    assert len(data["results"]) == 1

    for _ in range(60):
        dress(published_article(people, bylines=2), people)
    fifty, data = queries(client, "/api/v1/articles/?page_size=50")
    assert len(data["results"]) == 50
    assert fifty == one
    # The page and its documents, the remembered count and last change, and
    # once per public version the next scheduled publication (how long to remember).
    assert one <= 9


def test_a_sync_page_with_withdrawn_copy_costs_the_same(client, people):
    url = "/api/v1/articles/?page_size=50&updated_since=2000-01-01T00:00:00Z&tag=信访"
    dress(published_article(people), people)
    one, _data = queries(client, url)
    for n in range(49):
        article = published_article(people)
        dress(article, people)
        if n % 2:
            workflow.transition(article, "withdraw", user=people["editor"], note="撤稿")
    fifty, data = queries(client, url)
    assert len(data["results"]) == 50
    assert {d["pubstatus"] for d in data["results"]} == {"usable", "canceled"}
    assert fifty == one


def test_an_edition_manifest_costs_the_same_queries_for_1_and_50_articles(client, people):
    small = published_edition(people, pages=1, articles=1)
    big = published_edition(people, pages=5, articles=10)
    for article in Article.objects.filter(page__edition__in=[small, big]):
        dress(article, people)
    one, data = queries(client, f"/api/v1/editions/{small.date:%Y-%m-%d}/")
    fifty, data = queries(client, f"/api/v1/editions/{big.date:%Y-%m-%d}/")
    assert sum(len(page["associations"]) for page in data["associations"]) == 50
    assert fifty == one


def test_an_edition_list_costs_the_same_queries_for_1_and_many_editions(client, people):
    published_edition(people)
    one, _data = queries(client, "/api/v1/editions/?page_size=50")
    for _ in range(5):
        published_edition(people)
    many, data = queries(client, "/api/v1/editions/?page_size=50")
    assert len(data["results"]) == 6
    assert many == one


def test_a_current_copy_costs_no_query(client, people):
    """The count and last change of a list are remembered until readers' content changes."""
    published_article(people)
    etag = client.get("/api/v1/articles/")["ETag"]
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/api/v1/articles/", headers={"if-none-match": etag}).status_code == 304
    assert len(captured) == 0


def test_the_benchmark_times_a_page_and_leaves_nothing_behind(people):
    before = Article.objects.count()
    result = benchmark.run(articles=3, requests=2, page_size=50)
    assert result["page_size"] == 3
    assert result["p50_ms"] > 0 and result["p95_ms"] >= result["p50_ms"]
    assert 0 < result["queries"] <= 9
    assert Article.objects.count() == before


def test_a_list_body_is_built_once_per_public_version(client, people):
    published_article(people)
    first = client.get("/api/v1/articles/?page_size=50")
    with CaptureQueriesContext(connection) as captured:
        again = client.get("/api/v1/articles/?page_size=50")
    assert again.content == first.content
    assert len(captured) == 0
    published_article(people, headline="新发布的稿件")
    assert "新发布的稿件" in client.get("/api/v1/articles/?page_size=50").content.decode()
