"""The benchmark's data set at scale: rows made in Python, written with PostgreSQL's COPY.

Builder writes through the ORM and indexes each article as an editor's save
would: about 40 articles a second here, days for a million. CopyBuilder
draws the same shapes with Builder's own methods (kinds, bylines, tags,
photos sharing a few real pictures, the desk's copy) and writes the rows
with COPY into the tables the migrations made, with ids it assigns. Worker
processes (one per core) write the copy and its search documents; the
parent only streams their rows to PostgreSQL.

Segmenting text with jieba is most of the cost (about 4 ms an article
here), so bodies, captions and summaries are drawn from pools of
paragraphs and sentences written by the same Writer and segmented once;
headlines are written and segmented for each article. A token document is
the concatenation of its texts' tokens, so an article's search columns are
exactly what index_articles would write (a test compares them).

During the load the tables' secondary indexes and their foreign-key and
unique constraints are dropped, and made again from PostgreSQL's own
definitions (pg_get_indexdef, pg_get_constraintdef): after the rows are
committed, two at a time (the search's two GIN indexes are most of the
build); inside a test's transaction, in it.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import multiprocessing
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from articles.copy.bodytext import count_chars
from articles.models import Article, ArticlePhoto, ArticleSearch, Byline, TaggedArticle
from articles.search.tokens import grams_document, jieba, tokens, words
from media.models import Photo, PhotoCredit
from tests.perf.benchdata import Builder, summary
from tests.perf.synthetic import Writer, vocabulary

# Written in this order; their indexes are deferred during the load.
LOADED: tuple[type[models.Model], ...] = (
    Photo,
    PhotoCredit,
    Article,
    ArticleSearch,
    ArticlePhoto,
    Byline,
    TaggedArticle,
)
# Given ids by the builder (others referenced them); the rest take their identity column's.
ASSIGNED_IDS = (Photo, Article)
CHUNK = 2000  # articles a worker writes at a time
MAXPOS = 16383  # PostgreSQL's largest tsvector position (MAXENTRYPOS - 1)
MAXNUMPOS = 256  # positions a tsvector keeps per lexeme


# --- COPY ------------------------------------------------------------------------

_ESCAPES = [("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r")]


def copy_value(value: Any) -> str:
    """Return value as a field of COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime.date):  # and datetime
        return value.isoformat()
    if isinstance(value, list | dict):
        value = json.dumps(value)
    text = str(value)
    for char, escaped in _ESCAPES:  # str.replace: translate() walks a long text char by char
        if char in text:
            text = text.replace(char, escaped)
    return text


