"""Search queries: what a reader typed, as terms over the token documents."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import cast

from django.contrib.postgres.search import SearchQuery
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Expression, OrderBy, RawSQL
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from articles.models import Article
from articles.search.index import TITLE_COLUMNS
from articles.search.tokens import bigrams, is_han, jieba, trigrams, units

_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」')
MAX_QUERY_CHARS = 100
MAX_TERMS = 12
HEADLINE_BOOST = 1.0
LEAD_BOOST = 0.5
LEAD_CHARS = 200
RECENCY_BOOST = 0.3
RECENCY_DAYS = 30
# Relevance is worked out for the newest matches only: a common word matches
# a tenth of the paper, and each is a row and a body to read. The rest
# follow, newest first; every match is still found.
CANDIDATES = 200
# Where the newest matches are looked for first: a common word has its 200
# newest matches in the last month, and finding them there reads a month's
# rows instead of every match's (the GIN index and the date index together).
# A word with fewer there is looked for next in a window sized from what the
# month held, then in all time.
FIRST_WINDOW_DAYS = 30
WIDEST_WINDOW_DAYS = 365
# Past this many results the page says "more than" instead of counting them all.
COUNT_LIMIT = 1000
# Newest first, as no index of published_at is ordered (every published
# article has one, so nothing moves): with an index to walk, PostgreSQL
# checks the matches row by row along it, reading each row's 7 KiB token
# vector, instead of taking them all from the GIN index at once (38 ms
# against 3 ms for a common word at 6,000 articles).
NEWEST = (F("published_at").desc(nulls_last=True), F("pk").desc())


@dataclass
class Term:
    """One thing the query needs: any of its token phrases must occur."""

    phrases: list[list[str]]  # each a phrase of tokens
    pattern: str  # what to highlight, as a regular expression
    word: str = ""  # a Han word typed as a word (not quoted): its trigrams find it


@dataclass
class Query:
    text: str
    terms: list[Term] = field(default_factory=list)
    problem: str = ""  # why there is nothing to search for, if so

    def __bool__(self) -> bool:
        return bool(self.terms)

    @cached_property  # asked twice for each result shown; the terms are set by parse()
    def highlight(self) -> re.Pattern[str] | None:
        if not self.terms:
            return None
        patterns = sorted({t.pattern for t in self.terms}, key=len, reverse=True)
        return re.compile("|".join(patterns), re.IGNORECASE)


def _word_term(word: str) -> Term:
    phrases = [bigrams(word)]
    if len(word) >= 3:
        phrases.insert(0, [word])  # jieba's own word, when the text has it
    return Term(phrases, re.escape(word), word)


def _exact_term(text: str) -> Term | None:
    """A term that must occur as written (quoted, or mixing digits, Latin and Han)."""
    found = units(text)
    # A single Han character at either end cannot be matched exactly by
    # bigrams (3-11岁 and 3-11岁儿童 differ there); the rest still must.
    while found and is_han(found[0]) and len(found[0]) == 1 and len(found) > 1:
        found.pop(0)
    while found and is_han(found[-1]) and len(found[-1]) == 1 and len(found) > 1:
        found.pop()
    phrase = [
        token for unit in found for token in (bigrams(unit) if is_han(unit) else [unit.lower()])
    ]
    if not phrase or (len(phrase) == 1 and is_han(phrase[0]) and len(phrase[0]) < 2):
        return None
    pattern = r"[^\w]{0,3}".join(re.escape(u) for u in found)
    return Term([phrase], pattern)


def _query_words(run: str) -> list[str]:
    """Cut a Han run into words of two or more characters.

    jieba leaves some characters on their own. Two or more of them in a row
    are kept together (a name it does not know: 司 勇 → 司勇); a lone one
    belongs to the word after it, or before it at the end (全 覆盖 → 全覆盖),
    so that what was typed is not loosened into a broader word.
    """
    if len(run) <= 2:
        return [run] if len(run) == 2 else []
    result: list[str] = []
    loose = ""
    for word in jieba().cut(run):
        if len(word) == 1:
            loose += word
            continue
        if len(loose) >= 2:
            result.append(loose)
        else:
            word = loose + word
        loose = ""
        result.append(word)
    if len(loose) >= 2:
        result.append(loose)
    elif loose and result:
        result[-1] += loose
    return result


def parse(text: str | None) -> Query:
    """Turn what a reader typed into search terms, or say why there are none."""
    text = (text or "").strip()
    query = Query(text)
    if not text:
        query.problem = _("Type a word to search for.")
        return query
    if len(text) > MAX_QUERY_CHARS:
        query.problem = _("That is too long to search for. Try a few words.")
        return query
    terms: list[Term] = []
    for groups in _QUOTED.findall(text):
        if term := _exact_term("".join(groups)):
            terms.append(term)
    rest = _QUOTED.sub(" ", text)
    for chunk in rest.split():
        found = units(chunk)
        if not found:
            continue
        if len(found) == 1 and is_han(found[0]):
            for word in _query_words(found[0]):
                terms.append(_word_term(word))
        elif all(not is_han(u) for u in found) and len(found) == 1:
            terms.append(Term([[found[0].lower()]], re.escape(found[0])))
        elif term := _exact_term(chunk):
            terms.append(term)
    unique: dict[str, Term] = {}
    for term in terms:
        unique.setdefault(repr(term.phrases), term)
    query.terms = list(unique.values())[:MAX_TERMS]
    if not query.terms:
        query.problem = _("Search for words of two or more characters.")
    return query


def _lexeme(token: str, weight: str = "") -> str:
    quoted = token.replace("\\", "\\\\").replace("'", "''")
    return f"'{quoted}'{':' + weight if weight else ''}"


def tsquery(query: Query, weight: str = "", *, terms: list[Term] | None = None) -> str:
    """Return the raw tsquery of query (or of terms); every lexeme is one of our own tokens."""
    parts = []
    for term in query.terms if terms is None else terms:
        alternatives = [" <-> ".join(_lexeme(t, weight) for t in phrase) for phrase in term.phrases]
        parts.append("(" + " | ".join(f"({a})" for a in alternatives) + ")")
    return " & ".join(parts)


def _by_grams(term: Term) -> bool:
    return len(term.word) >= 3


def _grams_tsquery(terms: list[Term]) -> str:
    """Return the tsquery of the trigrams of terms' words, all of which must occur."""
    return " & ".join(_lexeme(gram) for term in terms for gram in trigrams(term.word))


