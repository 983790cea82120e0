"""A Redis outage costs the site its cache, not its pages, its API or its editors' sessions.

Redis is reached through a relay this test controls (not the shared server,
which other work uses): cutting the relay is Redis going away.
"""

import datetime
import gc
import os
import uuid
import weakref

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Edition
from tests.factories import ArticleFactory, BylineFactory, EditionFactory, PageFactory
from tests.perf.relay import Relay

REDIS = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")

pytestmark = pytest.mark.django_db


def redis_target():
    import redis

    client = redis.Redis.from_url(REDIS, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS}")
        pytest.skip(f"Redis does not answer at {REDIS}")
    kwargs = client.connection_pool.connection_kwargs
    return (kwargs["host"], kwargs["port"]), kwargs.get("db", 0)


@pytest.fixture
def relay(settings):
    target, db = redis_target()
    relay = Relay(target)
    prefix = f"outage-test-{uuid.uuid4().hex[:8]}"

    def use(retry_seconds):
        settings.CACHES = {
            alias: {
                "BACKEND": "newsroom.caches.ResilientRedisCache",
                "LOCATION": f"{relay.url}/{db}",
                "KEY_PREFIX": f"{prefix}-{alias}",
                "OPTIONS": {
                    "socket_connect_timeout": 0.25,
                    "socket_timeout": 0.5,
                    "RETRY_SECONDS": retry_seconds,
                },
            }
            for alias in ("default", "sessions")
        }

    relay.use = use
    use(retry_seconds=0)
    yield relay
    relay.close()
    import redis

    client = redis.Redis.from_url(REDIS)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def site(db):
    edition = EditionFactory(
        status=Edition.Status.PUBLISHED, published_at=timezone.now() - datetime.timedelta(hours=2)
    )
    page = PageFactory(edition=edition, number=1, name="要闻")
    articles = []
    for position in range(1, 4):
        article = ArticleFactory(
            page=page,
            position=position,
            status=Article.Status.PUBLISHED,
            published_at=edition.published_at,
        )
        BylineFactory(article=article)
        articles.append(article)
    return [
        reverse("articles:home"),
        edition.get_absolute_url(),
        page.get_absolute_url(),
        *(a.get_absolute_url() for a in articles),
        reverse("articles:feed-rss"),
        reverse("articles:sitemap"),
        "/api/v1/articles/",
        f"/api/v1/articles/{articles[0].pk}/",
        f"/api/v1/editions/{edition.date:%Y-%m-%d}/",
        "/search/?q=%E4%BC%9A%E8%AE%AE",
    ]


def test_a_redis_cut_serves_every_page_and_keeps_the_editor_logged_in(relay, site, client, people):
    editor = client
    editor.force_login(people["editor"])
    reader = client.__class__()
    for url in site:
        assert reader.get(url).status_code == 200, url  # now in Redis
    assert editor.get("/admin/").status_code == 200
    assert reader.get("/readyz").status_code == 200

    relay.cut()
    answers = [reader.get(url).status_code for url in site * 2]
    assert answers.count(500) == 0
    assert set(answers) == {200}
    still_in = editor.get("/admin/")
    assert still_in.status_code == 200  # not sent to the login page
    readiness = reader.get("/readyz")
    assert readiness.status_code == 503
    assert readiness.content == b"unavailable: cache\n"

    relay.restore()
    assert editor.get("/admin/").status_code == 200
    assert reader.get("/readyz").status_code == 200
    assert all(reader.get(url).status_code == 200 for url in site)


def test_while_redis_is_away_a_worker_tries_it_again_only_now_and_then(
    relay, site, client, monkeypatch
):
    """No retry storm: one attempt per cache, then none until RETRY_SECONDS have passed.

    (The watch tries again on its own clock, RETRY_WATCH_SECONDS, held off here.)
    """
    relay.use(retry_seconds=3600)
    monkeypatch.setattr("newsroom.caches.RETRY_WATCH_SECONDS", 3600)
    for url in site:
        client.get(url)
    relay.cut()
    refused_before = relay.refused
    for url in site * 3:
        assert client.get(url).status_code == 200, url
    # At most one failed attempt for the page cache and one for the sessions'.
    assert relay.refused - refused_before <= 2
    assert not caches["default"].breaker.closed()


def test_what_changed_while_redis_was_away_shows_once_it_is_back(
    relay, site, client, people, django_capture_on_commit_callbacks
):
    """A withdrawal made during the outage could not drop the pages kept in Redis."""
    from articles import workflow

    article_url = site[3]
    article = Article.objects.get(pk=int(article_url.strip("/").split("/")[-1]))
    for url in site:
        client.get(url)  # kept in Redis
    relay.cut()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(article, "withdraw", user=people["editor"], note="撤稿")
    assert client.get(article_url).status_code == 410  # rendered: Redis is away
    relay.restore()
    assert client.get(article_url).status_code == 410
    for url in site[:3]:
        assert article.headline not in client.get(url).content.decode(), url


# --- the connection reads go through ----------------------------------------------------


def test_a_read_whose_connection_the_server_closed_is_sent_again_on_a_new_one(relay):
    """Redis restarting (or closing an idle connection) costs no read and trips nothing."""
    cache = caches["default"]
    cache.set_many({"a": "α", "b": "β"})
    assert cache.get_many(["a", "b"]) == {"a": "α", "b": "β"}
    accepted = relay.accepted
    relay.cut()  # every open connection dropped …
    relay.restore()  # … and Redis back at once
    assert cache.get_many(["a", "b"]) == {"a": "α", "b": "β"}
    assert cache.get("a") == "α"
    assert cache.breaker.closed()
    assert relay.accepted == accepted + 1  # one new connection for the reads


def test_a_read_that_failed_halfway_leaves_nothing_for_the_next_to_take_as_its_answer(
    relay, monkeypatch
):
    import redis

    cache = caches["default"]
    cache.set_many({"a": "α", "b": "β"})
    assert cache.get("a") == "α"  # the thread's connection, taken
    connection = cache._readers.connection

    def lost(*args, **kwargs):
        raise redis.TimeoutError("Timeout reading from socket")

    # Sent, never read: Redis's answer to GET a waits in the socket.
    monkeypatch.setattr(connection, "read_response", lost)
    assert cache.get("a") is None  # as an empty cache, while Redis is slow
    monkeypatch.undo()
    assert cache.get("b") == "β"  # tried again at once (retry_seconds=0 here): b's, not a's


def test_each_thread_and_each_forked_worker_reads_on_a_connection_of_its_own(relay, monkeypatch):
    import threading

    cache = caches["default"]
    cache.set("a", "α")
    assert cache.get("a") == "α"
    mine = cache._readers.connection
    theirs = []
    thread = threading.Thread(
        target=lambda: theirs.append((cache.get("a"), cache._readers.connection))
    )
    thread.start()
    thread.join()
    assert theirs[0][0] == "α" and theirs[0][1] is not mine
    # The pool does not hold a thread's connection: it closes when its thread ends.
    theirs = weakref.ref(theirs.pop()[1])
    gc.collect()
    assert theirs() is None
    monkeypatch.setattr("newsroom.caches.os.getpid", lambda: -1)  # as in a forked worker
    assert cache.get("a") == "α"
    assert cache._readers.connection is not mine


def test_a_redis_that_is_away_is_tried_once_per_read_not_twice(relay):
    cache = caches["default"]
    relay.cut()
    refused = relay.refused
    assert cache.get("a") is None
    assert relay.refused == refused + 1
