"""Security in the request cycle: CSP, CSRF on every state-changing admin action, throttled logins."""

import datetime
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import reverse

from articles.models import Article, Edition
from newsroom.security import client_ip
from people.roles import Role
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    UserFactory,
)
from tests.jobs import run_jobs

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"
LOGIN = reverse("admin:login")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csp(response):
    return dict(
        part.strip().split(" ", 1)
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    )


def test_public_pages_and_the_admin_carry_a_strict_content_security_policy(admin_client):
    for url in [reverse("articles:home"), reverse("admin:index")]:
        policy = csp(admin_client.get(url))
        assert policy["default-src"] == "'self'"
        assert policy["object-src"] == "'none'"
        assert policy["frame-ancestors"] == "'none'"
        assert "unsafe-inline" not in policy["script-src"] + policy["style-src"]
        assert "unsafe-eval" not in policy["script-src"]


def test_a_cached_public_page_carries_no_nonce_from_another_response(client):
    """A page served from the shared cache must not pin a nonce it was rendered with."""
    first = client.get(reverse("articles:home"))
    second = client.get(reverse("articles:home"))
    assert "nonce-" not in first["Content-Security-Policy"]
    assert "nonce-" not in second["Content-Security-Policy"]
    assert b"nonce=" not in second.content


def test_the_policy_built_once_is_the_one_django_csp_builds_for_each_response(settings):
    from csp.decorators import csp_update
    from csp.middleware import CSPMiddleware
    from django.http import HttpResponse

    from newsroom.middleware import ContentSecurityPolicyMiddleware

    def answer(middleware_class, view, *, nonce=False):
        request = RequestFactory().get("/")
        middleware = middleware_class(lambda request: view(request))
        middleware.process_request(request)
        if nonce:
            str(request.csp_nonce)
        return middleware.process_response(request, view(request))

    def plain(request):
        return HttpResponse("ok")

    @csp_update({"img-src": "https://example.com"})
    def own(request):
        return HttpResponse("ok")

    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"]}}
    for view in (plain, own):
        ours, theirs = answer(ContentSecurityPolicyMiddleware, view), answer(CSPMiddleware, view)
        for header in ("Content-Security-Policy", "Content-Security-Policy-Report-Only"):
            assert ours[header] == theirs[header]
    assert (
        "https://example.com"
        in answer(ContentSecurityPolicyMiddleware, own)["Content-Security-Policy"]
    )
    assert (
        "'nonce-"
        in answer(ContentSecurityPolicyMiddleware, plain, nonce=True)["Content-Security-Policy"]
    )
    # A change of the settings is taken in (they are read once per process otherwise).
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert answer(ContentSecurityPolicyMiddleware, plain)["Content-Security-Policy"] == (
        "default-src 'none'"
    )


def test_messages_are_stored_and_read_as_before_and_a_page_without_any_makes_no_storage():
    from django.contrib import messages
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.http import HttpResponse
    from django.utils.functional import empty

    from newsroom.middleware import LazyMessageMiddleware

    def through(view, cookies=None):
        request = RequestFactory().get("/")
        request.COOKIES.update(cookies or {})
        SessionMiddleware(lambda r: None).process_request(request)
        return request, LazyMessageMiddleware(view)(request)

    def quiet(request):
        return HttpResponse("ok")

    def saying(request):
        messages.info(request, "已保存")
        return HttpResponse("ok")

    read = []

    def reading(request):
        read.extend(str(m) for m in messages.get_messages(request))
        return HttpResponse("ok")

    request, response = through(quiet)
    assert request._messages._wrapped is empty and not response.cookies  # never made
    assert not list(messages.get_messages(request))  # made when read, empty
    _request, response = through(saying)
    cookie = response.cookies["messages"].value
    _request, response = through(reading, {"messages": cookie})
    assert read == ["已保存"]
    assert response.cookies["messages"]["max-age"] == 0  # read: dropped, as Django does