class Table:
    """A model's table as COPY sees it: its columns, from the model, with their defaults."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        # A table whose ids are not assigned leaves its id column to its identity
        # (a primary key that is a foreign key, as a one-to-one's, is always written).
        fields = [
            f
            for f in model._meta.concrete_fields
            if model in ASSIGNED_IDS or not isinstance(f, models.AutoField)
        ]
        self.attnames = [f.attname for f in fields]
        self.defaults = [f.get_default() for f in fields]
        quote = connection.ops.quote_name
        self.statement = (
            f"COPY {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
            "FROM STDIN"
        )

    def lines(self, rows: Sequence[dict[str, Any]]) -> str:
        pairs = list(zip(self.attnames, self.defaults, strict=True))
        return "".join(
            "\t".join(copy_value(row.get(name, default)) for name, default in pairs) + "\n"
            for row in rows
        )


def copy_text(cursor: Any, model: type[models.Model], text: str) -> None:
    if text:
        cursor.copy_expert(Table(model).statement, io.StringIO(text))


def drop_indexes(tables: Sequence[str]) -> list[str]:
    """Drop the tables' secondary indexes, foreign keys and unique constraints.

    Returns the statements that make them again, indexes first. Read from
    PostgreSQL, not listed here: whatever the migrations made (the GIN
    indexes with their storage parameters included) comes back as it was.
    """
    indexes: list[str] = []
    constraints: list[str] = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        # Deferred checks of rows written earlier in the transaction (a test's)
        # would forbid altering the tables they touch: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                constraints.append(
                    f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                )
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = %s::regclass AND NOT indisprimary AND indexrelid NOT IN "
                "(SELECT conindid FROM pg_constraint WHERE conrelid = %s::regclass)",
                [table, table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f"DROP INDEX {name}")
                indexes.append(definition)
    return indexes + constraints


def restore_indexes(
    statements: Sequence[str],
    log: Callable[[str], object] = lambda message: None,
    connections: int = 1,
) -> None:
    """Run drop_indexes' statements: the indexes over several connections if more than one.

    Several connections need the rows committed; PostgreSQL 15 builds a GIN
    index on one core, so the search's two build side by side.
    """
    indexes = [s for s in statements if s.startswith("CREATE")]
    constraints = [s for s in statements if not s.startswith("CREATE")]

    def run(statement: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            started = time.monotonic()
            cursor.execute(statement)
            if (seconds := time.monotonic() - started) >= 1:
                log(f"{seconds:.0f} s: {statement}")

    if connections > 1:
        assert not connection.in_atomic_block, "other connections cannot see uncommitted rows"

        def run_alone(statement: str) -> None:
            try:
                run(statement)
            finally:
                connection.close()  # this thread's own

        # The GIN indexes first: the others fit in beside them.
        ordered = sorted(indexes, key=lambda s: "USING gin" not in s)
        with ThreadPoolExecutor(connections) as threads:
            list(threads.map(run_alone, ordered))
    else:
        for statement in indexes:
            run(statement)
    for statement in constraints:
        run(statement)


# --- search documents -----------------------------------------------------------


@dataclass(frozen=True)
class Pieces:
    """What a text gives the search document: its tokens, jieba's words, its trigrams.

    Each space-separated; a text's are the concatenation of its parts' when
    the parts are separated by what is neither Han nor Latin (a paragraph
    break, a space).
    """

    tokens: str
    words: str
    grams: str

    @classmethod
    def of(cls, text: str) -> Pieces:
        return cls(" ".join(tokens(text)), " ".join(words(text)), grams_document(text))

    @classmethod
    def joined(cls, parts: Sequence[Pieces]) -> Pieces:
        if len(parts) == 1:
            return parts[0]
        return cls(
            " ".join(p.tokens for p in parts),
            " ".join(p.words for p in parts),
            " ".join(p.grams for p in parts),
        )

    def sequence(self) -> list[str]:
        """The lexemes to_tsvector finds in document(text), in order."""
        return self.tokens.split() + self.words.split()


def _positions(lexemes: list[str]) -> dict[str, list[int]]:
    """Return to_tsvector('simple', ...)'s positions of each lexeme."""
    found: dict[str, list[int]] = {}
    for n, lexeme in enumerate(lexemes, start=1):
        position = min(n, MAXPOS)
        kept = found.get(lexeme)
        if kept is None:
            found[lexeme] = [position]
        elif len(kept) < MAXNUMPOS - 1 and kept[-1] != MAXPOS and kept[-1] != position:
            kept.append(position)
    return found


_A = [f"{n}A" for n in range(MAXPOS + 1)]
_C = [f"{n}C" for n in range(MAXPOS + 1)]


def vector_literal(title: list[str], text: list[str]) -> str:
    """Return setweight(to_tsvector(title), 'A') || setweight(to_tsvector(text), 'C') as text.

    The lexemes are those of token documents (Han n-grams, lower-case Latin
    words and numbers), which the default parser takes whole: one each.
    """
    merged: dict[str, list[str]] = {}
    for weights, lexemes, start in ((_A, title, 1), (_C, text, len(title) + 1)):
        if start + len(lexemes) > MAXPOS:
            return _capped_vector_literal(title, text)
        for n, lexeme in enumerate(lexemes, start):
            kept = merged.get(lexeme)
            if kept is None:
                merged[lexeme] = [weights[n]]
            else:
                kept.append(weights[n])
    if merged and max(map(len, merged.values())) >= MAXNUMPOS - 1:
        return _capped_vector_literal(title, text)
    return " ".join([f"'{lexeme}':{','.join(kept)}" for lexeme, kept in merged.items()])


def _capped_vector_literal(title: list[str], text: list[str]) -> str:
    """vector_literal where PostgreSQL's limits bind: the last position, positions per lexeme."""
    left, right = _positions(title), _positions(text)
    shift = max((p[-1] for p in left.values()), default=0)  # tsvector_concat's maxpos
    merged = {lexeme: [(p, "A") for p in kept] for lexeme, kept in left.items()}
    for lexeme, kept in right.items():
        out = merged.setdefault(lexeme, [])
        for p in kept:
            if len(out) >= MAXNUMPOS or (out and out[-1][0] == MAXPOS):
                break
            out.append((min(p + shift, MAXPOS), "C"))
    return " ".join(
        f"'{lexeme}':" + ",".join(f"{p}{w}" for p, w in kept) for lexeme, kept in merged.items()
    )


