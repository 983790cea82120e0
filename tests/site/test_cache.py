"""Rendered public pages are cached, answered early, and dropped with the copy they show."""

import datetime
import http.server
import os
import threading
import uuid

import pytest
import time_machine
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_KEY_PREFIX
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles import cache as pagecache
from articles import services, workflow
from articles.models import Article
from articles.site import tasks as site_tasks
from newsroom.caches import ResilientRedisCache
from tests.factories import (
    ArticleFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    SectionFactory,
)
from tests.jobs import queued, run_jobs

from .conftest import HOST, credit, desk_editor, public_urls, publish, published_edition, withdraw

pytestmark = pytest.mark.django_db

LISTS = ["articles:home", "articles:feed-rss", "articles:feed-atom", "articles:sitemap"]


def queries_for(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def stored_pages():
    return {key for key in cache._cache if f"{pagecache.PREFIX}:" in key}


def test_a_cached_page_is_served_without_touching_the_database(paper, client):
    url = paper["lead"].get_absolute_url()
    first = client.get(url)
    second, queries = queries_for(client, url)
    assert queries == 0
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_hit_answers_with_the_very_headers_of_the_render(paper, client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    with time_machine.travel(timezone.now(), tick=False):
        for url in public_urls(paper):
            rendered = client.get(url, secure=True)
            hit, queries = queries_for(client, url, secure=True)
            assert queries == 0, url
            assert dict(hit.headers) == dict(rendered.headers), url
    headers = dict(hit.headers)
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "default-src 'self'" in headers["Content-Security-Policy"]


def test_a_logged_in_editor_reading_a_cached_page_costs_no_session_lookup(paper, client, editor):
    """A hit is answered before sessions and authentication: not even the session is read."""
    url = paper["lead"].get_absolute_url()
    anonymous = client.get(url)
    client.force_login(editor)
    caches["sessions"].clear()  # a session would now be read from the database
    hit, queries = queries_for(client, url)
    assert queries == 0
    assert hit.content == anonymous.content
    assert not any(key.startswith(SESSION_KEY_PREFIX) for key in caches["sessions"]._cache)


def test_every_public_page_names_what_it_shows_for_shared_caches(paper, client):
    for url in public_urls(paper):
        response = client.get(url)
        keys = response["Surrogate-Key"].split()
        assert pagecache.SITE in keys and len(keys) > 1, url
        assert response["Cache-Control"] == "public, max-age=0, s-maxage=600", url
    article = client.get(paper["lead"].get_absolute_url())["Surrogate-Key"].split()
    assert pagecache.article_key(paper["lead"].pk) in article
    edition = client.get(paper["edition"].get_absolute_url())["Surrogate-Key"].split()
    assert pagecache.edition_key(paper["edition"].pk) in edition


# --- what a change drops, and what it leaves --------------------------------------


@pytest.fixture
def elsewhere(paper):
    """Copy that shares nothing with the lead: another section, edition, people and tags."""
    other_edition = published_edition(date=datetime.date(2022, 2, 15), number=6126)
    page = PageFactory(edition=other_edition, number=1, name="要闻")
    article = publish(headline="春耕备耕全面展开", section=SectionFactory(slug="nongye"), page=page)
    credit(article, PersonFactory(name="王农"))
    article.tags.set(["春耕"])
    return article


def test_withdrawing_an_article_drops_the_pages_that_show_it_and_only_those(
    paper, elsewhere, client, django_capture_on_commit_callbacks
):
    lead = paper["lead"]
    publish(headline="城市另一条新闻", section=paper["section"])  # the section bar stays as it is
    showing = [
        lead.get_absolute_url(),
        paper["edition"].get_absolute_url(),
        paper["page1"].get_absolute_url(),
        paper["section"].get_absolute_url(),
        reverse("articles:tag", args=["信访"]),
        paper["siyong"].get_absolute_url(),
        reverse("articles:section-rss", args=[paper["section"].slug]),
        *(reverse(name) for name in LISTS),
        f"/api/v1/articles/{lead.pk}/",
        "/api/v1/articles/",
    ]
    not_showing = [
        elsewhere.get_absolute_url(),
        elsewhere.page.get_absolute_url(),
        elsewhere.page.edition.get_absolute_url(),
        elsewhere.section.get_absolute_url(),
        reverse("articles:tag", args=["春耕"]),
        paper["page2"].get_absolute_url(),
        f"/api/v1/articles/{elsewhere.pk}/",
        "/api/v1/editions/",
    ]
    for url in showing + not_showing:
        assert client.get(url).status_code == 200, url

    withdraw(lead, django_capture_on_commit_callbacks)

    for url in not_showing:
        response, queries = queries_for(client, url)
        assert (response.status_code, queries) == (200, 0), url
    for url in showing:
        response, queries = queries_for(client, url)
        assert queries > 0, url
        assert response.status_code in (200, 404, 410), url
        if response.status_code != 410:  # the 410 notice names what was withdrawn
            assert lead.headline not in response.content.decode(), url
    assert client.get(lead.get_absolute_url()).status_code == 410


def test_withdrawing_an_article_drops_the_pages_listing_it_as_related(
    paper, client, django_capture_on_commit_callbacks
):
    related = publish(headline="信访窗口延长服务时间")
    related.tags.set(["信访"])
    lead_url = paper["lead"].get_absolute_url()
    assert related.headline in client.get(lead_url).content.decode()
    withdraw(related, django_capture_on_commit_callbacks)
    assert related.headline not in client.get(lead_url).content.decode()


def test_withdrawing_an_article_takes_it_off_every_list_at_once(
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


def test_a_correction_shows_at_once(paper, client, django_capture_on_commit_callbacks):
    lead = paper["lead"]
    assert "更正" not in client.get(lead.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.correct(lead, user=desk_editor(), note="原稿会议日期有误，已改为2月11日。")
    assert "原稿会议日期有误" in client.get(lead.get_absolute_url()).content.decode()


def test_a_publication_shows_at_once(paper, client, django_capture_on_commit_callbacks):
    client.get(reverse("articles:home"))
    article = ArticleFactory(headline="刚刚发布的消息", status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(article, "publish_now", user=desk_editor())
    assert article.get_absolute_url() in client.get(reverse("articles:home")).content.decode()


def test_the_first_article_of_a_section_puts_it_in_the_section_bar_at_once(
    paper, client, django_capture_on_commit_callbacks
):
    sport = SectionFactory(name="体育", slug="tiyu")
    home = reverse("articles:home")
    assert sport.get_absolute_url() not in client.get(home).content.decode()
    article = ArticleFactory(headline="马拉松报名开始", status="approved", section=sport)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(article, "publish_now", user=desk_editor())
    edition_page = paper["page2"].get_absolute_url()  # a page that shows nothing of it
    assert sport.get_absolute_url() in client.get(home).content.decode()
    assert sport.get_absolute_url() in client.get(edition_page).content.decode()


def publish_next_edition(paper, date, number, headline):
    """Sign off and publish an edition of one page with one story, as the chief editor does."""
    chief = desk_editor()
    chief.is_superuser = True
    chief.save()
    edition = EditionFactory(date=date, number=number)
    page = PageFactory(edition=edition, number=1, name="要闻", editor=paper["siyong"])
    story = ArticleFactory(headline=headline, status="approved", page=page, position=1)
    credit(story, paper["mixue"])
    workflow.publish_edition(workflow.sign_off(edition, user=chief), user=chief)
    return edition


def test_publishing_an_edition_drops_its_pages_and_the_lists_of_editions(
    paper, client, django_capture_on_commit_callbacks
):
    archive = reverse("articles:edition-archive")
    client.get(archive)
    with django_capture_on_commit_callbacks(execute=True):
        edition = publish_next_edition(paper, datetime.date(2022, 2, 16), 6127, "新一期头条")
    assert edition.get_absolute_url() in client.get(archive).content.decode()
    assert "新一期头条" in client.get(reverse("articles:home")).content.decode()


def test_publishing_an_edition_gives_the_day_before_its_next_edition_link(
    paper, client, django_capture_on_commit_callbacks
):
    """The date picker's 下一期 and range on the older edition's pages, kept before, move too."""
    older = [
        paper["edition"].get_absolute_url(),
        reverse("articles:edition-page", args=[paper["edition"].date, 1]),
    ]
    for url in older:
        assert "edition-nav__next" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        publish_next_edition(paper, datetime.date(2022, 2, 15), 6126, "次日头条")
    for url in older:
        content = client.get(url).content.decode()
        assert 'class="edition-nav__next" rel="next"' in content, url
        assert "?date=2022-02-15" in content and 'max="2022-02-15"' in content, url


def test_an_edition_rendered_each_time_is_found_once_it_is_published(
    paper, client, settings, django_capture_on_commit_callbacks
):
    """Which edition a date names is remembered, and dropped with the edition's publication."""
    settings.PUBLIC_PAGE_CACHE = False  # every request renders; its parts are kept
    url = reverse("articles:edition", args=[datetime.date(2022, 2, 16)])
    assert client.get(url).status_code == 404
    client.get(paper["edition"].get_absolute_url())  # its parts kept
    with CaptureQueriesContext(connection) as queries:
        assert client.get(paper["edition"].get_absolute_url()).status_code == 200
    assert len(queries) == 0
    with django_capture_on_commit_callbacks(execute=True):
        publish_next_edition(paper, datetime.date(2022, 2, 16), 6127, "新一期头条")
    assert "新一期头条" in client.get(url).content.decode()


def test_a_page_rendered_while_its_copy_changed_is_neither_kept_nor_shareable(
    paper, client, monkeypatch
):
    """The change committed while the page was being rendered from the old copy."""
    from articles.site import views

    original = views.related_articles

    def related_while_withdrawn_elsewhere(article, tags):
        pagecache.content_changed(articles=[article])
        return original(article, tags)

    monkeypatch.setattr(views, "related_articles", related_while_withdrawn_elsewhere)
    url = paper["lead"].get_absolute_url()
    assert client.get(url)["Cache-Control"] == "no-store"
    monkeypatch.setattr(views, "related_articles", original)
    _response, queries = queries_for(client, url)
    assert queries > 0  # rendered again: nothing was kept


# --- what is kept -----------------------------------------------------------------


def test_made_up_query_parameters_neither_render_nor_store_anything(paper, client):
    url = paper["edition"].get_absolute_url()
    clean = client.get(url)
    stored = stored_pages()
    for n in range(20):
        response, queries = queries_for(client, f"{url}?utm_source=spam{n}&b={n}")
        assert (response.status_code, queries) == (200, 0)
        assert response.content == clean.content
    assert stored_pages() == stored


def test_a_dropped_parameter_never_reaches_the_page(paper, client):
    """The search box would print ?q=…: on a cached page that would be served to everyone."""
    home = reverse("articles:home")
    poisoned = client.get(f"{home}?q=PLANTED")
    assert "PLANTED" not in poisoned.content.decode()
    assert client.get(home).content == poisoned.content


def test_the_page_number_of_a_list_is_kept(paper, client):
    for n in range(25):
        publish(headline=f"城市新闻{n}", section=paper["section"])
    url = paper["section"].get_absolute_url()
    first, second = client.get(url), client.get(f"{url}?page=2&utm_source=x")
    assert first.status_code == second.status_code == 200
    assert first.content != second.content
    assert client.get(f"{url}?page=2").content == second.content


def test_the_api_refuses_unknown_parameters_and_keeps_nothing_of_them(paper, client):
    assert client.get("/api/v1/articles/").status_code == 200
    stored = stored_pages()
    for n in range(5):
        assert client.get(f"/api/v1/articles/?utm_source={n}").status_code == 400
    assert stored_pages() == stored


def test_pages_larger_than_the_limit_are_rendered_each_time(paper, client, settings):
    settings.PUBLIC_CACHE_MAX_BYTES = 100
    url = paper["lead"].get_absolute_url()
    client.get(url)
    assert client.get(url).wsgi_request.META["newsroom.cache"] == "miss"


def test_pages_are_not_kept_past_a_scheduled_publication(paper, client):
    """Nobody drops anything when a scheduled time comes, so pages expire then."""
    with time_machine.travel(timezone.now(), tick=False):
        due = timezone.now() + datetime.timedelta(minutes=3)
        Article.objects.filter(pk=paper["lead"].pk).update(published_at=due)
        changes = cache.get(pagecache.CHANGES)
        assert pagecache.next_scheduled_publication(changes) == due.timestamp()
        assert pagecache.cache_timeout(changes) == 180
        assert client.get(reverse("articles:home"))["Cache-Control"].endswith("s-maxage=180")
    # Past the time, the next lookup forgets it, and the home page kept until
    # then is rendered again, with the article.
    with time_machine.travel(due + datetime.timedelta(seconds=1), tick=False):
        assert pagecache.next_scheduled_publication(changes) == 0
        response, queries = queries_for(client, reverse("articles:home"))
        assert queries > 0
        assert paper["lead"].headline in response.content.decode()


def test_an_article_due_later_is_found_once_its_time_comes(paper, client):
    """Which article a URL names is remembered, but not past a scheduled publication."""
    url = paper["lead"].get_absolute_url()
    with time_machine.travel(timezone.now(), tick=False):
        due = timezone.now() + datetime.timedelta(minutes=3)
        Article.objects.filter(pk=paper["lead"].pk).update(published_at=due)
        pagecache.content_changed(keys=[pagecache.article_key(paper["lead"].pk)])
        assert client.get(url).status_code == 404
        assert client.get(url).status_code == 404  # kept until then
    with time_machine.travel(due + datetime.timedelta(seconds=1), tick=False):
        assert client.get(url).status_code == 200


def test_not_found_answers_are_not_cached(client):
    assert client.get("/articles/999999/").status_code == 404
    assert not stored_pages()


def test_each_language_has_its_own_cached_page(paper, client):
    chinese = client.get(reverse("articles:home"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = client.get(reverse("articles:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert "跳到正文" in chinese.content.decode()
    assert "Skip to content" in english.content.decode()
    again, queries = queries_for(client, reverse("articles:home"), HTTP_ACCEPT_LANGUAGE="en")
    assert queries == 0 and again.content == english.content


def test_the_staff_preview_is_never_cached(paper, client, editor):
    client.force_login(editor)
    draft = Article.objects.create(headline="草稿标题", body="草稿正文。")
    url = reverse("articles:preview", args=[draft.pk])
    response = client.get(url)
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Surrogate-Key" not in response
    Article.objects.filter(pk=draft.pk).update(headline="改过的标题")
    assert "改过的标题" in client.get(url).content.decode()


def test_every_public_url_is_served_from_the_cache_the_second_time(paper, client):
    for url in public_urls(paper):
        first = client.get(url)
        second, queries = queries_for(client, url)
        assert queries == 0, url
        assert second.content == first.content, url


# --- shared caches in front ---------------------------------------------------------


class PurgeRecorder(http.server.BaseHTTPRequestHandler):
    purged: list[set[str]] = []

    def do_PURGE(self):  # noqa: N802 (the HTTP method's name)
        PurgeRecorder.purged.append(set(self.headers["xkey-purge"].split()))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def varnish_stand_in(settings):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    PurgeRecorder.purged = []
    settings.PURGE_URLS = [f"http://127.0.0.1:{server.server_address[1]}/"]
    yield PurgeRecorder.purged
    server.shutdown()
    server.server_close()


def test_a_withdrawal_purges_its_keys_from_the_shared_caches_before_it_returns(
    paper, varnish_stand_in, django_capture_on_commit_callbacks
):
    withdraw(paper["lead"], django_capture_on_commit_callbacks)
    # Once at once and once on commit, both before the withdrawal returned.
    assert len(varnish_stand_in) == 2
    purged = varnish_stand_in[-1]
    lead = paper["lead"]
    assert {
        pagecache.article_key(lead.pk),
        pagecache.edition_key(paper["edition"].pk),
        pagecache.page_key(paper["page1"].pk),
        pagecache.section_key(paper["section"].pk),
        pagecache.person_key(paper["siyong"].pk),
        pagecache.ARTICLES,
    } <= purged
    assert pagecache.SITE not in purged and pagecache.EDITIONS not in purged


def test_a_shared_cache_that_does_not_answer_delays_nothing_but_is_logged(
    paper, settings, caplog, django_capture_on_commit_callbacks
):
    settings.PURGE_URLS = ["http://127.0.0.1:9/"]  # the discard port: refused
    withdraw(paper["lead"], django_capture_on_commit_callbacks)
    assert Article.objects.get(pk=paper["lead"].pk).status == Article.Status.WITHDRAWN
    assert "purge at http://127.0.0.1:9/ failed" in caplog.text


def test_a_purge_that_fails_is_retried_by_a_job_and_readyz_says_so_until_it_goes_through(
    paper, settings, client, varnish_stand_in, django_capture_on_commit_callbacks
):
    working = settings.PURGE_URLS
    settings.PURGE_URLS = ["http://127.0.0.1:9/"]  # Varnish away: refused
    withdraw(paper["lead"], django_capture_on_commit_callbacks)
    assert Article.objects.get(pk=paper["lead"].pk).status == Article.Status.WITHDRAWN
    [job] = queued(site_tasks.purge_shared_caches)
    assert pagecache.article_key(paper["lead"].pk) in job.args_kwargs["args"][0]
    ready = client.get("/readyz")
    assert ready.status_code == 200  # this server serves: the balancer keeps it
    assert "failing: purges since" in ready.content.decode()
    assert "http://127.0.0.1:9/" in ready.content.decode()
    assert run_jobs() == 1  # tried at once, still away: tried again later, not now
    [again] = queued(site_tasks.purge_shared_caches)
    assert again.run_after > timezone.now()
    # While purges fail, a click hands its purge to the job without trying it.
    settings.PURGE_URLS = working
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.content_changed(keys=[pagecache.page_key(paper["page2"].pk)])
    assert varnish_stand_in == [] and len(queued(site_tasks.purge_shared_caches)) == 2
    assert run_jobs() == 1 and varnish_stand_in  # the new one; the retry waits for its time
    with time_machine.travel(again.run_after + datetime.timedelta(seconds=1)):
        assert run_jobs() == 1
    assert pagecache.article_key(paper["lead"].pk) in set().union(*varnish_stand_in)
    assert pagecache.page_key(paper["page2"].pk) in set().union(*varnish_stand_in)
    assert client.get("/readyz").content.decode() == "ready\n"
    assert not queued()


def test_purges_are_split_to_fit_varnishs_header_limit():
    keys = {pagecache.article_key(n) for n in range(3000)}
    batches = list(pagecache._purge_batches(keys))
    assert len(batches) > 1
    assert all(len(" ".join(batch)) <= pagecache.PURGE_HEADER_LIMIT for batch in batches)
    assert set().union(*batches) == keys


# --- through Redis -----------------------------------------------------------------

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def redis_cache(settings):
    """The production Redis cache on the local server, under a prefix of this test's own."""
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    prefix = f"newsroom-site-test-{uuid.uuid4().hex}"
    settings.CACHES = {
        alias: {
            "BACKEND": "newsroom.caches.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{prefix}-{alias}",
        }
        for alias in ("default", "sessions")
    }
    yield cache
    # Delete only this test's keys: the server may be shared, so never flush it.
    client = cache.client
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


def test_invalidation_works_through_redis(
    paper, client, redis_cache, django_capture_on_commit_callbacks
):
    assert isinstance(caches["default"], ResilientRedisCache)
    url = paper["lead"].get_absolute_url()
    assert client.get(url).status_code == 200
    _response, queries = queries_for(client, url)
    assert queries == 0  # served from Redis
    withdraw(paper["lead"], django_capture_on_commit_callbacks)
    assert client.get(url).status_code == 410


# --- kept in the process, under Redis's watch ---------------------------------------


def cache_reads(monkeypatch):
    """Record each read this process sends to Redis through the cache from now on."""
    backend, reads = caches["default"], []
    for name in ("get", "get_many"):
        original = getattr(backend, name)

        def read(*args, _original=original, _name=name, **kwargs):
            reads.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(backend, name, read)
    return reads


def another_server():
    """The cache as another app server holds it: a connection of its own to the same Redis."""
    return caches.create_connection("default")


def as_another_server_changes(*keys):
    """Write what content_changed() on another app server writes: new versions of keys."""
    other = another_server()
    other.set_many({pagecache._version_key(k): pagecache._new_version() for k in keys}, None)
    # Redis has written its messages by the time it answers the next command.
    other.client.ping()


def test_a_page_this_process_read_is_answered_again_without_a_round_trip(
    paper, client, redis_cache, monkeypatch
):
    url = paper["lead"].get_absolute_url()
    client.get(url)  # rendered and stored in Redis
    client.get(url)  # read from Redis, kept here
    reads = cache_reads(monkeypatch)
    response, queries = queries_for(client, url)
    assert response.status_code == 200 and "我市召开信访工作会议" in response.content.decode()
    assert (queries, reads) == (0, [])


def test_a_change_made_on_another_server_is_seen_here_at_once(paper, client, redis_cache):
    lead = paper["lead"]
    url = lead.get_absolute_url()
    client.get(url)
    client.get(url)  # kept here
    Article.objects.filter(pk=lead.pk).update(headline="信访工作会议改期")
    as_another_server_changes(pagecache.article_key(lead.pk))
    assert "信访工作会议改期" in client.get(url).content.decode()


def test_without_its_watch_the_process_asks_redis_and_watches_again_when_it_can(
    paper, client, redis_cache, monkeypatch
):
    import redis

    monkeypatch.setattr("newsroom.caches.RETRY_WATCH_SECONDS", 0)
    lead = paper["lead"]
    url = lead.get_absolute_url()
    client.get(url)
    client.get(url)  # kept here
    redis.Redis.from_url(REDIS_URL).client_kill_filter(_id=pagecache.watch().ident)
    # Changed while nothing watches for this process: it must not answer what it kept.
    Article.objects.filter(pk=lead.pk).update(headline="信访工作会议改期")
    as_another_server_changes(pagecache.article_key(lead.pk))
    assert "信访工作会议改期" in client.get(url).content.decode()
    client.get(url)  # watched again, and kept here again
    reads = cache_reads(monkeypatch)
    assert "信访工作会议改期" in client.get(url).content.decode()
    assert reads == []


def test_a_rendered_page_reads_the_parts_this_process_keeps_without_a_round_trip(
    paper, redis_cache, monkeypatch, settings
):
    from django.test import Client

    settings.PUBLIC_PAGE_CACHE = False  # every request renders; its parts are kept
    reader, lead = Client(), paper["lead"]
    url = lead.get_absolute_url()
    reader.get(url)  # its parts built and stored in Redis
    reader.get(url)  # read from Redis, kept here
    reads = cache_reads(monkeypatch)
    response, queries = queries_for(reader, url)
    assert "我市召开信访工作会议" in response.content.decode()
    assert (queries, reads) == (0, [])  # nothing from the database, nothing from Redis

    Article.objects.filter(pk=lead.pk).update(headline="信访工作会议改期")
    as_another_server_changes(pagecache.article_key(lead.pk))
    assert "信访工作会议改期" in reader.get(url).content.decode()


def test_a_change_made_while_a_page_reads_its_parts_keeps_nothing_old_here(
    paper, redis_cache, monkeypatch, settings
):
    from django.test import Client

    settings.PUBLIC_PAGE_CACHE = False
    reader, lead = Client(), paper["lead"]
    url = lead.get_absolute_url()
    reader.get(url)
    reader.get(url)  # every part kept here
    story = [key for key in pagecache._here if ":article:" in key]
    assert story
    del pagecache._here[story[0]]  # so the next render reads it from Redis
    backend, original = caches["default"], caches["default"].get_many

    def read_while_another_server_changes_it(keys, *args, **kwargs):
        monkeypatch.setattr(backend, "get_many", original)
        Article.objects.filter(pk=lead.pk).update(headline="信访工作会议改期")
        as_another_server_changes(pagecache.article_key(lead.pk))
        return original(keys, *args, **kwargs)

    monkeypatch.setattr(backend, "get_many", read_while_another_server_changes_it)
    reader.get(url)  # raced the change: may show either, must keep neither here
    assert "信访工作会议改期" in reader.get(url).content.decode()


def test_a_redis_that_refuses_to_watch_is_read_each_time_and_not_asked_again(redis_cache):
    import math

    from newsroom.caches import Watch

    # Overlapping prefixes: Redis refuses them, as a Redis before 6 refuses tracking.
    refused = Watch(caches["default"], ["newsroom:", "newsroom:v:"])
    assert refused.begin() is None and not refused.current()
    assert refused.down_until == math.inf


def test_the_watch_forgets_on_a_flush_and_stops_at_a_message_it_does_not_understand():
    from newsroom.caches import Watch

    watch = Watch(cache=None, prefixes=[])
    watch.key_start = len("p:")
    watch.values = {"v:a": 1, "v:b": 2, "v:c": 3}
    watch._take_in({"type": "message", "channel": b"__redis__:invalidate", "data": [b"p:v:a"]})
    assert watch.values == {"v:b": 2, "v:c": 3}
    # Someone flushed Redis: everything changed.
    watch._take_in({"type": "message", "channel": b"__redis__:invalidate", "data": None})
    assert watch.values == {}
    with pytest.raises(ValueError):
        watch._take_in({"type": "subscribe", "channel": b"__redis__:invalidate", "data": 2})


def test_a_process_keeps_no_more_pages_than_its_bound(client, redis_cache, settings):
    urls = [publish(headline=f"稿件{i}").get_absolute_url() for i in range(12)]
    largest = max(len(client.get(url).content) for url in urls)
    # Room for eight of the largest (one page may take an eighth at most), not for all.
    settings.PUBLIC_LOCAL_CACHE_BYTES = largest * 8
    for url in urls * 3:
        client.get(url)
        assert pagecache._here_bytes <= settings.PUBLIC_LOCAL_CACHE_BYTES
    assert 8 <= len(pagecache._here) < len(urls)


# --- before Django: the WSGI application of production ---------------------------


def wsgi_get(path, query="", *, scheme="https", host=HOST, **headers):
    """Request path from the production WSGI application; return (status, headers, body)."""
    import io
    import sys
    import urllib.parse

    from django.core.handlers.wsgi import WSGIHandler

    environ = {
        "REQUEST_METHOD": "GET",
        # As a server gives it: percent-decoded, the UTF-8 bytes as Latin-1.
        "PATH_INFO": urllib.parse.unquote_to_bytes(path).decode("iso-8859-1"),
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **{f"HTTP_{name.upper()}": value for name, value in headers.items()},
    }
    answered = {}

    def start_response(status, response_headers):
        answered.update(status=status, headers=response_headers)

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(pagecache.serve_hits(WSGIHandler())(environ, start_response))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answered["status"], dict(answered["headers"]), body, environ.get("newsroom.cache")


def test_production_answers_a_hit_before_django_with_the_headers_of_the_render(
    paper, client, settings
):
    settings.SECURE_HSTS_SECONDS = 31536000
    for url in public_urls(paper):
        path, _, query = url.partition("?")
        with time_machine.travel(timezone.now(), tick=False):
            rendered = client.get(url, secure=True)
            with CaptureQueriesContext(connection) as queries:
                status, headers, body, state = wsgi_get(path, query)
        assert (state, len(queries)) == ("hit", 0), url
        assert status == f"{rendered.status_code} {rendered.reason_phrase}", url
        assert headers == dict(rendered.headers), url
        assert body == rendered.content, url


def test_production_drops_a_hit_as_soon_as_its_copy_is_withdrawn(
    paper, client, django_capture_on_commit_callbacks
):
    url = paper["lead"].get_absolute_url()
    client.get(url, secure=True)
    assert wsgi_get(url, "utm_source=wechat")[3] == "hit"
    withdraw(paper["lead"], django_capture_on_commit_callbacks)
    status, _headers, _body, state = wsgi_get(url)
    assert (status, state) == ("410 Gone", "miss")


def test_production_sends_plain_http_and_unknown_hosts_on_to_django(paper, client, settings):
    settings.SECURE_SSL_REDIRECT = True
    url = paper["lead"].get_absolute_url()
    client.get(url, secure=True)
    assert wsgi_get(url, scheme="http")[0].startswith("301")
    assert wsgi_get(url, host="evil.example")[0].startswith("400")


def test_production_answers_a_conditional_request_with_304_from_the_cache(paper, client):
    url = f"/api/v1/articles/{paper['lead'].pk}/"
    etag = client.get(url, secure=True)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        status, _headers, body, state = wsgi_get(url, if_none_match=etag)
    assert (status, body, state, len(queries)) == ("304 Not Modified", b"", "hit", 0)
    assert wsgi_get(url, if_none_match='W/"other"')[0] == "200 OK"


def test_the_404_of_copy_not_out_yet_is_kept_until_its_publication(
    client, django_capture_on_commit_callbacks
):
    article = ArticleFactory(headline="即将发布", status="approved")
    url = article.get_absolute_url()
    assert client.get(url).status_code == 404
    again, queries = queries_for(client, url)
    assert (again.status_code, queries) == (404, 0)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(article, "publish_now", user=desk_editor())
    assert client.get(url).status_code == 200


def test_the_404_of_a_made_up_article_is_never_kept(client):
    for _ in range(2):
        assert client.get("/articles/987654/").status_code == 404
    assert not stored_pages()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/articles/987654/",  # a made-up id in the API
        "/sections/chengshi/?page=999",  # a list's page past its end
        "/api/v1/articles/?page=999",
        "/sections/no-such-section/",
    ],
)
def test_a_404_is_never_kept_by_the_page_cache(paper, client, url):
    for _ in range(2):
        assert client.get(url).status_code == 404
    assert not stored_pages()


def test_nothing_read_ahead_outlives_its_request(paper, client):
    client.get(paper["lead"].get_absolute_url())  # reads its parts ahead
    assert pagecache._reads.get() is None


def test_a_change_within_a_request_is_not_hidden_by_what_the_request_read_ahead():
    """preread() answers later reads of the request, until content changes."""
    built = []

    def build(missing):
        built.append(len(built) + 1)
        return dict.fromkeys(missing, (f"version {built[-1]}", ()))

    wanted = {"x": ["a1"]}
    assert pagecache.fragments("probe", wanted, build)["x"][0] == "version 1"
    pagecache.preread({"probe": wanted})
    assert pagecache.fragments("probe", wanted, build)["x"][0] == "version 1"  # kept, read ahead
    pagecache.content_changed(keys=["a1"])
    assert pagecache.fragments("probe", wanted, build)["x"][0] == "version 2"
    pagecache.forget_reads()
