"""Hostile input never costs a 500: every URL pattern, every parameter, every form field.

The patterns come from the URL resolver, so a new page, API endpoint or admin
view is covered the day it is added. For each pattern, as a reader and as a
logged-in editor, the suite sends:

- the path with each of its arguments replaced by a NUL byte, bytes that are
  not UTF-8, an overlong value, a non-number, a number too large for any
  column, a negative number and an impossible date;
- headers a client controls (cookies, user agent, conditional and range
  requests, forwarded addresses) with such values;
- each query parameter the page links to or has a search form for (and those
  in SAMPLE_QUERIES) with each of those values;
- each form the page shows, with each field in turn (or every field at once,
  for long model forms) given each of those values.

Every answer must be below 500, and a 400 or 404 must be the site's own page
(or, under the API, its problem document). Run under DEBUG=0 semantics, as
pytest-django does.
"""

import datetime
import inspect
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import lxml.html
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from articles import workflow
from articles.copy import revisions
from articles.models import Article, Byline, Edition
from media.models import PhotoCredit
from newsroom.security import UNLOCK_SALT
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
    PhotoFactory,
    SectionFactory,
)

# --- what is sent -----------------------------------------------------------------

NUL = "\x00"
NOT_UTF8 = b"\xff\xfe"
OVERLONG = "x" * 10_000
HOSTILE_VALUES = {
    "nul": NUL,
    "nul-inside": f"a{NUL}b",
    "not-utf8": NOT_UTF8,
    "overlong": OVERLONG,
    "not-a-number": "abc",
    "too-large": "99999999999999999999",
    "negative": "-1",
    "impossible-date": "2022-02-30",
    "impossible-time": "2022-02-28T25:61",
    "list-of-junk": "1,abc,99999999999999999999",
    "digit-not-a-number": "²",
}
# In a path, values are written percent-encoded, as a client sends them.
HOSTILE_PATH_VALUES = {
    "nul": "%00",
    "nul-inside": "a%00b",
    "not-utf8": "%FF%FE",
    "overlong": OVERLONG,
    "not-a-number": "abc",
    "too-large": "99999999999999999999",
    "negative": "-1",
    "impossible-date": "2022-02-30",
    "impossible-month": "2022-13",
    "traversal": "..%2F..%2Fpyproject.toml",
}
# Headers a client controls, each sent alone with the page's own request.
HOSTILE_HEADERS = {
    "cookie": "sessionid=abcdefgh\x00ij; csrftoken=\x00",
    "user-agent": "robot\x00",
    "accept-language": "zh-CN;q=abc," + "x" * 10_000,
    "if-modified-since": "Mon, 30 Feb 2022 25:61:00 GMT",
    "if-none-match": '"\x00", W/',
    "range": "bytes=99999999999999999999-",
    "x-forwarded-for": "not-an-address, 999.999.999.999",
}
# Long model forms: every field at once, per value, rather than each in turn.
MANY_FIELDS = 8
# Left as the page has them: Django checks its own management forms (and caps
# TOTAL_FORMS), and the test client does not check CSRF tokens.
UNFUZZED = re.compile(r"^csrfmiddlewaretoken$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$")

# Query parameters a pattern reads that no page links to.
SAMPLE_QUERIES = {
    "admin:autocomplete": {
        "app_label": "articles",
        "model_name": "article",
        "field_name": "section",
        "term": "城",
    },
    "admin:media_photo_describe": {"ids": "1"},
    "articles:search": {"q": "会议", "section": "chengshi", "since": "2022-02-01"},
    "api:article-list": {"section": "chengshi", "page": "1", "updated_since": "2022-02-01"},
    "api:edition-list": {"date_after": "2022-02-01", "page_size": "10"},
}


# --- the URL patterns -------------------------------------------------------------


@dataclass
class Endpoint:
    route: str  # route syntax and regex pieces, joined as Django joins them
    name: str
    callback: object
    args: list[str] = field(default_factory=list)

    def __str__(self):
        return self.name or self.route


def _route_text(pattern):
    text = str(pattern)
    return text.removeprefix("^").removesuffix("$") if text.startswith("^") else text