def test_the_frame_type_and_referrer_headers_are_set(client):
    response = client.get(reverse("articles:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


# --- CSRF: every state-changing action of the admin refuses a forged POST ----------


def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def token_from(client, url):
    """Open url as the user would and return the form's CSRF token."""
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.search(response.content.decode()).group(1)


def role_user(username, role):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=role))
    PersonFactory(user=user)
    return user


@pytest.fixture
def submitted():
    article = ArticleFactory(status=Article.Status.SUBMITTED, headline="待审稿件")
    BylineFactory(article=article)
    return article


@pytest.fixture
def signed_off():
    edition = EditionFactory(status=Edition.Status.SIGNED_OFF)
    page = PageFactory(edition=edition, number=1, name="要闻", editor=PersonFactory())
    article = ArticleFactory(page=page, position=1, status=Article.Status.APPROVED)
    BylineFactory(article=article)
    return edition


def test_a_workflow_step_without_the_csrf_token_is_refused_and_changes_nothing(submitted):
    client = csrf_client(role_user("desk", Role.EDITOR))
    change = reverse("admin:articles_article_change", args=[submitted.pk])
    url = reverse("admin:articles_article_workflow", args=[submitted.pk])
    assert client.post(url, {"_workflow": "approve"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Article.Status.SUBMITTED

    token = token_from(client, change)
    response = client.post(url, {"_workflow": "approve", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Article.Status.APPROVED


def test_publishing_an_edition_without_the_csrf_token_is_refused(signed_off):
    client = csrf_client(role_user("chief", Role.CHIEF_EDITOR))
    url = reverse("admin:articles_edition_planner", args=[signed_off.pk])
    assert client.post(url, {"action": "publish"}).status_code == 403
    signed_off.refresh_from_db()
    assert signed_off.status == Edition.Status.SIGNED_OFF
    assert not Article.objects.published().exists()

    token = token_from(client, url)
    client.post(url, {"action": "publish", "csrfmiddlewaretoken": token})
    run_jobs()  # publication is a background job
    signed_off.refresh_from_db()
    assert signed_off.status == Edition.Status.PUBLISHED


def test_saving_an_article_without_the_csrf_token_is_refused(superuser):
    article = ArticleFactory(headline="原标题")
    client = csrf_client(superuser)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = {
        "kind": "news",
        "headline": "伪造的标题",
        "base_version": str(article.version),
        **{
            f"{prefix}-{field}": "0"
            for prefix in ["bylines", "article_photos", "corrections", "transitions"]
            for field in ["TOTAL_FORMS", "INITIAL_FORMS"]
        },
    }
    assert client.post(url, data).status_code == 403
    article.refresh_from_db()
    assert article.headline == "原标题"

    data["csrfmiddlewaretoken"] = token_from(client, url)
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.headline == "伪造的标题"


def test_deleting_from_the_article_list_without_the_csrf_token_is_refused(superuser):
    article = ArticleFactory()
    client = csrf_client(superuser)
    url = reverse("admin:articles_article_changelist")
    data = {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"}
    assert client.post(url, data).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_logging_out_without_the_csrf_token_is_refused(superuser):
    client = csrf_client(superuser)
    assert client.post(reverse("admin:logout")).status_code == 403
    assert client.get(reverse("admin:index")).status_code == 200  # still logged in


# --- throttled login ------------------------------------------------------------


def login(client, username, password, **extra):
    """Post the admin login form as a browser would, token and all."""
    token = token_from(client, LOGIN)
    return client.post(
        LOGIN,
        {"username": username, "password": password, "csrfmiddlewaretoken": token},
        **extra,
    )


@pytest.fixture
def editor_account():
    return UserFactory(username="editor-y", password=PASSWORD)


def test_the_login_form_refuses_a_post_without_the_csrf_token(editor_account):
    client = Client(enforce_csrf_checks=True)
    response = client.post(LOGIN, {"username": "editor-y", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_password_guessing_is_locked_out_then_allowed_again_after_the_cool_off(
    settings, editor_account
):
    client = Client(enforce_csrf_checks=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "editor-y", "wrong-guess").status_code == 200  # the form again
    locked = login(client, "editor-y", "wrong-guess")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    # Even the right password is refused while locked out.
    assert login(client, "editor-y", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session

    later = datetime.datetime.now(tz=datetime.UTC) + settings.AXES_COOLOFF_TIME
    with time_machine.travel(later + datetime.timedelta(minutes=1), tick=False):
        assert login(client, "editor-y", PASSWORD).status_code == 302


def test_a_lockout_is_for_one_account_from_one_address(settings, editor_account):
    UserFactory(username="colleague", password=PASSWORD)
    guesser = Client(enforce_csrf_checks=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(guesser, "editor-y", "wrong-guess")
    assert login(guesser, "editor-y", PASSWORD).status_code == 429
    # A colleague behind the same office address still logs in...
    assert login(Client(enforce_csrf_checks=True), "colleague", PASSWORD).status_code == 302
    # ...and so does the account's owner from another address.
    owner = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9")
    assert login(owner, "editor-y", PASSWORD).status_code == 302


def test_a_successful_login_forgets_earlier_mistakes(settings, editor_account):
    client = Client(enforce_csrf_checks=True)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "editor-y", "typo")
    assert login(client, "editor-y", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="editor-y", failures_since_start__gt=0)


def guess_from(address, username, times):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)
    return [login(client, username, "wrong-guess").status_code for _ in range(times)]


def test_guesses_from_many_addresses_never_lock_the_owner_out_from_their_own(
    settings, editor_account
):
    """A lock is for one account from one address: strangers elsewhere cannot lock anyone out."""
    for n in range(20):
        assert guess_from(f"198.51.100.{n}", "editor-y", settings.AXES_FAILURE_LIMIT)[-1] == 429
    owner = Client(enforce_csrf_checks=True, REMOTE_ADDR="203.0.113.9")
    assert login(owner, "editor-y", PASSWORD).status_code == 302


def test_attempts_during_a_lock_do_not_make_it_longer(settings, editor_account):
    start = datetime.datetime(2026, 11, 27, 1, 0, tzinfo=datetime.UTC)
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(start, tick=False):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            login(client, "editor-y", "wrong-guess")
    # Somebody keeps trying through the lock, a minute before it ends…
    almost = start + settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    with time_machine.travel(almost, tick=False):
        assert login(client, "editor-y", "wrong-guess").status_code == 429
        assert login(client, "editor-y", PASSWORD).status_code == 429
    # …and the lock still ends when it was due.
    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=30)):
        assert login(client, "editor-y", PASSWORD).status_code == 302


def locked(settings, address="127.0.0.1"):
    client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "editor-y", "wrong-guess")
    assert login(client, "editor-y", PASSWORD).status_code == 429
    return client


def test_the_locked_out_page_offers_the_way_back(settings, editor_account):
    page = login(locked(settings), "editor-y", PASSWORD).content.decode()
    assert reverse("unlock-request") in page
    assert "部门主任或总编辑" in page


def ask_for_unlock(client, username, capture):
    """Ask for an unlock link as a stranger would; the request only enqueues its e-mail."""
    with capture(execute=True):
        return client.post(reverse("unlock-request"), {"username": username})


def test_an_unlock_link_goes_to_the_accounts_own_address_and_opens_the_login(
    settings, editor_account, mailoutbox, django_capture_on_commit_callbacks
):
    editor_account.email = "editor@example.com"
    editor_account.save()
    client = locked(settings)
    stranger = Client()
    for name in ("editor-y", "no-such-person"):
        answer = ask_for_unlock(stranger, name, django_capture_on_commit_callbacks)
        # The same answer whether the account exists or not.
        assert "如果该账号有邮箱" in answer.content.decode()
    assert mailoutbox == []  # the request waits on no mail server: a job sends it
    # One link, to the account's own address; asking again within the cool-off sends none.
    ask_for_unlock(stranger, "editor-y", django_capture_on_commit_callbacks)
    assert run_jobs() == 1
    assert [m.to for m in mailoutbox] == [["editor@example.com"]]
    assert "解锁" in mailoutbox[0].subject
    link = re.search(r"https?://\S+/admin/unlock/\S+/", mailoutbox[0].body).group(0)
    opened = client.get(link)
    assert opened.status_code == 302 and opened.url == LOGIN
    assert login(client, "editor-y", PASSWORD).status_code == 302


def test_a_forged_or_expired_unlock_link_opens_nothing(
    settings, editor_account, mailoutbox, django_capture_on_commit_callbacks
):
    editor_account.email = "editor@example.com"
    editor_account.save()
    client = locked(settings)
    assert client.get(reverse("unlock-login", args=["editor-y:forged"])).url == reverse(
        "unlock-request"
    )
    start = datetime.datetime.now(tz=datetime.UTC)
    with time_machine.travel(start, tick=False):
        ask_for_unlock(Client(), "editor-y", django_capture_on_commit_callbacks)
        run_jobs()
    link = re.search(r"/admin/unlock/\S+/", mailoutbox[0].body).group(0)
    with time_machine.travel(start + datetime.timedelta(minutes=31), tick=False):
        assert client.get(link).url == reverse("unlock-request")
    assert login(client, "editor-y", PASSWORD).status_code == 429


def test_an_unlock_mail_the_server_refuses_is_tried_again_later(
    settings, editor_account, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.desk import failing_mail

    editor_account.email = "editor@example.com"
    editor_account.save()
    locked(settings)
    settings.EMAIL_BACKEND = "tests.desk.failing_mail.AwayBackend"
    failing_mail.tries.clear()
    answer = ask_for_unlock(Client(), "editor-y", django_capture_on_commit_callbacks)
    assert answer.status_code == 200 and failing_mail.tries == []
    assert run_jobs() == 1
    assert failing_mail.tries == ["editor@example.com"]
    # The server is back by the next attempt, due later (not at once).
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run_jobs() == 0
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(
        seconds=settings.NOTIFY_EMAIL_BACKOFF_SECONDS + 1
    )
    with time_machine.travel(later):
        assert run_jobs() == 1
    assert [m.to for m in mailoutbox] == [["editor@example.com"]]


def test_the_desk_head_unlocks_a_login_in_the_admin(settings, editor_account):
    client = locked(settings)
    attempt = AccessAttempt.objects.get(username="editor-y")
    desk_head = csrf_client(role_user("deskhead-x", Role.DESK_HEAD))
    url = reverse("admin:axes_accessattempt_delete", args=[attempt.pk])
    token = token_from(desk_head, url)
    desk_head.post(url, {"post": "yes", "csrfmiddlewaretoken": token})
    assert login(client, "editor-y", PASSWORD).status_code == 302


def test_the_client_address_is_read_through_the_trusted_proxies_only(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"  # not what the client wrote first
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.2"  # fewer entries than proxies: not believed
    settings.TRUSTED_PROXY_COUNT = 2
    junk = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="junk, 1.2.3.4")
    assert client_ip(junk) == "10.0.0.2"  # not an address: not believed either


def test_every_answer_carries_the_same_security_headers(client, admin_client, monkeypatch):
    """Pages, errors of every kind, the admin and the API alike."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    answers = {
        "page": client.get(reverse("articles:home")),
        "not found": client.get("/articles/999999/"),
        "malformed": client.get("/sections/%00/"),
        "api problem": client.get("/api/v1/articles/999999/"),
        "admin login": client.get(LOGIN),
        "admin": admin_client.get(reverse("admin:index")),
    }

    def refuse(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(SessionStore, "load", refuse)
    admin_client.raise_request_exception = False
    answers["database away"] = admin_client.get(reverse("admin:index"))
    assert answers["malformed"].status_code == 400
    assert answers["database away"].status_code == 503
    for name, response in answers.items():
        headers = {
            header: response.get(header)
            for header in ("X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy")
        }
        assert headers == {
            "X-Frame-Options": "DENY",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
        }, name
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], name
