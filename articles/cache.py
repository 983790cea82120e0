"""The public cache: rendered pages and remembered values, each dropped with the copy it shows.

Every public page names the content it shows as *surrogate keys*: ``a12`` for
article 12, ``e3`` for edition 3, ``p31`` for one of its pages, ``s2``, ``t9``
and ``pe7`` for the lists of a section, a tag and a person, ``articles`` for
every list of the newest copy (home, feeds, sitemaps, the API's article list),
``editions`` for the lists of editions and ``sections`` for the section bar.
Each key has a version in the shared cache. A cached page records the
versions of its keys when it was rendered and is served only while they all
stand; content_changed() gives the keys of what changed new versions (at once
and again once the transaction commits), so a publication, withdrawal or
correction drops exactly the pages that show that copy, on every app server,
and purges the same keys from the shared caches in front (Varnish; README,
"Scaling out"). Every page also carries the key ``site``, which
public_content_changed() moves to drop everything.

A hit is answered by PublicPageMiddleware before sessions, authentication,
locale negotiation and CSP are built, in one round trip to the cache: the
middleware remembers per process which keys each page had, and asks for the
page and those keys' versions together. The stored answer keeps the headers
the full stack gave it, so a hit and a render answer alike.

Only the query parameters a page uses are part of its key (``page`` of a
list, ``p`` of the sitemap); the others are removed from the request before
the view sees it, so made-up parameters neither render nor store anything.
The API instead refuses parameters it does not know (400), never cached.

Scheduled publication needs no one to bump a version: nothing is kept longer
than until the next scheduled publication time. Nothing here may fail a
request: the cache backends of newsroom.caches answer "nothing" while Redis
is away, and the pages are then rendered.
"""

from __future__ import annotations