def _raw(text: str) -> SearchQuery:
    return SearchQuery(text, search_type="raw", config="simple")


def _whole(queryset: QuerySet[Article], query: Query) -> QuerySet[Article]:
    """Keep of queryset the articles that print each long word whole (see _needs_checking)."""
    if _needs_checking(query):
        return queryset.filter(search_document__vector=_raw(tsquery(query)))
    return queryset


def _needs_checking(query: Query) -> bool:
    """Whether a match through the trigrams may still lack a word (its trigrams apart).

    A word of three characters is its trigram; one of four or more is all of
    its trigrams, which an article may hold apart. What is shown is checked.
    """
    return connection.vendor == "postgresql" and any(len(t.word) >= 4 for t in query.terms)


def _like(column: str, phrase: list[str]) -> Q:
    return Q(**{f"{column}__contains": f" {' '.join(phrase)} "})


def _term_q(column: str, term: Term) -> Q:
    q = Q()
    for phrase in term.phrases:
        q |= _like(column, phrase)
    return q


def _among(pks: list[int]) -> RawSQL:
    """Return the condition that an article is one of pks (PostgreSQL), as one array.

    What pk__in says, as PostgreSQL reads it (an IN list is an = ANY of an
    array to its planner), without preparing and compiling each of up to
    CANDIDATES values a request.
    """
    column = f'"{Article._meta.db_table}"."{Article._meta.pk.column}"'
    return RawSQL(f"{column} = ANY(%s)", (pks,), BooleanField())


