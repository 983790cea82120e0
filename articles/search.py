"""Search that works on Chinese: one engine for readers and editors.

Chinese has no spaces, so a database's full-text search finds almost nothing
in raw Chinese text. Each article is therefore turned into a *token document*
when it is saved:

- every run of Han characters becomes its overlapping bigrams, in order
  (全市信访 → 全市 市信 信访), so any word of two or more characters can be
  found as the phrase of its bigrams exactly where it occurs, however jieba
  would cut the text around it;
- jieba's search-mode words of three or more characters are added (胡引平,
  冬奥会), so that a word jieba also sees in the text ranks higher;
- Latin letters and digits are lower-cased words (covid, 1251, 94.76).

The query is segmented with jieba into words; each word must occur (AND); a
word is found as its own token or as the phrase of its bigrams; a quoted
phrase, or a chunk mixing digits, Latin and Han (3-11岁, 1251工程), must occur
as written. Only tokens we made ourselves reach the database, so operators
typed by a reader (& | ! ( ) : * ' \\) are never interpreted.

On PostgreSQL the document is a tsvector (config ``simple``, headline
weighted A) under a GIN index, ranked by ts_rank plus a headline boost and a
recency boost. On SQLite the same token string is matched with LIKE: the
same hits on small data, ranked by headline and body hits, newest first.
"""

import logging
import re
from dataclasses import dataclass, field
from functools import cache

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, IntegerField, Prefetch, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .models import Article, ArticlePhoto, Byline

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_UNIT = re.compile(rf"[{HAN}]+|[A-Za-z0-9]+(?:\.[0-9]+)?")
_IS_HAN = re.compile(rf"[{HAN}]")
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」')
SEPARATOR = "|"  # ends a stretch of tokens; never a token itself

MAX_QUERY_CHARS = 100
MAX_TERMS = 12
HEADLINE_BOOST = 1.0
RECENCY_BOOST = 0.3
RECENCY_DAYS = 30


@cache
def _jieba():
    """Load jieba and its dictionary once per process, on first use."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def bigrams(run):
    return [run] if len(run) < 2 else [run[i : i + 2] for i in range(len(run) - 1)]


def units(text):
    """Return the Han runs and Latin/digit words of text, in order."""
    return _UNIT.findall(text)


def is_han(unit):
    return bool(_IS_HAN.match(unit))


def tokens(text):
    """Return the ordered tokens of text: Han bigrams and lower-cased Latin words."""
    result = []
    for unit in units(text):
        result.extend(bigrams(unit) if is_han(unit) else [unit.lower()])
    return result


def words(text):
    """Return jieba's search-mode words of three or more characters in text."""
    jieba = _jieba()
    return [
        word
        for unit in units(text)
        if is_han(unit) and len(unit) >= 3
        for word in jieba.cut_for_search(unit)
        if len(word) >= 3
    ]


def document(*texts):
    """Return the token document of texts, as stored and indexed."""
    parts = []
    for text in texts:
        if text:
            parts.append(" ".join(tokens(text)))
            parts.append(" ".join(words(text)))
    return f" {f' {SEPARATOR} '.join(p for p in parts if p)} "


# --- indexing ----------------------------------------------------------------


def _article_texts(article):
    """Return (title text, other text) of article, from prefetched relations."""
    title = " ".join(filter(None, [article.kicker, article.headline, article.subheadline]))
    captions = [use.display_caption for use in article.article_photos.all()]
    names = [byline.person.name for byline in article.bylines.all()]
    tags = [tag.name for tag in article.tags.all()]
    return title, [article.body, article.summary, *captions, " ".join(names), " ".join(tags)]


def with_index_data(queryset):
    """Prefetch what the token document is built from."""
    return queryset.prefetch_related(
        Prefetch("bylines", queryset=Byline.objects.select_related("person")),
        Prefetch("article_photos", queryset=ArticlePhoto.objects.select_related("photo")),
        "tags",
    )


def index_articles(queryset, *, batch_size=500, progress=None):
    """Rebuild the search documents of the articles in queryset, in batches."""
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), batch_size):
        batch = list(
            with_index_data(Article.objects.filter(pk__in=ids[start : start + batch_size]))
        )
        for article in batch:
            title, rest = _article_texts(article)
            article.search_title = document(title)
            article.search_text = document(title, *rest)
        Article.objects.bulk_update(batch, ["search_title", "search_text"])
        if connection.vendor == "postgresql":
            # Build the tsvector from the token text, then drop the text: one
            # UPDATE, whose SET expressions all read the row as it was.
            Article.objects.filter(pk__in=[a.pk for a in batch]).update(
                search_vector=SearchVector("search_title", weight="A", config="simple")
                + SearchVector("search_text", weight="C", config="simple"),
                search_title="",
                search_text="",
            )
        done += len(batch)
        if progress:
            progress(done, len(ids))
    return done