def add_search_document(
    tables: dict[type[models.Model], list[dict[str, Any]]],
    article: dict[str, Any],
    title: Pieces,
    rest: Sequence[Pieces],
) -> None:
    """Write article's search document: the one place that knows where it is kept.

    What index_articles writes on PostgreSQL: an ArticleSearch row with the
    weighted token vector (title A, everything C, config simple), the
    stripped trigram vector, and the token text blanked.
    """
    texts = [title, *rest]
    vector = vector_literal(title.sequence(), [x for p in texts for x in p.sequence()])
    grams = sorted({g for p in texts for g in p.grams.split()})
    tables[ArticleSearch].append(
        {
            "article_id": article["id"],
            "title": "",
            "text": "",
            "vector": vector,
            "grams": " ".join(f"'{g}'" for g in grams),
        }
    )


# --- the workers --------------------------------------------------------------------


@dataclass
class Cast:
    """What every worker needs: inherited through fork, never pickled."""

    seed: int
    editor: int
    chief: int
    desk_section: int
    reporters: list
    photographers: list
    correspondents: list
    freelancers: list
    tags: list
    pictures: list[dict[str, Any]]
    # (published at, [(page id, section id)], articles) of each edition, in date order
    editions: list[tuple[datetime.datetime, list[tuple[int, int]], int]]
    paragraphs: list[tuple[str, Pieces]] = field(default_factory=list)
    sentences: list[tuple[str, Pieces]] = field(default_factory=list)


@dataclass(frozen=True)
class Chunk:
    number: int
    first_edition: int
    editions: int  # 0: the desk's copy
    desk: int
    article_id: int
    photo_id: int


class Drafter(Builder):
    """Builder's draws, for one chunk of the copy in a worker (or its layout in the parent)."""

    def __init__(self, cast: Cast, seed: str):  # not Builder's: a drafter builds nothing
        self.random = random.Random(seed)
        self.cast = cast
        self.reporters, self.photographers = cast.reporters, cast.photographers
        self.correspondents, self.freelancers = cast.correspondents, cast.freelancers
        self.tags = cast.tags

    def layout(self, articles: int, desk: bool) -> list[tuple[str, int]]:
        """Each article's kind and number of photos: what the parent needs to number photos."""
        out = []
        for _ in range(articles):
            kind = Article.Kind.NEWS if desk else self.kind()
            out.append((kind, self.photo_count(kind)))
        return out


_cast: Cast | None = None  # the worker's, set before the fork
_names: dict[str, Pieces] = {}  # people's and tags' names, segmented once per worker


def _name_pieces(name: str) -> Pieces:
    if name not in _names:
        _names[name] = Pieces.of(name)
    return _names[name]


def _write_pool(task: tuple[str, str, int]) -> list[tuple[str, Pieces]]:
    """Write and segment count paragraphs (or sentences)."""
    what, seed, count = task
    writer = Writer(seed)
    write = writer.paragraph if what == "paragraphs" else writer.sentence
    return [(text, Pieces.of(text)) for text in (write() for _ in range(count))]


