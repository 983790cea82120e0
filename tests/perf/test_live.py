"""The production path for real: gunicorn with DEBUG off on the loopback, PostgreSQL, Redis.

The quick, bounded parts of the fault tests (README, "Load and faults"): the
headers and static files as served, a server whose database is away, and a
publication whose process is killed half-way. Readers under load while an
editor publishes and withdraws is `make loadtest` (locust): its figures
depend on the machine, a test's must not.
The server and the killed process are other processes, so the data they
read must be committed: these tests need PostgreSQL (the in-memory SQLite
test database is private to the test process) and Redis.
"""

import datetime
import os
import re
import signal
import subprocess
import sys
import time
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone
from django.utils.crypto import get_random_string

from articles import workflow
from articles.models import Article, Edition, TransitionLog
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
)
from tests.perf import browser, liveserver
from tests.perf.conftest import PASSWORD, REDIS_URL, redis_answers

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="another process must read the test data: needs PostgreSQL (DATABASE_URL)",
    ),
    # Committed data, so that the server's own connections see it.
    # Serialized like every transactional test here, so the flushes between them
    # leave the migrations' rows (content types, role groups) to be restored whole.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def server(static_root, tmp_path):
    if not redis_answers():
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    prefix = f"test-prod-{uuid.uuid4().hex[:8]}"
    env = liveserver.production_environment(
        database=liveserver.database_url(connection.settings_dict),
        redis=REDIS_URL,
        static_root=static_root,
        key_prefix=prefix,
    )
    log = open(tmp_path / "gunicorn.log", "w", encoding="utf-8")  # noqa: SIM115
    try:
        with liveserver.ProductionServer(env, workers=2, log=log) as running:
            yield running
    finally:
        log.close()
        liveserver.forget_keys(REDIS_URL, prefix)


def account(username):
    """A superuser whose password the production server can check.

    The tests hash passwords with MD5 for speed, a hasher production does
    not accept; this one is hashed as production does (fewer rounds).
    """
    user = get_user_model().objects.create_superuser(username)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, get_random_string(12), 1000)
    user.save(update_fields=["password"])
    return user


def editor():
    account("live-editor")
    return ("live-editor", PASSWORD)


def published_paper():
    edition = EditionFactory(
        status=Edition.Status.PUBLISHED, published_at=timezone.now() - datetime.timedelta(hours=3)
    )
    page = PageFactory(edition=edition, number=1, name="要闻", editor=PersonFactory())
    for position in range(1, 4):
        article = ArticleFactory(
            page=page,
            position=position,
            status=Article.Status.PUBLISHED,
            published_at=edition.published_at,
        )
        BylineFactory(article=article)
    return edition


def web_copy(status, count):
    articles = []
    for n in range(count):
        article = ArticleFactory(
            headline=f"网络稿件{status}{n}",
            status=status,
            published_at=timezone.now() - datetime.timedelta(minutes=5)
            if status == Article.Status.PUBLISHED
            else None,
        )
        BylineFactory(article=article)
        articles.append(article.pk)
    return articles


def test_the_production_server_sends_security_headers_and_hashed_static_files(server):
    published_paper()
    https = browser.Connection(server.base, liveserver.FORWARDED)
    home = https.get("/")
    assert home.status == 200
    assert home.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert home.headers["X-Frame-Options"] == "DENY"
    assert home.headers["X-Content-Type-Options"] == "nosniff"
    assert home.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "default-src 'self'" in home.headers["Content-Security-Policy"]

    plain = browser.Connection(server.base)
    assert plain.get("/").status == 301  # to https
    assert plain.get("/healthz").status == 200  # the balancer's probe stays on http
    assert plain.get("/readyz").body == b"ready\n"

    stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', home.body).group(1)
    css = https.get(stylesheet.decode(), headers={"Accept-Encoding": "gzip"})
    assert css.status == 200
    assert css.headers["Content-Encoding"] == "gzip"
    assert "immutable" in css.headers["Cache-Control"]