def _relevance(query: Query) -> RawSQL:
    """Return the rank of a match (PostgreSQL): where it names the words, and how new it is.

    A match whose headline stack (引题, headline, 副题) holds every word ranks
    first, then one whose lead (the body's first LEAD_CHARS characters: the
    news, in a story written as an inverted pyramid) holds them, each newest
    first as the recency boost fades over RECENCY_DAYS. Read from the
    article's row and a prefix of its body: a candidate's token vector (7 KiB
    in TOAST, every occurrence of every bigram) is never read to rank it.
    The words are matched as they are highlighted (Term.pattern). One piece
    of SQL: as a tree of expressions, resolved and compiled anew each
    request, it cost as much Python as the rest of the query.
    """
    table = Article._meta.db_table
    patterns = [term.pattern for term in query.terms]

    def holding_every_word(text: str) -> str:
        condition = " AND ".join([f"{text} ~* %s"] * len(patterns))
        return f"(CASE WHEN {condition} THEN 1.0 ELSE 0.0 END)"

    title = " || ' ' || ".join(f'"{table}"."{column}"' for column in TITLE_COLUMNS)
    lead = f'left("{table}"."body", {LEAD_CHARS})'
    published = f'COALESCE("{table}"."published_at", "{table}"."updated_at")'
    age = f"(EXTRACT(EPOCH FROM (NOW() - {published})))"
    sql = (
        f"((({HEADLINE_BOOST!r} * {holding_every_word(f'({title})')})"
        f" + ({LEAD_BOOST!r} * {holding_every_word(lead)}))"
        f" + ({RECENCY_BOOST!r} / (1.0 + ({age} / {RECENCY_DAYS * 86400.0!r}))))"
    )
    return RawSQL(sql, [*patterns, *patterns], output_field=FloatField())


def _rank(matches: QuerySet[Article], query: Query, order: tuple[OrderBy, ...] = NEWEST) -> Case:
    """Return the rank of each of matches: its newest CANDIDATES (by order) ranked, the rest 0.

    Ranks are positive: the matches past the candidates come after them.
    """
    newest = matches.order_by(*order).values("pk")[:CANDIDATES]
    return Case(
        When(pk__in=Subquery(newest), then=_relevance(query)),
        default=Value(0.0),
        output_field=FloatField(),
    )


def matching(
    queryset: QuerySet[Article], query: Query | str, *, exact: bool = False
) -> QuerySet[Article]:
    """Filter queryset by query, without ranking: what counting or listing newest first needs.

    exact: also check that each long word's trigrams are together (what is
    shown); without it a count may include an article holding them apart.
    """
    if not isinstance(query, Query):
        query = parse(query)
    if not query:
        return queryset.none()
    if connection.vendor == "postgresql":
        # Words of three or more characters by their trigrams (the GIN index
        # answers alone); the rest by their tokens (bigram phrases are
        # confirmed from each candidate's positions).
        by_grams = [term for term in query.terms if _by_grams(term)]
        by_tokens = [term for term in query.terms if not _by_grams(term)]
        if by_tokens:
            queryset = queryset.filter(
                search_document__vector=_raw(tsquery(query, terms=by_tokens))
            )
        if by_grams:
            queryset = queryset.filter(search_document__grams=_raw(_grams_tsquery(by_grams)))
        return _whole(queryset, query) if exact else queryset
    condition = Q()
    for term in query.terms:
        condition &= _term_q("search_document__text", term)
    return queryset.filter(condition)


def search(
    queryset: QuerySet[Article], query: Query | str, *, by_rank: bool = True
) -> QuerySet[Article]:
    """Filter queryset by query; each result carries a `rank`, best first if by_rank."""
    if not isinstance(query, Query):
        query = parse(query)
    if not query:
        return queryset.none().annotate(rank=Value(0.0, output_field=FloatField()))
    results = matching(queryset, query, exact=True)
    if connection.vendor == "postgresql":
        results = results.annotate(rank=_rank(results, query))
        return results.order_by("-rank", *NEWEST) if by_rank else results
    score: Expression = Value(0)
    for term in query.terms:
        score = score + Case(
            When(_term_q("search_document__title", term), then=Value(3)),
            default=Value(1),
            output_field=IntegerField(),
        )
    results = results.annotate(rank=score)
    if by_rank:
        return results.order_by("-rank", *NEWEST)
    return results


def snippet(text: str, query: Query | None, width: int = 90) -> SafeString:
    """Return an escaped extract of text around the first match, matches in <mark>."""
    pattern = query.highlight if query else None
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - width // 3) if match else 0
    extract = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return SafeString(prefix + highlight(extract, query) + suffix)


def highlight(text: str, query: Query | None) -> SafeString:
    """Return text escaped, with what query matches wrapped in <mark>."""
    pattern = query.highlight if query else None
    if not pattern:
        return escape(text)
    # The standard library's escape, as Django's is, without its lazy-string
    # wrapper and a SafeString for each part (two parts a match, 40 calls a
    # page); mark_safe() has the same wrapper, and text is a str.
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        parts.append(html.escape(text[last : match.start()]))
        parts.append(f"<mark>{html.escape(match.group())}</mark>")
        last = match.end()
    parts.append(html.escape(text[last:]))
    return SafeString("".join(parts))