def _write_chunk(chunk: Chunk) -> dict[type[models.Model], str]:
    """Write a chunk's copy, with its bylines, tags, photos and search documents, as COPY text."""
    cast = _cast
    assert cast is not None
    layout = Drafter(cast, f"{cast.seed}:{chunk.number}:layout")
    draw = Drafter(cast, f"{cast.seed}:{chunk.number}")
    rng = draw.random
    writer = Writer(f"{cast.seed}:{chunk.number}")
    tables: dict[type[models.Model], list[dict[str, Any]]] = {model: [] for model in LOADED}
    places: list[tuple[datetime.datetime | None, int | None, int, int]] = []
    for published, pages, count in cast.editions[
        chunk.first_edition : chunk.first_edition + chunk.editions
    ]:
        positions = [0] * len(pages)
        for n in range(count):
            positions[n % len(pages)] += 1
            page_id, section_id = pages[n % len(pages)]
            places.append((published, page_id, section_id, positions[n % len(pages)]))
    now = timezone.now()
    places += [(None, None, cast.desk_section, 0)] * chunk.desk
    article_id, photo_id = chunk.article_id, chunk.photo_id
    states = [Article.Status.DRAFT, Article.Status.SUBMITTED, Article.Status.APPROVED]
    for n, ((kind, photos), (at, page, section, position)) in enumerate(
        zip(layout.layout(len(places), bool(chunk.desk)), places, strict=True)
    ):
        paragraphs = 1 if kind in (Article.Kind.PHOTO, Article.Kind.BRIEF) else rng.randint(3, 8)
        body = [rng.choice(cast.paragraphs) for _ in range(paragraphs)]
        text = "\n\n".join(t for t, _ in body)
        row: dict[str, Any] = {
            "id": article_id,
            "kind": kind,
            "body": text,
            "char_count": count_chars(text),
            "section_id": section,
            "created_by_id": cast.editor,
        }
        summary: tuple[str, Pieces] | None = None
        if at is None:
            row.update(
                headline=writer.headline(),
                source="本报讯",
                status=states[n % 3],
                created_at=now,
                updated_at=now,
            )
        else:
            wire = rng.random() < 0.1
            summary = rng.choice(cast.sentences) if rng.random() < 0.3 else None
            row.update(
                kicker=writer.headline() if rng.random() < 0.2 else "",
                headline="" if kind == Article.Kind.PHOTO else writer.headline(),
                subheadline=writer.headline() if rng.random() < 0.3 else "",
                source=f"新华社北京{at.month}月{at.day}日电" if wire else "本报讯",
                summary=summary[0] if summary else "",
                status=Article.Status.PUBLISHED,
                page_id=page,
                position=position,
                submitted_at=at - datetime.timedelta(hours=9),
                approved_at=at - datetime.timedelta(hours=6),
                approved_by_id=cast.editor,
                published_at=at,
                published_by_id=cast.chief,
                created_at=at - datetime.timedelta(hours=10),
                updated_at=at,
            )
        credits = draw.credits_for(kind)
        for number, (person, role) in enumerate(credits):
            tables[Byline].append(
                {"article_id": article_id, "person_id": person.pk, "role": role, "position": number}
            )
        # In id order, as the links are written: the order index_articles reads them in.
        tags = sorted(draw.tags_for(), key=lambda tag: tag.pk)
        for tag in tags:
            tables[TaggedArticle].append({"content_object_id": article_id, "tag_id": tag.pk})
        captions = []
        for number in range(photos):
            picture = rng.choice(cast.pictures)
            caption, pieces = rng.choice(cast.sentences)
            captions.append(pieces)
            stamp = at - datetime.timedelta(hours=8) if at else now
            tables[Photo].append(
                {
                    "id": photo_id,
                    "caption": caption,
                    "alt_text": caption[:60],
                    "created_at": stamp,
                    "updated_at": stamp,
                    **picture,
                }
            )
            tables[PhotoCredit].append(
                {
                    "photo_id": photo_id,
                    "person_id": rng.choice(cast.photographers).pk,
                    "position": 0,
                }
            )
            tables[ArticlePhoto].append(
                {"article_id": article_id, "photo_id": photo_id, "position": number}
            )
            photo_id += 1
        title = " ".join(filter(None, [row.get("kicker"), row["headline"], row.get("subheadline")]))
        rest = [Pieces.joined([p for _, p in body])]
        if summary:
            rest.append(summary[1])
        rest += captions
        # The names as one text, the tags as another: a text's tokens come before its words.
        for names in ([person.name for person, _ in credits], [tag.name for tag in tags]):
            if names:
                rest.append(Pieces.joined([_name_pieces(name) for name in names]))
        add_search_document(tables, row, Pieces.of(title), rest)
        tables[Article].append(row)
        article_id += 1
    return {model: Table(model).lines(rows) for model, rows in tables.items()}


# --- the builder --------------------------------------------------------------------