def test_admin_cookies_are_secure_and_http_only_and_the_login_needs_its_token(server):
    editor()
    origin = server.base.replace("http://", "https://")
    person = browser.Connection(server.base, {**liveserver.FORWARDED, "Origin": origin})
    page = person.get("/admin/login/")
    (csrf_cookie,) = [c for c in page.set_cookies if c.startswith("csrftoken=")]
    assert "Secure" in csrf_cookie and "HttpOnly" in csrf_cookie
    credentials = {"username": "live-editor", "password": PASSWORD, "next": "/admin/"}
    assert person.post("/admin/login/", credentials).status == 403  # no token

    token = TOKEN.search(page.body).group(1).decode()
    login = person.post("/admin/login/", {**credentials, "csrfmiddlewaretoken": token})
    assert login.status == 302
    (session_cookie,) = [c for c in login.set_cookies if c.startswith("sessionid=")]
    assert "Secure" in session_cookie and "HttpOnly" in session_cookie
    assert person.get("/admin/").status == 200


def test_while_the_database_is_away_cached_pages_are_served_and_others_answer_503(
    server, static_root
):
    """A second server, sharing the first one's Redis but whose database never answers."""
    edition = published_paper()
    https = browser.Connection(server.base, liveserver.FORWARDED)
    assert https.get("/").status == 200  # now in the shared cache
    away = liveserver.production_environment(
        database="postgres://postgres@127.0.0.1:9/nowhere",  # the discard port: refused
        redis=REDIS_URL,
        static_root=static_root,
        key_prefix=server.env["CACHE_KEY_PREFIX"],
    )
    with liveserver.ProductionServer(away, workers=1) as cut_off:
        # The same site as the first server (pages are cached per host).
        host = {"Host": f"127.0.0.1:{server.port}"}
        reader = browser.Connection(cut_off.base, {**liveserver.FORWARDED, **host})
        assert reader.get("/").status == 200  # a cache hit needs only Redis
        uncached = reader.get(edition.get_absolute_url())
        assert uncached.status == 503
        assert uncached.headers["Retry-After"] == "5"
        assert "网站暂时无法访问" in uncached.body.decode()
        assert browser.Connection(cut_off.base).get("/readyz").status == 503


# --- a publication killed half-way --------------------------------------------------

KILLED_PUBLICATION = """
import os, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from articles import workflow
from articles.editions import publishing
from articles.models import Edition

original = publishing._publish_articles

def publish_then_stop_before_commit(articles, **kwargs):
    original(articles, **kwargs)  # every article written, the transaction still open
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        print("HALF-WAY", cursor.fetchone()[0], flush=True)
    time.sleep(120)  # killed here, inside publish_edition's transaction

publishing._publish_articles = publish_then_stop_before_commit
edition = Edition.objects.get(pk=int(sys.argv[1]))
workflow.publish_edition(edition, user=get_user_model().objects.get(pk=int(sys.argv[2])))
print("FINISHED", flush=True)
"""


def signed_off_edition(chief, articles=30, pages=3):
    edition = EditionFactory()
    for number in range(1, pages + 1):
        page = PageFactory(
            edition=edition, number=number, name=f"版{number}", editor=PersonFactory()
        )
        for position in range(1, articles // pages + 1):
            article = ArticleFactory(page=page, position=position, status=Article.Status.APPROVED)
            BylineFactory(article=article)
    return workflow.sign_off(edition, user=chief)


def test_a_publication_killed_half_way_leaves_the_edition_and_its_copy_as_they_were():
    chief = account("chief-live")
    edition = signed_off_edition(chief)
    before = {a.pk: (a.status, a.version, a.published_at) for a in Article.objects.all()}
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DATABASE_URL": liveserver.database_url(connection.settings_dict),
        # A web-only paper, as in tests.settings: the edition's pages carry no PDF.
        "EPAPER": "0",
    }
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_PUBLICATION, str(edition.pk), str(chief.pk)],
        cwd=liveserver.ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()  # blocks until the copy is written, not committed
        assert line.startswith("HALF-WAY"), line
        backend = int(line.split()[1])
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(10)
    # The server notices its client is gone and rolls the transaction back.
    deadline = time.monotonic() + 15
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend])
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.1)

    edition.refresh_from_db()
    assert edition.status == Edition.Status.SIGNED_OFF
    assert edition.published_at is None
    after = {a.pk: (a.status, a.version, a.published_at) for a in Article.objects.all()}
    assert after == before
    assert not TransitionLog.objects.filter(action__startswith="publish").exists()

    # Nothing is left locked: the edition publishes whole the next time.
    workflow.publish_edition(edition, user=chief)
    assert Article.objects.published().count() == 30