@contextmanager
def _through_the_index() -> Iterator[None]:
    """Have PostgreSQL find the matches of the queries run within through the GIN index.

    Its planner counts checking a row against a tsquery as nearly free, and
    so walks the table or a date index checking row after row until a
    LIMIT is reached, when every check reads that row's 7 KiB token vector
    from TOAST (77 ms to count a common word to 1,000 at 200,000 articles;
    12 ms from the GIN index). Scoped to the search's own queries.
    """
    if connection.vendor != "postgresql" or _inside.get():
        yield
        return
    token = _inside.set(True)
    # Within another's transaction the settings are set back at once; in a
    # transaction of their own, its end sets them back (a round trip fewer).
    nested = connection.in_atomic_block
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
            yield
            if nested:
                cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
    finally:
        _inside.reset(token)


_inside = ContextVar("search_through_the_index", default=False)


@contextmanager
def _joined_along_indexes() -> Iterator[None]:
    """Let a query within _through_the_index() join the matches to their rows along an index.

    For the query that reads every match, in an order no index gives: it
    cannot stop early, so no index is walked in that order, and the rows
    come from the published copy's own index (or the primary key) instead of
    a read of every published row (a common word read in all time: 3.3 → 1.7
    ms at 6,000 articles, 62–74 → 32–38 ms at 100,000). Never for an order
    an index gives (the admin's newest by id): PostgreSQL would walk it
    checking each row's token vector (33 s for a common word at 100,000).
    """
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = on")
        try:
            yield
        finally:
            cursor.execute("SET LOCAL enable_indexscan = off")


def count(results: QuerySet[Article]) -> int:
    """Return how many results there are, counting no further than COUNT_LIMIT + 1."""
    with _through_the_index():
        return results.order_by().values("pk")[: COUNT_LIMIT + 1].count()


def window_floor(days: int) -> int | None:
    """Return an id no article published in the last days is below (None: none was).

    The least id published since local midnight days ago, kept while
    published copy stands (cache.ARTICLES) and for the day: a lower bound of
    the window's ids all day long, as the window only moves forward, and
    worked out again when anything is published or scheduled.
    """
    from articles.cache import ARTICLES, remembered

    today = timezone.localdate()
    since = timezone.make_aware(datetime.combine(today - timedelta(days=days), time.min))

    def least() -> int | None:
        found = Article.objects.filter(published_at__gte=since).aggregate(least=Min("pk"))
        return cast(int | None, found["least"])

    return remembered("search-window-floor", (days, today), least, keys=[ARTICLES])


