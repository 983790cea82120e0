"""Varnish in front of the production server: shared pages, purged by key as copy changes.

Runs varnishd with newsroom/varnish.vcl before gunicorn (DEBUG off,
PostgreSQL, Redis) on the loopback; the withdrawal is taken in this process,
whose cache and purge settings are the server's, as another app server's
would be.
"""

import datetime
import http.client
import os
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from articles import workflow
from articles.models import Article, Edition
from tests.factories import ArticleFactory, BylineFactory, EditionFactory, PageFactory, UserFactory
from tests.perf import liveserver

from .conftest import REDIS_URL, redis_answers

pytestmark = [
    pytest.mark.skipif(
        bool(liveserver.varnish_missing()),
        reason=f"{liveserver.varnish_missing()}; CI installs it",
    ),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the server must read the test data: needs PostgreSQL (DATABASE_URL)",
    ),
    # Serialized like every transactional test here, so the flushes between them
    # leave the migrations' rows (content types, role groups) to be restored whole.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def get(base, path):
    target = base.removeprefix("http://")
    host, port = target.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        conn.request("GET", path, headers={**liveserver.FORWARDED, "Host": "127.0.0.1"})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        conn.close()


def from_varnish(headers):
    """Whether Varnish answered from its storage (X-Varnish names two requests then)."""
    return len(headers["X-Varnish"].split()) == 2


@pytest.fixture
def stack(static_root, tmp_path, settings):
    if not redis_answers():
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    prefix = f"test-varnish-{uuid.uuid4().hex[:8]}"
    env = liveserver.production_environment(
        database=liveserver.database_url(connection.settings_dict),
        redis=REDIS_URL,
        static_root=static_root,
        key_prefix=prefix,
    )
    server = liveserver.ProductionServer(env, workers=2)
    varnish = liveserver.Varnish(server.port, tmp_path / "varnish")
    purge = [f"{varnish.base}/"]
    server.env["PURGE_URLS"] = ",".join(purge)
    # This process changes copy as another app server would: same cache, same purges.
    settings.CACHES = {
        alias: {
            "BACKEND": "newsroom.caches.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
        for alias in ("default", "sessions")
    }
    settings.PURGE_URLS = purge
    try:
        with server, varnish:
            yield varnish
    finally:
        liveserver.forget_keys(REDIS_URL, prefix)


def published_story():
    edition = EditionFactory(
        status=Edition.Status.PUBLISHED, published_at=timezone.now() - datetime.timedelta(hours=2)
    )
    page = PageFactory(edition=edition, number=1, name="要闻")
    article = ArticleFactory(
        headline="江南街道启用新的便民服务中心",
        page=page,
        position=1,
        status=Article.Status.PUBLISHED,
        published_at=edition.published_at,
    )
    BylineFactory(article=article)
    return article


def test_a_withdrawn_article_is_gone_from_varnish_as_soon_as_the_withdrawal_returns(stack):
    article = published_story()
    editor = UserFactory(username="varnish-editor", is_superuser=True)
    pages = [article.get_absolute_url(), "/", article.page.edition.get_absolute_url()]
    for path in pages:
        status, _headers, body = get(stack.base, path)
        assert status == 200 and article.headline in body, path
        status, headers, _body = get(stack.base, f"{path}?utm_source=wechat")
        assert status == 200 and from_varnish(headers), path  # kept by Varnish, clean URL
        assert "Surrogate-Key" not in headers and "xkey" not in headers

    workflow.transition(article, "withdraw", user=editor, note="撤稿")

    status, _headers, body = get(stack.base, article.get_absolute_url())
    assert status == 410
    for path in pages[1:]:
        status, _headers, body = get(stack.base, path)
        assert status == 200 and article.headline not in body, path


def test_the_load_test_reads_varnishs_hits_and_misses(stack):
    article = published_story()
    before = stack.lookups()
    for _ in range(3):
        assert get(stack.base, article.get_absolute_url())[0] == 200
    get(stack.base, "/admin/login/")  # passed to the app: neither
    hits, misses = stack.lookups()
    assert (hits - before[0], misses - before[1]) == (2, 1)


def test_varnish_keeps_nothing_it_could_not_purge(stack):
    missing = "/articles/987654321/"
    assert get(stack.base, missing)[0] == 404
    status, headers, _body = get(stack.base, missing)
    assert status == 404 and not from_varnish(headers)
    status, headers, _body = get(stack.base, "/search/?q=%E4%BC%9A%E8%AE%AE")
    assert status == 200
    assert not from_varnish(get(stack.base, "/search/?q=%E4%BC%9A%E8%AE%AE")[1])