class CopyBuilder(Builder):
    """Build the data set with COPY (PostgreSQL): call build().

    paragraphs and sentences: the pools' sizes (by default about one
    paragraph per use up to 50,000, then reused; each takes about 1 ms of
    jieba).
    """

    def __init__(
        self,
        articles: int,
        *,
        paragraphs: int | None = None,
        sentences: int | None = None,
        processes: int | None = None,
        log: Callable[[str], object] | None = None,
        **kwargs: Any,
    ):
        super().__init__(articles, **kwargs)
        self.paragraph_count = paragraphs or max(1000, min(5 * articles, 50_000))
        self.sentence_count = sentences or max(1000, min(articles, 20_000))
        self.processes = processes or os.cpu_count() or 1
        self.log = log or (lambda message: None)
        self.seed = kwargs.get("seed", 2022)

    def build(self):
        assert connection.vendor == "postgresql", "COPY is PostgreSQL's; Builder is for the rest"
        started = time.monotonic()
        editions, pages = self.make_paper()
        cast = Cast(
            seed=self.seed,
            editor=self.editor.pk,
            chief=self.chief.pk,
            desk_section=self.sections["综合"].pk,
            reporters=self.reporters,
            photographers=self.photographers,
            correspondents=self.correspondents,
            freelancers=self.freelancers,
            tags=self.tags,
            pictures=self.pictures,
            editions=[
                (e.published_at, [(p.pk, self.sections[p.name].pk) for p in pages[e.pk]], count)
                for e, count in zip(editions, self.per_edition(len(editions)), strict=True)
            ],
        )
        self.log(f"the cast, editions and pages: {time.monotonic() - started:.0f} s")
        jieba(), vocabulary()  # loaded once, before the workers fork
        cast.paragraphs = self.pool(cast, "paragraphs", self.paragraph_count)
        cast.sentences = self.pool(cast, "sentences", self.sentence_count)
        self.log(f"the pools of text: {time.monotonic() - started:.0f} s")
        # Outside a transaction (not a test's), the indexes are made after the
        # rows are committed, over several connections; a failure then leaves
        # a data set without them, said in the error: drop the database.
        parallel = not connection.in_atomic_block
        with transaction.atomic():
            restore = drop_indexes([model._meta.db_table for model in LOADED])
            self.copy_all(cast)
            self.log(f"rows written: {time.monotonic() - started:.0f} s")
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), list(LOADED)):
                    cursor.execute(statement)
            if not parallel:
                restore_indexes(restore, self.log)
        if parallel:
            try:
                restore_indexes(restore, self.log, connections=min(2, self.processes))
            except Exception as error:
                raise RuntimeError(
                    "The data set is written but lacks indexes; drop the database and build "
                    f"again ({'; '.join(restore)})"
                ) from error
        self.log(f"indexes and constraints made: {time.monotonic() - started:.0f} s")
        if parallel:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")  # as Builder.build, for the same reasons
            self.log(f"vacuumed: {time.monotonic() - started:.0f} s")
        return summary(built=True)

    def pool(self, cast: Cast, what: str, count: int) -> list[tuple[str, Pieces]]:
        size = 500
        tasks = [
            (what, f"{self.seed}:{what}:{n}", min(size, count - n)) for n in range(0, count, size)
        ]
        with self.workers(cast) as pool:
            return [item for part in pool.imap(_write_pool, tasks) for item in part]

    @contextlib.contextmanager
    def workers(self, cast: Cast) -> Iterator[Any]:
        global _cast
        _cast = cast
        try:
            with multiprocessing.get_context("fork").Pool(self.processes) as pool:
                yield pool
        finally:
            _cast = None

    def chunks(self, cast: Cast) -> list[Chunk]:
        """Cut the copy into chunks of whole editions, numbering articles and photos."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {Article._meta.db_table}")
            (article_id,) = cursor.fetchone()
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {Photo._meta.db_table}")
            (photo_id,) = cursor.fetchone()
        chunks: list[Chunk] = []
        first = 0
        while first <= len(cast.editions):
            desk = 0
            if first == len(cast.editions):
                editions, desk = 0, 150  # the desk's copy, last: not published, no page
                articles = desk
            else:
                editions, articles = 0, 0
                while first + editions < len(cast.editions) and articles < CHUNK:
                    articles += cast.editions[first + editions][2]
                    editions += 1
            number = len(chunks)
            layout = Drafter(cast, f"{cast.seed}:{number}:layout").layout(articles, bool(desk))
            chunks.append(Chunk(number, first, editions, desk, article_id, photo_id))
            article_id += articles
            photo_id += sum(photos for _, photos in layout)
            first += editions if editions else 1
        return chunks

    def copy_all(self, cast: Cast) -> None:
        chunks = self.chunks(cast)
        made = 0
        with self.workers(cast) as pool, connection.cursor() as cursor:
            for chunk, tables in zip(chunks, pool.imap(_write_chunk, chunks), strict=True):
                for model, text in tables.items():
                    copy_text(cursor, model, text)
                made += sum(
                    count for _, _, count in cast.editions[chunk.first_edition :][: chunk.editions]
                )
                self.progress(made, self.total)