def wider_window(window: int, found: int, *, widest: int) -> int | None:
    """Return the window to look in after window held found matches (None: all time).

    Sized to hold the newest CANDIDATES with room to spare, if the matches
    are as dense further back; all time when that is wider than widest.
    """
    if found < max(1, CANDIDATES // 20):
        return None  # a rare word: all its matches are few enough to read
    window = math.ceil(window * 1.5 * CANDIDATES / found)
    return window if window <= widest else None


class Ranked:
    """What a reader's search shows, as a sequence the paginator slices.

    The newest CANDIDATES matches by relevance (or, by_rank=False, newest
    first), then the other matches newest first: a page among the first
    reads and ranks the candidates only, a page past them the matches it
    shows (PostgreSQL; elsewhere search()'s order). load(queryset) adds what
    the page prints (credits, photos).

    What "newest" means and where the newest matches are looked for first
    are its order, first_window(), within() and wider(): a reader's search
    reads published copy by date, month by month; the admin's, every state
    of copy by id (articles/copy/admin/articles.py, CopySearch).
    """

    order: tuple[OrderBy, ...] = NEWEST
    # Whether all time's matches may be joined to their rows along an index:
    # only when no index gives the order (see _joined_along_indexes).
    all_time_along_indexes = True

    def __init__(
        self,
        queryset: QuerySet[Article],
        query: Query | str,
        *,
        load: Callable[[QuerySet[Article]], QuerySet[Article]] = lambda queryset: queryset,
        by_rank: bool = True,
    ) -> None:
        self.query, self.load = query if isinstance(query, Query) else parse(query), load
        self.by_rank = by_rank
        self.queryset = queryset
        self.matches = matching(queryset, self.query)
        self.split = connection.vendor == "postgresql" and bool(self.query)
        self._newest: list[int] | None = None
        self._all_time: int | None = None  # how many match, when newest() looked in all time

    @cached_property
    def results(self) -> QuerySet[Article]:
        if not self.by_rank:
            return matching(self.queryset, self.query, exact=True).order_by(*self.order)
        return search(self.queryset, self.query)

    def ordering(self) -> list[OrderBy]:
        """Return the sequence's order as one ORDER BY over every match (PostgreSQL).

        For a queryset of the matches that is read whole only when they are
        few (what fits one page): sorting by it reads every match, which
        slicing the sequence does not.
        """
        if not self.by_rank:
            return list(self.order)
        return [_rank(self.matches, self.query, self.order).desc(), *self.order]

    def first_window(self) -> int | None:
        """Return the window the newest matches are looked for in first (None: all time)."""
        return FIRST_WINDOW_DAYS

    def within(self, matches: QuerySet[Article], window: int) -> QuerySet[Article]:
        """Keep of matches those published in the last window days."""
        matches = matches.filter(published_at__gte=timezone.now() - timedelta(days=window))
        if (floor := window_floor(window)) is not None:
            # Answered by the GIN index with the word (migration 0031).
            matches = matches.filter(search_document__article_id__gte=floor)
        return matches

    def wider(self, window: int, found: int) -> int | None:
        """Return the window to look in after window held found matches (None: all time)."""
        return wider_window(window, found, widest=WIDEST_WINDOW_DAYS)

    def count(self) -> int:
        with _through_the_index():  # one transaction for both
            if self.split:
                newest = self.newest()
                if self._all_time is not None and not _needs_checking(self.query):
                    # Counted as the newest were found: every match was sorted for them.
                    return min(self._all_time, COUNT_LIMIT + 1)
                if len(newest) < CANDIDATES:
                    # Every match, found in all time (counted no further than elsewhere).
                    found = len(newest)
                    if _needs_checking(self.query):
                        found = self.shown().filter(_among(newest)).count()
                    return min(found, COUNT_LIMIT + 1)
            return count(self.matches)

    def shown(self) -> QuerySet[Article]:
        """The queryset of what may be shown: a long word's trigrams checked to be together."""
        return _whole(self.queryset, self.query)

    def newest(self) -> list[int]:
        """Return the pks of the CANDIDATES newest matches, looked for in the recent past first."""
        if self._newest is not None:
            return self._newest
        window = self.first_window()  # before the plan settings: it may ask an index
        with _through_the_index():
            while True:
                matches = self.matches
                if window is not None:
                    matches = self.within(matches, window)
                    pks = list(
                        matches.order_by(*self.order).values_list("pk", flat=True)[:CANDIDATES]
                    )
                    if len(pks) >= CANDIDATES:
                        break
                else:
                    # Every match is read and sorted for the newest: counted in the same pass.
                    joined = (
                        _joined_along_indexes() if self.all_time_along_indexes else nullcontext()
                    )
                    with joined:
                        rows = list(
                            matches.annotate(total=Window(Count("pk")))
                            .order_by(*self.order)
                            .values_list("pk", "total")[:CANDIDATES]
                        )
                    pks = [pk for pk, _ in rows]
                    self._all_time = rows[0][1] if rows else 0
                    break
                window = self.wider(window, len(pks))
        self._newest = pks
        return pks

    def __getitem__(self, window: slice) -> list[Article]:
        if not isinstance(window, slice):
            raise TypeError("search results are read a page at a time")
        start, stop = window.start or 0, window.stop
        if not self.split:
            return list(self.load(self.results)[start:stop])
        newest = self.newest()
        found: list[Article] = []
        if start < CANDIDATES:
            # They match: matching them again would read each token vector once
            # more, unless a long word's trigrams must be checked to be together.
            candidates = self.shown().filter(_among(newest))
            if self.by_rank:
                candidates = candidates.annotate(rank=_relevance(self.query))
                candidates = candidates.order_by("-rank", *self.order)
            else:
                candidates = candidates.order_by(*self.order)
            found += self.load(candidates)[start : min(stop, CANDIDATES)]
        if stop > CANDIDATES:
            rest = _whole(self.matches, self.query).exclude(pk__in=newest).order_by(*self.order)
            found += self.load(rest)[max(0, start - CANDIDATES) : stop - CANDIDATES]
        return found