def _named_groups(route):
    """Yield (name, start, end) of every <conv:name> and (?P<name>…) in route."""
    for match in re.finditer(r"<(?:\w+:)?(\w+)>", route):
        if not route[: match.start()].endswith("(?P"):
            yield match.group(1), match.start(), match.end()
    for match in re.finditer(r"\(\?P<(\w+)>", route):
        depth, end = 0, match.start()
        for end in range(match.start(), len(route)):
            depth += {"(": 1, ")": -1}.get(route[end], 0)
            if depth == 0 and end > match.start():
                break
        yield match.group(1), match.start(), end + 1


def endpoints(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + _route_text(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from endpoints(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            args = [arg for arg, _start, _end in sorted(_named_groups(route), key=lambda g: g[1])]
            yield Endpoint(route, name or "", pattern.callback, args)


def build_path(endpoint, values):
    """Return the path of endpoint with its arguments given values (written as is)."""
    route = endpoint.route
    for name, start, end in sorted(_named_groups(route), key=lambda g: -g[1]):
        route = route[:start] + values[name] + route[end:]
    return "/" + route.replace("\\", "")


def model_admin_of(callback):
    admin = getattr(callback, "model_admin", None)
    if admin is None:
        view = inspect.unwrap(callback)
        admin = getattr(view, "__self__", None)
    return admin


ENDPOINTS = list(endpoints())


# --- a small paper to aim at --------------------------------------------------------


@pytest.fixture
def world(people, django_capture_on_commit_callbacks):
    """One of everything: a published edition, copy in every state, a photo, login records."""
    section = SectionFactory(name="城市", slug="chengshi")
    siyong = PersonFactory(name="司勇", slug="siyong")
    photographer = PersonFactory(name="宋卫东", slug="songweidong")
    edition = EditionFactory(
        date=datetime.date(2022, 2, 14),
        number=6125,
        status=Edition.Status.PUBLISHED,
        published_at=datetime.datetime(2022, 2, 14, 6, tzinfo=datetime.UTC),
    )
    page = PageFactory(edition=edition, number=1, name="要闻", editor=siyong)
    published = ArticleFactory(
        headline="我市召开信访工作会议",
        status=Article.Status.PUBLISHED,
        published_at=datetime.datetime(2022, 2, 14, 6, tzinfo=datetime.UTC),
        section=section,
        page=page,
        position=1,
    )
    published.tags.add("信访")
    Byline.objects.create(article=published, person=siyong, role=Byline.Role.REPORTER)
    photo = PhotoFactory()
    PhotoCredit.objects.create(photo=photo, person=photographer)
    ArticlePhotoFactory(article=published, photo=photo)
    revisions.record(published, user=people["editor"])

    planning = EditionFactory(date=datetime.date(2022, 2, 15), number=6126)
    PageFactory(edition=planning, number=1, name="要闻", editor=siyong)
    ArticleFactory(headline="待排版的稿件", status=Article.Status.APPROVED, section=section)
    draft = ArticleFactory(headline="记者的草稿", section=section, created_by=people["reporter"])
    Byline.objects.create(
        article=draft, person=people["reporter"].person, role=Byline.Role.REPORTER
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(draft, "submit", user=people["reporter"])

    AccessAttempt.objects.create(
        username="editor", ip_address="127.0.0.1", user_agent="test", failures_since_start=1
    )
    AccessLog.objects.create(username="editor", ip_address="127.0.0.1", user_agent="test")
    AccessFailureLog.objects.create(username="editor", ip_address="127.0.0.1", user_agent="test")
    return {
        "section": section,
        "person": siyong,
        "tag": published.tags.get(),
        "edition": edition,
        "article": published,
        "photo": photo,
        "user": people["editor"],
    }


def sample_arguments(endpoint, world):
    """Return values for endpoint's path arguments that lead to a real object."""
    admin = model_admin_of(endpoint.callback)
    values = {}
    for arg in endpoint.args:
        if endpoint.name == "admin:view_on_site":
            article = world["article"]
            value = {
                "content_type_id": str(ContentType.objects.get_for_model(article).pk),
                "object_id": str(article.pk),
            }[arg]
        elif arg == "object_id" and admin is not None:
            first = admin.model._default_manager.order_by("pk").first()
            value = str(first.pk) if first else "1"
        elif arg == "slug":
            kind = next(k for k in ("section", "tag", "person") if k in endpoint.name)
            value = quote(world[kind].slug)
        else:
            value = {
                "id": str(world["user"].pk),
                "number": "1",
                "pk": str(world["article"].pk),
                "article_id": str(world["article"].pk),
                "date": world["edition"].date.isoformat(),
                "month": world["edition"].date.strftime("%Y-%m"),
                "app_label": "articles",
                "url": "nothing/",
                "path": world["photo"].image.name if endpoint.name == "media" else "nothing/",
                # A page's files: the PDF by its fixed name (the world's page has none).
                "name": "page.pdf",
                # A page import's own page (none exists: a 404, never a 500).
                "import_id": "1",
                # An unlock link's token, as a login's unlock e-mail carries it.
                "token": signing.dumps(world["user"].get_username(), salt=UNLOCK_SALT),
            }.get(arg)
        assert value is not None, (
            f"no sample value for <{arg}> of {endpoint}: add one to sample_arguments()"
        )
        values[arg] = value
    return values


# --- reading a page ----------------------------------------------------------------


@dataclass
class Form:
    action: str
    fields: list  # (name, value) in page order
    multipart: bool


def read_page(response, path):
    """Return (query names the page links to on its own path, its GET forms, its POST forms)."""
    names, get_forms, post_forms = set(), [], []
    if "html" not in response.get("Content-Type", "") or not response.content.strip():
        return names, get_forms, post_forms
    document = lxml.html.document_fromstring(response.content.decode(response.charset))
    for href in document.xpath("//a/@href"):
        parts = urlsplit(href)
        if parts.path in ("", path):
            names.update(name for name, _value in parse_qsl(parts.query, keep_blank_values=True))
    for form in document.forms:
        action = urlsplit(form.action or path).path or path
        fields = list(form_fields(form))
        if (form.method or "GET").upper() == "GET":
            get_forms.append(Form(action, fields, False))
        else:
            multipart = (form.get("enctype") or "").startswith("multipart")
            post_forms.append(Form(action, fields, multipart))
    return names, get_forms, post_forms


def form_fields(form):
    """Yield (name, value) for every field of form, filled as the page has it.

    Unlike a browser, unticked fields are sent too (they are what is aimed
    at), and only the first submit button. A box left empty gets "1", so that
    a form (a login) whose other fields are hostile is complete enough to
    reach the code behind it. The template rows of inline formsets
    (__prefix__) are no fields.
    """
    button = False
    for element in form.xpath(
        ".//input[@name] | .//select[@name] | .//textarea[@name] | .//button[@name]"
    ):
        name, kind = element.get("name"), (element.get("type") or "").lower()
        if (
            "__prefix__" in name
            or kind in ("file", "image", "reset")
            or element.get("disabled") is not None
        ):
            continue
        if element.tag == "select":
            options = element.xpath(".//option")
            chosen = [o for o in options if o.get("selected") is not None] or options[:1]
            yield name, chosen[0].get("value", chosen[0].text or "") if chosen else ""
        elif element.tag == "textarea":
            yield name, element.text or "1"
        elif element.tag == "button" or kind == "submit":
            if not button:
                button = True
                yield name, element.get("value", "")
        elif kind in ("checkbox", "radio"):
            yield name, element.get("value", "on")
        else:
            yield name, element.get("value") or ("" if kind == "hidden" else "1")


# --- sending ----------------------------------------------------------------------


def encode(pairs):
    """Return pairs as a query string; bytes values are sent as they are, not as UTF-8."""
    return urlencode([(k, v) for k, v in pairs], doseq=False)


class Prober:
    """Send requests, collecting every answer that is a server error or not our page."""

    def __init__(self, client):
        self.client = client
        self.failures = []

    def check(self, label, response):
        status = response.status_code
        if status >= 500:
            error = response.exc_info[1] if getattr(response, "exc_info", None) else ""
            self.failures.append(f"{label}: {status} {type(error).__name__}: {error!s:.200}")
        elif status in (400, 404) and not self.is_our_page(response):
            self.failures.append(f"{label}: {status} without the site's own page")

    @staticmethod
    def is_our_page(response):
        content_type = response.get("Content-Type", "")
        if content_type.startswith("application/problem+json"):
            return True
        return content_type.startswith("text/html") and b'class="notice"' in response.content

    def get(self, path, pairs=(), headers=None):
        query = encode(pairs)
        url = f"{path}?{query}" if query else path
        response = self.client.get(url, headers=headers)
        label = f"GET {url[:160]}" + (f" with {next(iter(headers))!r}" if headers else "")
        self.check(label, response)
        return response

    def post(self, path, pairs, multipart, label):
        if multipart and not any(isinstance(v, bytes) for _k, v in pairs):
            data = {}
            for key, value in pairs:
                data.setdefault(key, []).append(value)
            response = self.client.post(path, data)
        else:
            response = self.client.post(
                path, encode(pairs), content_type="application/x-www-form-urlencoded"
            )
        self.check(f"POST {path} {label}", response)
        return response


def replaced(pairs, name, value, index=None):
    return [
        (k, value if k == name and (index is None or i == index) else v)
        for i, (k, v) in enumerate(pairs)
    ]


def probe_endpoint(prober, endpoint, world):
    arguments = sample_arguments(endpoint, world)
    path = build_path(endpoint, arguments)
    if not path.startswith("/admin/"):
        # The sample must reach the pattern, or nothing below tests it.
        try:
            match = resolve(path)
        except Resolver404:
            match = None
        assert match is not None and match.func == endpoint.callback, f"{path} is not {endpoint}"

    # Each path argument, each hostile value.
    for arg in endpoint.args:
        for value in HOSTILE_PATH_VALUES.values():
            prober.get(build_path(endpoint, {**arguments, arg: value}))

    sample = list(SAMPLE_QUERIES.get(endpoint.name, {}).items())
    baseline = prober.get(path, sample)
    names, get_forms, post_forms = read_page(baseline, path)
    names |= {name for name, _value in sample}
    for form in get_forms:
        names |= {name for name, _value in form.fields}

    # Each header a client controls, alone.
    for name, value in HOSTILE_HEADERS.items():
        prober.get(path, sample, headers={name: value})

    # Each query parameter, each hostile value, the others as the page had them.
    for name in sorted(names):
        for value in HOSTILE_VALUES.values():
            prober.get(path, [*[(k, v) for k, v in sample if k != name], (name, value)])

    # Each form the page shows; not logging out, which would end the session.
    seen = set()
    for form in post_forms:
        if form.action.endswith("/logout/"):
            continue
        key = (form.action, tuple(sorted(dict(form.fields).items())))
        if key in seen:
            continue
        seen.add(key)
        targets = [i for i, (name, _v) in enumerate(form.fields) if not UNFUZZED.search(name)]
        for label, value in HOSTILE_VALUES.items():
            if len(targets) > MANY_FIELDS:
                # A model form validates every field: all of them at once.
                pairs = [(k, value if i in targets else v) for i, (k, v) in enumerate(form.fields)]
                prober.post(form.action, pairs, form.multipart, f"every field {label}")
            else:
                for index in targets:
                    pairs = replaced(form.fields, form.fields[index][0], value, index)
                    prober.post(
                        form.action, pairs, form.multipart, f"{form.fields[index][0]}={label}"
                    )


def _id(endpoint):
    return str(endpoint)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_id)
def test_a_reader_never_gets_a_server_error(endpoint, world, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    prober = Prober(Client(raise_request_exception=False))
    probe_endpoint(prober, endpoint, world)
    assert not prober.failures, "\n".join(prober.failures)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=_id)
def test_a_logged_in_editor_never_gets_a_server_error(endpoint, world, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client(raise_request_exception=False)
    client.force_login(world["user"])
    prober = Prober(client)
    probe_endpoint(prober, endpoint, world)
    assert not prober.failures, "\n".join(prober.failures)
