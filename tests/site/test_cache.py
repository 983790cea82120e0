"""Rendered public pages are cached, and what readers may see changes at once."""

import datetime
import os
import uuid

import pytest
import time_machine
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import cache as pagecache
from articles import workflow
from articles.cache import current_version
from articles.models import Article
from tests.factories import ArticleFactory

from .conftest import desk_editor, public_urls, publish, withdraw

pytestmark = pytest.mark.django_db

LISTS = ["articles:home", "articles:feed-rss", "articles:feed-atom", "articles:sitemap"]


def test_a_cached_page_is_served_without_touching_the_database(paper, client):
    url = paper["lead"].get_absolute_url()
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert len(queries) == 0
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_withdrawing_an_article_takes_effect_at_once(
    paper, client, django_capture_on_commit_callbacks
):
    lead = paper["lead"]
    other = publish(headline="另一条新闻", section=paper["section"])
    urls = [reverse(name) for name in LISTS] + [paper["section"].get_absolute_url()]
    assert client.get(lead.get_absolute_url()).status_code == 200
    for url in urls:
        assert lead.get_absolute_url() in client.get(url).content.decode(), url

    withdraw(lead, django_capture_on_commit_callbacks)

    response = client.get(lead.get_absolute_url())
    assert response.status_code == 410
    assert "已撤下" in response.content.decode()
    for url in urls:
        content = client.get(url).content.decode()
        assert lead.get_absolute_url() not in content, url
        assert other.get_absolute_url() in content, url


def test_a_withdrawn_article_is_gone_from_the_edition_it_ran_in(
    paper, client, django_capture_on_commit_callbacks
):
    lead = paper["lead"]
    for url in (paper["edition"].get_absolute_url(), paper["page1"].get_absolute_url()):
        assert lead.headline in client.get(url).content.decode()
    withdraw(lead, django_capture_on_commit_callbacks)
    for url in (paper["edition"].get_absolute_url(), paper["page1"].get_absolute_url()):
        assert lead.headline not in client.get(url).content.decode()


def test_a_correction_shows_at_once(paper, client, django_capture_on_commit_callbacks):
    lead = paper["lead"]
    assert "更正" not in client.get(lead.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.correct(lead, user=desk_editor(), note="原稿会议日期有误，已改为2月11日。")
    assert "原稿会议日期有误" in client.get(lead.get_absolute_url()).content.decode()


def test_a_publication_shows_at_once(paper, client, django_capture_on_commit_callbacks):
    client.get(reverse("articles:home"))
    article = ArticleFactory(headline="刚刚发布的消息", status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(article, "publish_now", user=desk_editor())
    assert article.get_absolute_url() in client.get(reverse("articles:home")).content.decode()


def test_pages_are_not_kept_past_a_scheduled_publication(paper):
    """Nobody bumps the version when a scheduled time comes, so pages expire then."""
    now = timezone.now()
    due = now + datetime.timedelta(minutes=3)
    Article.objects.filter(pk=paper["lead"].pk).update(published_at=due)
    with time_machine.travel(now, tick=False):
        assert pagecache.next_scheduled_publication(current_version()) == due.timestamp()
        assert pagecache.cache_timeout(current_version()) == 180
    # Past the time, the next lookup forgets it.
    with time_machine.travel(due + datetime.timedelta(seconds=1), tick=False):
        assert pagecache.next_scheduled_publication(current_version()) == 0


def test_not_found_answers_are_not_cached(client):
    version = current_version()
    assert client.get("/articles/999999/").status_code == 404
    assert not any(key for key in cache._cache if f"{pagecache.PREFIX}:{version}:" in key)


def test_each_language_has_its_own_cached_page(paper, client):
    chinese = client.get(reverse("articles:home"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = client.get(reverse("articles:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "跳到正文" in chinese.content.decode()
    assert "Skip to content" in english.content.decode()


def test_the_staff_preview_is_never_cached(paper, client, editor):
    client.force_login(editor)
    draft = Article.objects.create(headline="草稿标题", body="草稿正文。")
    url = reverse("articles:preview", args=[draft.pk])
    response = client.get(url)
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    Article.objects.filter(pk=draft.pk).update(headline="改过的标题")
    assert "改过的标题" in client.get(url).content.decode()


@pytest.fixture
def redis_cache(settings):
    """Django's RedisCache on the local server, under a prefix of this test's own."""
    prefix = f"newsroom-site-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("NEWSROOM_TEST_REDIS_URL", "redis://127.0.0.1:6379/7"),
            "KEY_PREFIX": prefix,
        }
    }
    yield cache
    # Delete only this test's keys: the server may be shared, so never flush it.
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_invalidation_works_through_redis(
    paper, client, redis_cache, django_capture_on_commit_callbacks
):
    assert isinstance(caches["default"], RedisCache)
    url = paper["lead"].get_absolute_url()
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 0  # served from Redis
    withdraw(paper["lead"], django_capture_on_commit_callbacks)
    assert client.get(url).status_code == 410


def test_every_public_url_is_served_from_the_cache_the_second_time(paper, client):
    for url in public_urls(paper):
        first = client.get(url)
        with CaptureQueriesContext(connection) as queries:
            second = client.get(url)
        assert len(queries) == 0, url
        assert second.content == first.content, url