import hashlib
import logging
import math
import random
import time
from collections.abc import (
    Callable,
    Collection,
    Hashable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from http.client import responses
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias, TypeVar, cast, overload
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.wsgi import get_path_info, get_script_name
from django.core.signals import request_finished, request_started, setting_changed
from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Value
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.cookie import parse_cookie
from django.http.response import HttpResponseBase
from django.urls import Resolver404, resolve
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

from articles.models import Article, ArticlePhoto, Byline, Edition, Page, Section, TaggedArticle
from newsroom import background
from newsroom.caches import after_outage

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

    from newsroom.caches import Watch

T = TypeVar("T")
V = TypeVar("V")
K = TypeVar("K", bound=Hashable)

logger = logging.getLogger("newsroom.cache")

# --- surrogate keys ---------------------------------------------------------------

SITE = "site"  # every page
ARTICLES = "articles"  # every list of the newest copy
EDITIONS = "editions"  # every list of editions
SECTIONS = "sections"  # the section bar


@overload
def article_key(pk: int) -> str: ...
@overload
def article_key(pk: None) -> None: ...
def article_key(pk: int | None) -> str | None:
    return None if pk is None else f"a{pk}"


@overload
def edition_key(pk: int) -> str: ...
@overload
def edition_key(pk: None) -> None: ...
def edition_key(pk: int | None) -> str | None:
    return None if pk is None else f"e{pk}"


@overload
def page_key(pk: int) -> str: ...
@overload
def page_key(pk: None) -> None: ...
def page_key(pk: int | None) -> str | None:
    return None if pk is None else f"p{pk}"


@overload
def section_key(pk: int) -> str: ...
@overload
def section_key(pk: None) -> None: ...
def section_key(pk: int | None) -> str | None:
    return None if pk is None else f"s{pk}"


@overload
def tag_key(pk: int) -> str: ...
@overload
def tag_key(pk: None) -> None: ...
def tag_key(pk: int | None) -> str | None:
    return None if pk is None else f"t{pk}"


@overload
def person_key(pk: int) -> str: ...
@overload
def person_key(pk: None) -> None: ...
def person_key(pk: int | None) -> str | None:
    return None if pk is None else f"pe{pk}"


def add_keys(request: HttpRequest, *keys: str | None) -> None:
    """Name content the page being rendered shows (its surrogate keys)."""
    collected = getattr(request, "public_keys", None)
    if collected is None:
        # A mark on the request, read back by the middleware (HttpRequest declares none).
        collected = request.public_keys = set()  # type: ignore[attr-defined]
    collected.update(key for key in keys if key)


def keep_not_found(request: HttpRequest, *keys: str | None) -> None:
    """Let the 404 being answered be kept: the page names a real thing, not yet public.

    A 404 for a made-up URL is never kept (anyone could fill the cache with
    them); one for copy that exists but is not published is, under its keys,
    and goes with its publication.
    """
    add_keys(request, *keys)
    request.public_not_found = True  # type: ignore[attr-defined]  # as add_keys()


def _pks(items: Iterable[object]) -> list[Any]:
    return [getattr(item, "pk", item) for item in items]


def article_keys(articles: Iterable[Article | int] | QuerySet[Article]) -> set[str]:
    """Return the keys of every page that shows one of articles (instances, pks or a queryset).

    Its own page, the lists of its section, tags and people (bylines and
    photo credits), its page and edition, and the lists of the newest copy;
    the section bar too when no other published copy keeps its section on it.
    """
    if isinstance(articles, QuerySet):
        chosen, given = articles, []
    else:
        given = _pks(articles)
        if not given:
            return set()
        chosen = Article.objects.filter(pk__in=given)
    # A queryset's pks come with their rows: one query, not two.
    rows = chosen.order_by().values_list("pk", "section", "page", "page__edition")
    return _keys_of_rows(rows, given)


def _keys_of_rows(
    rows: Iterable[tuple[int, int | None, int | None, int | None]], given: Iterable[int] = ()
) -> set[str]:
    """Return article_keys() of the articles given as (pk, section, page, edition) rows."""
    rows = list(rows)
    pks = list({*given, *(row[0] for row in rows)})
    if not pks:
        return set()
    keys: set[str | None] = {ARTICLES, *map(article_key, pks)}
    sections: set[int | None] = set()
    for _pk, section, page, edition in rows:
        sections.add(section)
        keys.update([section_key(section), page_key(page), edition_key(edition)])
    # Tags, bylines and photo credits in one query: a row is (kind, id).
    tags = TaggedArticle.objects.filter(content_object__in=pks).annotate(
        kind=Value("tag"), key=F("tag")
    )
    people = Byline.objects.filter(article__in=pks).annotate(kind=Value("person"), key=F("person"))
    photographers = ArticlePhoto.objects.filter(article__in=pks).annotate(
        kind=Value("person"), key=F("photo__credits__person")
    )
    named = {"tag": tag_key, "person": person_key}
    for kind, key in (
        tags.values_list("kind", "key")
        .order_by()
        .union(
            people.values_list("kind", "key").order_by(),
            photographers.values_list("kind", "key").order_by(),
        )
    ):
        if key is not None:
            keys.add(named[kind](key))
    keys.discard(None)
    sections.discard(None)
    if sections:
        # One probe per section that stops at its first other published
        # article (not DISTINCT over all of them: a section holds 100,000).
        still_shown = set(
            Section.objects.filter(pk__in=sections)
            .filter(
                Exists(
                    Article.objects.published()
                    .filter(section=OuterRef("pk"))
                    .exclude(pk__in=pks)
                    .order_by()
                )
            )
            .values_list("pk", flat=True)
        )
        if sections - still_shown:
            keys.add(SECTIONS)
    return cast("set[str]", keys)  # None discarded above


def edition_keys(editions: Iterable[Edition | int]) -> set[str]:
    """Return the keys of every page that shows one of editions, its pages or its copy."""
    pks = _pks(editions)
    if not pks:
        return set()
    keys = {EDITIONS, ARTICLES, *map(edition_key, pks)}
    # Each page with its copy in one query (an empty page comes with None).
    rows = []
    for page, edition, article, section in (
        Page.objects.filter(edition__in=pks)
        .order_by()
        .values_list("pk", "edition", "articles__pk", "articles__section")
    ):
        keys.add(page_key(page))
        if article is not None:
            rows.append((article, section, page, edition))
    keys.update(_keys_of_rows(rows))
    return keys


# --- versions ---------------------------------------------------------------------

# Moved with every change, before the keys' own versions: a render that saw
# it stand from start to end raced no change, so the versions it reads after
# rendering are those of the content it rendered.
CHANGES = "newsroom:changes"
VERSION_PREFIX = "newsroom:v:"


def _version_key(key: str) -> str:
    return VERSION_PREFIX + key


def _new_version() -> int:
    return random.getrandbits(62) or 1


def _invalidate(keys: Collection[str], *, retry: bool = True) -> None:
    forget_reads()
    versions = {CHANGES: _new_version()}
    versions.update({_version_key(key): _new_version() for key in keys})
    watch().drop(versions)
    cache.set_many(versions, timeout=None)
    purge_shared_caches(keys, retry=retry)


def content_changed(
    *,
    articles: Iterable[Article] = (),
    editions: Iterable[Edition] = (),
    keys: Iterable[str] = (),
) -> None:
    """Drop the cached pages that show articles, editions or keys, now and on commit.

    The write path calls it after changing what readers see (a publication,
    a withdrawal, a correction, an edit of published copy or of what it
    prints). keys adds pages the current state no longer names, such as the
    section an article was moved out of (article_keys() taken before the change).

    The drop on commit is the one that matters: a reader who rendered a page
    between the first drop and the commit saw the old content. The drop at
    once makes the change seen by anything that reads within the same
    transaction (and by tests, whose transactions never commit).
    """
    changed = set(keys) | article_keys(articles) | edition_keys(editions)
    _invalidate(changed, retry=False)
    transaction.on_commit(lambda: _invalidate(changed))


@after_outage
def _forget_all_after_an_outage() -> None:
    # Drops this process made while the cache was away were lost with it:
    # nothing kept from before may be trusted. (Purges of the shared caches
    # in front do not need Redis, and went out.)
    cache.set_many({CHANGES: _new_version(), _version_key(SITE): _new_version()}, timeout=None)


def public_content_changed() -> None:
    """Drop every cached public page, now and on commit (for changes without keys)."""
    content_changed(keys=[SITE])


def current_versions(keys: Sequence[str]) -> dict[str, int]:
    """Return {key: version} of keys, giving a first version to those without one."""
    names = [_version_key(key) for key in keys]
    found = cache.get_many(names)
    missing = {name: _new_version() for name in names if name not in found}
    if missing:
        cache.set_many(missing, timeout=None)
        found.update(missing)
    return {key: found[name] for key, name in zip(keys, names, strict=True)}


def versions_tag(keys: Iterable[str]) -> str:
    """Return a short text that changes whenever one of keys (or the site) changes."""
    versions = current_versions(sorted({SITE, *keys}))
    return hashlib.sha256(repr(sorted(versions.items())).encode()).hexdigest()[:16]


# --- shared caches in front (Varnish, a CDN) -------------------------------------

PURGE_HEADER_LIMIT = 4000  # characters of keys per purge request (Varnish's header limit is 8k)


def _purge_batches(keys: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    length = 0
    for key in sorted(keys):
        if batch and length + len(key) + 1 > PURGE_HEADER_LIMIT:
            yield batch
            batch, length = [], 0
        batch.append(key)
        length += len(key) + 1
    if batch:
        yield batch


class PurgeFailed(OSError):
    """A shared cache in front did not take a purge (it did not answer, or answered an error)."""


PURGES = "purges"  # what background.report_failing() calls them


def purge_shared_caches(keys: Collection[str], *, retry: bool = True) -> None:
    """Tell every shared cache in front (settings.PURGE_URLS) to drop what carries keys.

    Tried at once, bounded by a short timeout: by the time the editor's
    withdrawal returns, Varnish no longer has the page. What does not reach
    a cache is a job (articles.site.tasks.purge_shared_caches) tried again
    with a growing wait, while /readyz says that purges fail; and while they
    fail, clicks hand their purges to the job at once rather than wait on a
    cache that does not answer. retry=False for the drop made before the
    transaction commits: the one made after it is the one that matters.
    """
    if not settings.PURGE_URLS or not keys:
        return
    keys = sorted({SITE} if SITE in keys else keys)
    failing = PURGES in background.failing()
    if not failing:
        try:
            send_purges(keys)
            return
        except PurgeFailed:
            pass  # logged and reported by send_purges
    if retry:
        from articles.site.tasks import purge_shared_caches as job

        try:
            job.enqueue(keys)
        except Exception:  # the queue is away too: the pages expire by their s-maxage
            logger.exception("purge of %s keys not enqueued", len(keys))


def send_purges(keys: Iterable[str]) -> None:
    """Send PURGE for keys to every shared cache in front; PurgeFailed if one did not take it."""
    import http.client
    import urllib.parse

    failures = []
    for url in settings.PURGE_URLS:
        target = urllib.parse.urlsplit(url)
        for batch in _purge_batches(keys):
            connection = http.client.HTTPConnection(
                target.hostname, target.port or 80, timeout=settings.PURGE_TIMEOUT
            )
            try:
                connection.request(
                    "PURGE", target.path or "/", headers={"xkey-purge": " ".join(batch)}
                )
                status = connection.getresponse().status
                if status >= 400:
                    logger.error("purge at %s answered %s", url, status)
                    failures.append(f"{url} answered {status}")
            except OSError as error:
                logger.error("purge at %s failed: %s", url, error)
                failures.append(f"{url}: {error}")
            finally:
                connection.close()
    if failures:
        background.report_failing(PURGES, "; ".join(failures))
        raise PurgeFailed("; ".join(failures))
    background.report_working(PURGES)


# --- how long things are kept ------------------------------------------------------

PREFIX = "newsroom:page"


def _next_publication_key(changes: object) -> str:
    return f"newsroom:next-publication:{changes}"  # bookkeeping, not a page


def next_scheduled_publication(changes: object, found: Mapping[str, Any] | None = None) -> float:
    """Return the timestamp of the next scheduled publication, or 0 if none is due.

    Looked up once per change (changes is the version of CHANGES) and then
    whenever the time it gave has passed, so most rendered pages cost no query.
    found: what the caller already read from the cache in the same trip.
    """
    key = _next_publication_key(changes)
    now = timezone.now()
    stamp: float | None = found[key] if found is not None and key in found else cache.get(key)
    if stamp is None or 0 < stamp <= now.timestamp():
        # Anything with a future publication time, whatever its state, can
        # only shorten the time pages are kept: no visibility rule needed.
        upcoming = (
            Article.objects.filter(published_at__gt=now)
            .order_by()
            .values_list("published_at", flat=True)
            .union(
                Edition.objects.filter(published_at__gt=now)
                .order_by()
                .values_list("published_at", flat=True)
            )
            .order_by("published_at")[:1]
        )
        first = next(iter(upcoming), None)
        stamp = first.timestamp() if first else 0
        cache.set(key, stamp, settings.PUBLIC_CACHE_TIMEOUT)
    return stamp


def cache_timeout(changes: object, found: Mapping[str, Any] | None = None) -> int:
    """Return how long something rendered now may be kept (seconds)."""
    timeout = settings.PUBLIC_CACHE_TIMEOUT
    stamp = next_scheduled_publication(changes, found)
    if stamp:
        timeout = min(timeout, max(1, math.ceil(stamp - timezone.now().timestamp())))
    return timeout


# --- remembered values --------------------------------------------------------------


def remembered(name: str, params: object, compute: Callable[[], T], *, keys: Iterable[str]) -> T:
    """Return compute(), worked out once while the versions of keys stand.

    Counts and last-change times over all published copy cost a scan of the
    table, yet they change only when what readers see changes, and that is
    exactly when the versions of their keys move. Kept as a fragment: one
    round trip to read (none when preread()).
    """
    digest = hashlib.sha256(repr((name, params)).encode()).hexdigest()[:32]
    ((value, _keys),) = fragments(
        "remembered", {digest: keys}, lambda _missing: {digest: (compute(), ())}
    ).values()
    return cast(T, value)  # what compute() gave, kept as it was


# --- one round trip per page ---------------------------------------------------------

# What this request has read from the cache, by key (ABSENT: asked, not there).
# A view names its page's fragments up front (preread()) and they come in one
# round trip; fragments() then finds them here. Emptied when a request starts
# and ends (nothing outlives its request) and when content changes (a write
# must not be followed by a stale read).
_reads: ContextVar[dict[str, Any] | None] = ContextVar("newsroom_cache_reads", default=None)
ABSENT = object()


def preread(wanted: Mapping[str, Mapping[Hashable, Iterable[str]]]) -> None:
    """Read, in one round trip, the fragments a page will ask for: {name: {ident: keys}}."""
    asked: list[str] = []
    for name, idents in wanted.items():
        asked += _fragment_reads(idents, _fragment_names(name, idents))
    buffer = _reads.get()
    if buffer is None:
        buffer = {}
        _reads.set(buffer)
    asked = [key for key in dict.fromkeys(asked) if key not in buffer]
    found = _get_many(asked)
    buffer.update({key: found.get(key, ABSENT) for key in asked})


def _read(keys: Iterable[str]) -> dict[str, Any]:
    """Return cache.get_many(keys), answering from what this request preread."""
    buffer = _reads.get()
    if not buffer:
        return _get_many(keys)
    found: dict[str, Any] = {}
    rest: list[str] = []
    for key in keys:
        value = buffer.get(key)
        if value is None:
            rest.append(key)
        elif value is not ABSENT:
            found[key] = value
    if rest:
        found.update(_get_many(rest))
    return found


def _buffered(values: Mapping[str, Any]) -> None:
    buffer = _reads.get()
    if buffer is not None:
        buffer.update(values)


@receiver(request_started)
@receiver(request_finished)
def forget_reads(**kwargs: object) -> None:
    _reads.set(None)


# --- fragments ---------------------------------------------------------------------


FRAGMENT_PREFIX = "newsroom:fragment:"


class StoredPart(NamedTuple):
    """A fragment as kept in the cache: the versions it was built at, its value, its expiry."""

    versions: dict[str, int]
    value: object
    expires: float


class StoredPage(NamedTuple):
    """A rendered page as kept in the cache, with the headers the whole stack gave it."""

    versions: dict[str, int]
    expires: float
    status: int
    headers: tuple[tuple[str, str], ...]  # ((name, value), …) as the response had them
    content: bytes


# What is kept: a fragment's or a page's entry.
Entry: TypeAlias = StoredPart | StoredPage


def _fragment_names(name: str, wanted: Iterable[Hashable]) -> dict[Hashable, str]:
    return {ident: f"{FRAGMENT_PREFIX}{ENTRY_FORMAT}:{name}:{ident}" for ident in wanted}


def _fragment_reads(wanted: Mapping[K, Iterable[str]], names: Mapping[K, str]) -> list[str]:
    """Return what fragments() reads first: the entries, CHANGES and their keys' versions."""
    versions = {
        _version_key(key)
        for ident, keys in wanted.items()
        for key in (SITE, *keys, *_known_keys.get(names[ident], ()))
    }
    return [*names.values(), CHANGES, *versions]


# build(idents) returns {ident: (value, the keys of more content it shows)}.
Build: TypeAlias = Callable[[list[Hashable]], Mapping[Hashable, tuple[Any, Iterable[str]]]]


def fragments(
    name: str, wanted: Mapping[Hashable, Iterable[str]], build: Build
) -> dict[Hashable, tuple[Any, set[str]]]:
    """Return {ident: (value, keys)} for wanted {ident: keys}, each built once per version.

    A fragment (an article's story, a teaser, the section bar) is kept while
    the versions of its keys stand, and of those build() adds: build(idents)
    returns {ident: (value, more keys)} for the fragments not kept. All are
    read in one round trip (two the first time this process meets one), so
    a page made of fragments costs what its own queries cost; a view that
    preread() its page's fragments costs one round trip for all of them.
    """
    return fragments_of({name: (wanted, build)})[name]


def fragments_of(
    wanted: Mapping[str, tuple[Mapping[Hashable, Iterable[str]], Build]],
) -> dict[str, dict[Hashable, tuple[Any, set[str]]]]:
    """Return fragments() of several names ({name: (wanted, build)}), read together.

    A page's parts of different kinds cost one pass over what was read, not
    one per kind.
    """
    keys_of: dict[tuple[str, Hashable], Iterable[str]] = {}
    names: dict[tuple[str, Hashable], str] = {}
    for name, (idents, _build) in wanted.items():
        for ident, keys in idents.items():
            keys_of[name, ident] = keys
            names[name, ident] = f"{FRAGMENT_PREFIX}{ENTRY_FORMAT}:{name}:{ident}"
    found = _read(_fragment_reads(keys_of, names))
    extra = {
        _version_key(key)
        for name_ in names.values()
        if (entry := found.get(name_)) is not None
        for key in entry.versions
        if _version_key(key) not in found
    }
    if extra:
        found.update(_read(extra))
    result: dict[str, dict[Hashable, tuple[Any, set[str]]]] = {name: {} for name in wanted}
    missing: dict[str, list[Hashable]] = {}
    now_time = time.time()
    for (name, ident), name_ in names.items():
        entry = found.get(name_)
        if entry is not None and _fresh(entry, found) and entry.expires > now_time:
            _remember(name_, entry.versions)
            result[name][ident] = (entry.value, set(entry.versions))
        else:
            missing.setdefault(name, []).append(ident)
    if not missing:
        return result
    changes = found.get(CHANGES)
    built: dict[tuple[str, Hashable], tuple[Any, Iterable[str]]] = {}
    for name, absent in missing.items():
        made = wanted[name][1](absent)
        built.update({(name, ident): made[ident] for ident in absent})
    keysets = {pair: {SITE, *keys_of[pair], *built[pair][1]} for pair in built}
    now = cache.get_many(
        [
            CHANGES,
            _next_publication_key(changes),
            *{_version_key(k) for keys in keysets.values() for k in keys},
        ]
    )
    kept = now.get(CHANGES) == changes  # else content changed while we built: keep nothing
    if kept:
        new = {
            _version_key(k): _new_version()
            for keys in keysets.values()
            for k in keys
            if _version_key(k) not in now
        }
        if new:
            cache.set_many(new, timeout=None)
            now.update(new)
        timeout = cache_timeout(changes, now)
        entries = {
            names[pair]: StoredPart(
                versions={k: now[_version_key(k)] for k in keysets[pair]},
                value=built[pair][0],
                expires=time.time() + timeout,
            )
            for pair in built
        }
        cache.set_many(entries, timeout=timeout)
        _buffered({**new, **entries})
        for name_, entry in entries.items():
            _remember(name_, entry.versions)
    for (name, ident), (value, _more) in built.items():
        result[name][ident] = (value, keysets[name, ident])
    return result


# --- the page cache ------------------------------------------------------------------

# Only complete answers are kept: a 404 is cheap and would let anyone fill
# the cache with made-up URLs.
CACHEABLE_STATUS = {200, 410}
# Per process: which keys each cached page had, to ask for the page and its
# keys' versions in one round trip. Bounded; forgetting costs a second trip.
_known_keys: dict[str, tuple[str, ...]] = {}
KNOWN_KEYS_LIMIT = 20_000


@dataclass(frozen=True)
class PublicPage:
    """How a view's answers are cached: the query parameters it reads, and what else varies."""

    params: tuple[str, ...] = ()
    strict: bool = False  # refuse (do not cache) other parameters instead of dropping them
    vary: Callable[[Mapping[str, Any]], str] | None = None  # for a header the answer depends on

    def clean_query(self, query: str) -> tuple[str, str] | None:
        """Return (the query for the key, the query the view gets), or None to bypass the cache.

        The key's query is in a fixed order; the view's is the request's own,
        less the parameters it does not read. (Read from the raw query string:
        building request.GET would cost a hit more than the rest of its work.)
        """
        if not query:
            return "", ""
        pairs = [pair for pair in query.split("&") if pair]
        kept = [pair for pair in pairs if unquote_plus(pair.split("=", 1)[0]) in self.params]
        if len(kept) == len(pairs):
            return "&".join(sorted(kept)), query
        if self.strict:
            return None
        return "&".join(sorted(kept)), "&".join(kept)


def public_page(view: V | None = None, **options: Any) -> Any:
    """Mark view as a public page, served through PublicPageMiddleware."""

    def mark(view: V) -> V:
        view.public_page = PublicPage(**options)  # type: ignore[attr-defined]  # a mark on the view function
        return view

    return mark(view) if view is not None else mark


@lru_cache(maxsize=4096)
def _page_for(path: str) -> PublicPage | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return getattr(match.func, "public_page", None)


# Bump when the stored entry changes shape: a release must not read the last one's.
ENTRY_FORMAT = 6


def _entry_key(language: str, scheme: str, host: str, path: str, query: str, extra: str) -> str:
    where = "|".join([language, scheme, host, path, query, extra])
    return f"{PREFIX}:{ENTRY_FORMAT}:{hashlib.sha256(where.encode()).hexdigest()}"


def _fresh(entry: Entry, found: Mapping[str, Any]) -> bool:
    versions = entry.versions
    return all(found.get(_version_key(key)) == version for key, version in versions.items())


def _remember(key: str, versions: Iterable[str]) -> None:
    if len(_known_keys) >= KNOWN_KEYS_LIMIT:
        _known_keys.clear()
    _known_keys[key] = tuple(versions)


def _lookup(key: str) -> tuple[StoredPage | None, dict[str, Any]]:
    """Return (the fresh entry under key or None, what was read), in one round trip mostly.

    None when this process kept the entry and its keys' versions stand.
    """
    entry = _kept_here(key)
    if isinstance(entry, StoredPage):
        return entry, {}
    token = watch().begin()
    known = _known_keys.get(key, (SITE,))
    # CHANGES too: a miss renders, and must know it from before rendering.
    found = cache.get_many([key, CHANGES, *map(_version_key, known)])
    entry = found.get(key)
    if entry is None:
        return None, found
    extra = [_version_key(k) for k in entry.versions if k not in known]
    if extra:  # the first hit of this page in this process, or its keys changed
        found.update(cache.get_many(extra))
        _remember(key, entry.versions)
    if _fresh(entry, found) and entry.expires > time.time():
        _keep_here(token, key, entry, found)
        return entry, found
    return None, found


# --- pages kept in each process -----------------------------------------------------

# A page read from Redis is kept in the process that read it too, with the
# versions of its keys under Redis's watch (newsroom.caches.Watch): while
# they stand, its next hit here costs no round trip at all. A change moves
# a version, and Redis tells every watching process before the change
# returns to whoever made it. First in, first out, bounded in bytes.
_here: dict[str, tuple[StoredPart | StoredPage, int]] = {}
_here_bytes = 0
_watch: Watch | _Unwatched | None = None


class _Unwatched:
    """Where the cache is not Redis (tests, `make run`): nothing is kept in the process."""

    values: dict[str, Any] = {}  # never filled: nothing is current

    def begin(self) -> int | None:
        return None

    def current(self) -> bool:
        return False

    def keep(self, token: int | None, values: dict[str, Any]) -> bool:
        return False

    def drop(self, keys: Iterable[str]) -> None:
        pass

    def stop(self) -> None:
        pass


def watch() -> Watch | _Unwatched:
    """Return this process's watch over the versions in Redis."""
    global _watch
    if _watch is None:
        from newsroom.caches import ResilientRedisCache, Watch

        backend = caches["default"]
        if isinstance(backend, ResilientRedisCache) and settings.PUBLIC_LOCAL_CACHE_BYTES:
            _watch = Watch(backend, [VERSION_PREFIX, CHANGES])
        else:
            _watch = _Unwatched()
    return _watch


def _standing(entry: Entry) -> bool:
    """Whether a kept entry (a page's or a fragment's) is current: its versions stand, unexpired.

    Call after watch().current() has taken in Redis's messages.
    """
    versions = watch().values
    return entry.expires > time.time() and all(
        versions.get(_version_key(k)) == version for k, version in entry.versions.items()
    )


def _kept_here(key: str) -> Entry | None:
    kept = _here.get(key)
    if kept is None or not watch().current() or not _standing(kept[0]):
        return None
    return kept[0]


def _size(entry: Entry) -> int:
    """Roughly what an entry takes in memory, in bytes (a page's body, a fragment's text)."""
    if isinstance(entry, StoredPage):
        return len(entry.content)
    value = entry.value
    if isinstance(value, str):
        return len(value) * 2 + 100
    if isinstance(value, dict):
        return sum(len(v) * 2 for v in value.values() if isinstance(v, str)) + 200
    return 200


def _keep_here(token: int | None, key: str, entry: Entry, found: Mapping[str, Any]) -> None:
    """Keep entry here, read since watch().begin() gave token, with the versions found with it."""
    global _here_bytes
    size, limit = _size(entry), settings.PUBLIC_LOCAL_CACHE_BYTES
    if size > limit // 8 or not watch().keep(
        token, {name: found[name] for name in map(_version_key, entry.versions)}
    ):
        return
    old = _here.pop(key, None)
    if old is not None:
        _here_bytes -= old[1]
    while _here and _here_bytes + size > limit:
        _here_bytes -= _here.pop(next(iter(_here)))[1]
    _here[key] = (entry, size)
    _here_bytes += size


def _watched(key: str) -> bool:
    return key == CHANGES or key.startswith(VERSION_PREFIX)


def _get_many(keys: Iterable[str]) -> dict[str, Any]:
    """Return cache.get_many(keys), answering from this process what the watch vouches for.

    Versions, CHANGES and fragments whose versions stand cost no round trip;
    what is read from Redis is kept for the next time.
    """
    w = watch()
    # Taken first: a message taken in from here on (by the reads below, by
    # keep()) means what was answered from here may be old, and keeps nothing.
    token = w.begin()
    if token is None:
        return cache.get_many(keys)
    found: dict[str, Any] = {}
    rest: list[str] = []
    for key in keys:
        if key in w.values:
            if (value := w.values[key]) is not ABSENT:
                found[key] = value
        elif (kept := _here.get(key)) is not None and _standing(kept[0]):
            found[key] = kept[0]
        else:
            rest.append(key)
    if not rest:
        return found
    read = cache.get_many(rest)
    found.update(read)
    # A key Redis does not have is watched too: its creation is a change.
    watched = {key: read.get(key, ABSENT) for key in rest if _watched(key)}
    if w.keep(token, watched):
        for key, value in read.items():
            if key.startswith(FRAGMENT_PREFIX) and _fresh(value, found) and value[2] > time.time():
                _keep_here(token, key, value, found)
    return found


def _key_for(
    page: PublicPage, meta: Mapping[str, Any], language: str, host: str, path: str, query: str
) -> str:
    extra = page.vary(meta) if page.vary else ""
    return _entry_key(language, meta.get("wsgi.url_scheme", "http"), host, path, query, extra)


def _fresh_cache_control(headers: Iterable[tuple[str, str]], expires: float) -> str:
    """Return Cache-Control for what is left of expires (the stored value's browser part kept)."""
    stored = next((value for name, value in headers if name.lower() == "cache-control"), "")
    seconds = max(1, math.ceil(expires - time.time()))
    browsers = 0
    if stored.startswith("public, max-age="):
        browsers = int(stored.split("=", 1)[1].split(",", 1)[0])
    return f"public, max-age={min(browsers, seconds)}, s-maxage={seconds}"


class PublicPageMiddleware:
    """Answer public pages from the cache, before the rest of the stack; store what renders.

    Sits first: everything after it (security headers and the HTTPS
    redirect, static files, CSP, sessions, locale, CSRF, authentication,
    messages, frame options) runs only when the page is rendered, and the
    headers it adds are stored with the page, so a hit answers alike. Only
    complete answers are stored, so a plain-http request, which the security
    middleware redirects, is never answered from here. (In production,
    serve_hits() answers most hits before even this.)
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        if not settings.PUBLIC_PAGE_CACHE:
            raise MiddlewareNotUsed("PUBLIC_PAGE_CACHE is off: every page is rendered")
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        page = _page_for(request.path_info)
        if page is None:
            return self.get_response(request)
        cleaned = page.clean_query(request.META.get("QUERY_STRING", ""))
        if cleaned is None:
            return self.get_response(request)
        query, view_query = cleaned
        if view_query != request.META.get("QUERY_STRING", ""):
            # The view sees the request as if the dropped parameters were never sent.
            request.META["QUERY_STRING"] = view_query
            request.GET = QueryDict(view_query)
        language = translation.get_language_from_request(request)
        key = _key_for(page, request.META, language, request.get_host(), request.path, query)
        entry, found = _lookup(key)
        if entry is not None:
            request.META["newsroom.cache"] = "hit"
            return self._answer(request, entry)
        request.META["newsroom.cache"] = "miss"
        changes = found.get(CHANGES)
        response = self.get_response(request)
        self._store(request, key, response, changes)
        return response

    def _answer(self, request: HttpRequest, entry: StoredPage) -> HttpResponseBase:
        # The headers as the full stack gave them, checked then: set as they are.
        response = HttpResponse(entry.content, status=entry.status, headers=dict(entry.headers))
        response["Cache-Control"] = _fresh_cache_control(entry.headers, entry.expires)
        etag, modified = response.get("ETag"), response.get("Last-Modified")
        if etag or modified:
            conditional = get_conditional_response(
                request,
                etag=etag,
                last_modified=parse_http_date_safe(modified) if modified else None,
                response=response,
            )
            if conditional is not None and conditional is not response:
                return conditional
        return response

    def _store(
        self, request: HttpRequest, key: str, response: HttpResponseBase, changes_before: object
    ) -> None:
        keys = getattr(request, "public_keys", None)
        if (
            keys is None
            or (
                response.status_code not in CACHEABLE_STATUS
                and not (
                    response.status_code == 404 and getattr(request, "public_not_found", False)
                )
            )
            or not isinstance(response, HttpResponse)  # streaming: not kept
            or response.cookies
            or "private" in response.get("Cache-Control", "")
            or "no-store" in response.get("Cache-Control", "")
        ):
            return
        keys = sorted({SITE, *keys})
        response["Surrogate-Key"] = " ".join(keys)
        versions = cache.get_many(
            [CHANGES, _next_publication_key(changes_before), *map(_version_key, keys)]
        )
        if versions.get(CHANGES) != changes_before:
            # Content changed while this page rendered: it may show the old
            # copy, so neither we nor a shared cache in front may keep it.
            response["Cache-Control"] = "no-store"
            return
        missing = {_version_key(k): _new_version() for k in keys if _version_key(k) not in versions}
        if missing:
            cache.set_many(missing, timeout=None)
            versions.update(missing)
        timeout = cache_timeout(changes_before, versions)
        response["Cache-Control"] = _cache_control(response, timeout)
        if len(response.content) > settings.PUBLIC_CACHE_MAX_BYTES:
            return
        entry = StoredPage(
            versions={k: versions[_version_key(k)] for k in keys},
            expires=time.time() + timeout,
            status=response.status_code,
            headers=tuple(response.items()),
            content=response.content,
        )
        cache.set(key, entry, timeout)
        _remember(key, entry.versions)


class _Request:
    """What Django's language negotiation reads of a request, from the WSGI environ."""

    __slots__ = ("META", "COOKIES")

    def __init__(self, environ: dict[str, Any]) -> None:
        self.META = environ
        cookies = environ.get("HTTP_COOKIE", "")
        # Parsing every reader's cookies would cost more than the hit: only
        # the language cookie matters here.
        self.COOKIES = parse_cookie(cookies) if settings.LANGUAGE_COOKIE_NAME in cookies else {}


def serve_hits(application: WSGIApplication) -> WSGIApplication:
    """Wrap the WSGI application: answer fresh cached pages before Django builds a request.

    The same entries, keys and freshness as PublicPageMiddleware, which
    stored them with the headers the whole stack gave them; what this
    cannot answer (a miss, a conditional request, anything but a GET or
    HEAD of a public page) goes to Django as before.
    """
    if not settings.PUBLIC_PAGE_CACHE:
        return application

    def serve(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if (
            environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and "HTTP_HOST" in environ
            and "HTTP_IF_NONE_MATCH" not in environ
            and "HTTP_IF_MODIFIED_SINCE" not in environ
        ):
            path_info = get_path_info(environ)
            page = _page_for(path_info)
            cleaned = page.clean_query(environ.get("QUERY_STRING", "")) if page else None
            if page is not None and cleaned is not None:
                script_name = get_script_name(environ)
                path = "{}/{}".format(script_name.rstrip("/"), path_info.replace("/", "", 1))
                # It reads only META and COOKIES, which _Request has.
                request = cast(HttpRequest, _Request(environ))
                language = translation.get_language_from_request(request)
                key = _key_for(page, environ, language, environ["HTTP_HOST"], path, cleaned[0])
                entry, _found = _lookup(key)
                if entry is not None:
                    environ["newsroom.cache"] = "hit"
                    fresh = _fresh_cache_control(entry.headers, entry.expires)
                    start_response(
                        f"{entry.status} {responses.get(entry.status, 'Unknown Status Code')}",
                        [
                            (name, fresh if name.lower() == "cache-control" else value)
                            for name, value in entry.headers
                        ],
                    )
                    return [entry.content]
        return application(environ, start_response)

    return serve


def _cache_control(response: HttpResponseBase, seconds: int) -> str:
    """Browsers ask again each time (or within the API's own max-age); shared caches keep it."""
    browsers = 0
    current = response.get("Cache-Control", "")
    if current.startswith("public, max-age="):
        browsers = int(current.split("=", 1)[1].split(",", 1)[0])
    return f"public, max-age={min(browsers, seconds)}, s-maxage={seconds}"


@receiver(setting_changed)
def _forget_routes(*, setting: str, **kwargs: object) -> None:
    if setting in {"ROOT_URLCONF", "CACHES"}:
        reset_process_state()


def reset_process_state() -> None:
    """Forget what this process learnt about pages (tests, and after a cache flush)."""
    global _watch, _here_bytes
    _known_keys.clear()
    _page_for.cache_clear()
    if _watch is not None:
        _watch.stop()
    _watch = None
    _here.clear()
    _here_bytes = 0