def index_article(article):
    """Bring article's search document up to date (after its bylines, tags and photos)."""
    index_articles(Article.objects.filter(pk=article.pk))


# --- queries ------------------------------------------------------------------


@dataclass
class Term:
    """One thing the query needs: any of its token phrases must occur."""

    phrases: list  # list of token lists
    pattern: str  # what to highlight, as a regular expression


@dataclass
class Query:
    text: str
    terms: list = field(default_factory=list)
    problem: str = ""  # why there is nothing to search for, if so

    def __bool__(self):
        return bool(self.terms)

    @property
    def highlight(self):
        if not self.terms:
            return None
        patterns = sorted({t.pattern for t in self.terms}, key=len, reverse=True)
        return re.compile("|".join(patterns), re.IGNORECASE)


def _word_term(word):
    phrases = [bigrams(word)]
    if len(word) >= 3:
        phrases.insert(0, [word])  # jieba's own word, when the text has it
    return Term(phrases, re.escape(word))


def _exact_term(text):
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


def _query_words(run):
    """Cut a Han run into words of two or more characters.

    jieba leaves some characters on their own. Two or more of them in a row
    are kept together (a name it does not know: 司 勇 → 司勇); a lone one
    belongs to the word after it, or before it at the end (全 覆盖 → 全覆盖),
    so that what was typed is not loosened into a broader word.
    """
    if len(run) <= 2:
        return [run] if len(run) == 2 else []
    result, loose = [], ""
    for word in _jieba().cut(run):
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


def parse(text):
    """Turn what a reader typed into search terms, or say why there are none."""
    text = (text or "").strip()
    query = Query(text)
    if not text:
        query.problem = _("Type a word to search for.")
        return query
    if len(text) > MAX_QUERY_CHARS:
        query.problem = _("That is too long to search for. Try a few words.")
        return query
    terms = []
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
    unique = {}
    for term in terms:
        unique.setdefault(repr(term.phrases), term)
    query.terms = list(unique.values())[:MAX_TERMS]
    if not query.terms:
        query.problem = _("Search for words of two or more characters.")
    return query


def _lexeme(token, weight=""):
    quoted = token.replace("\\", "\\\\").replace("'", "''")
    return f"'{quoted}'{':' + weight if weight else ''}"


def tsquery(query, weight=""):
    """Return the raw tsquery of query; every lexeme is one of our own tokens."""
    terms = []
    for term in query.terms:
        alternatives = [" <-> ".join(_lexeme(t, weight) for t in phrase) for phrase in term.phrases]
        terms.append("(" + " | ".join(f"({a})" for a in alternatives) + ")")
    return " & ".join(terms)


def _like(column, phrase):
    return Q(**{f"{column}__contains": f" {' '.join(phrase)} "})


def _term_q(column, term):
    q = Q()
    for phrase in term.phrases:
        q |= _like(column, phrase)
    return q


def search(queryset, query, *, by_rank=True):
    """Filter queryset by query; each result carries a `rank`, best first if by_rank."""
    if not isinstance(query, Query):
        query = parse(query)
    if not query:
        return queryset.none().annotate(rank=Value(0.0, output_field=FloatField()))
    if connection.vendor == "postgresql":
        matches = SearchQuery(tsquery(query), search_type="raw", config="simple")
        in_title = SearchQuery(tsquery(query, "A"), search_type="raw", config="simple")
        table = Article._meta.db_table
        age = RawSQL(
            f'EXTRACT(EPOCH FROM (NOW() - COALESCE("{table}"."published_at", "{table}"."updated_at")))',
            (),
            output_field=FloatField(),
        )
        results = queryset.filter(search_vector=matches).annotate(
            rank=SearchRank(F("search_vector"), matches)
            + Case(
                When(search_vector=in_title, then=Value(HEADLINE_BOOST)),
                default=Value(0.0),
                output_field=FloatField(),
            )
            + Value(RECENCY_BOOST) / (Value(1.0) + age / Value(RECENCY_DAYS * 86400.0))
        )
        return results.order_by("-rank", "-published_at", "-pk") if by_rank else results
    condition = Q()
    score = Value(0)
    for term in query.terms:
        condition &= _term_q("search_text", term)
        score = score + Case(
            When(_term_q("search_title", term), then=Value(3)),
            default=Value(1),
            output_field=IntegerField(),
        )
    results = queryset.filter(condition).annotate(rank=score)
    if by_rank:
        return results.order_by("-rank", F("published_at").desc(nulls_last=True), "-pk")
    return results


def snippet(text, query, width=90):
    """Return an escaped extract of text around the first match, matches in <mark>."""
    pattern = query.highlight if query else None
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - width // 3) if match else 0
    extract = text[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return mark_safe(prefix + highlight(extract, query) + suffix)


def highlight(text, query):
    """Return text escaped, with what query matches wrapped in <mark>."""
    pattern = query.highlight if query else None
    if not pattern:
        return escape(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))
