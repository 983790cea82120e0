"""The data set written with COPY: Builder's shape, and the search documents index_articles writes."""

import shutil
import tempfile

import pytest
from django.db import connection
from django.test import TestCase, override_settings
from taggit.models import Tag

from articles import search
from articles.models import (
    Article,
    ArticlePhoto,
    ArticleSearch,
    Byline,
    Edition,
    Page,
    TaggedArticle,
)
from media.models import Photo, PhotoCredit
from tests.perf import benchdata, copyload

ARTICLES, DAYS = 300, 4

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's: needs DATABASE_URL"
)


def index_definitions():
    tables = [model._meta.db_table for model in copyload.LOADED]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "UNION ALL SELECT conrelid::regclass::text, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1, 2",
            [tables, tables],
        )
        return cursor.fetchall()


def search_columns():
    return list(ArticleSearch.objects.order_by("pk").values_list("pk", "vector", "grams"))


class CopyBuiltDataSetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.media = tempfile.mkdtemp()
        cls.indexes = index_definitions()
        with override_settings(MEDIA_ROOT=cls.media):
            cls.built = copyload.CopyBuilder(ARTICLES, days=DAYS, pictures=2, processes=2).build()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.media, ignore_errors=True)

    def test_editions_pages_and_copy_in_the_builders_shape(self):
        assert self.built.editions == DAYS and Edition.objects.published().count() == DAYS
        assert Page.objects.count() == DAYS * len(benchdata.PAGES)
        published = Article.objects.published()
        assert published.count() == ARTICLES
        assert not published.filter(bylines=None).exists()
        assert Byline.objects.count() > ARTICLES  # a second reporter, a correspondent
        assert Byline.objects.filter(role=Byline.Role.CORRESPONDENT).exists()
        assert published.filter(tags__isnull=False).distinct().count() > ARTICLES // 2
        assert TaggedArticle.objects.count() < 4 * (ARTICLES + 150)
        assert Tag.objects.count() > 1000
        photos = Photo.objects.count()
        assert ARTICLES // 5 < photos == ArticlePhoto.objects.count() == PhotoCredit.objects.count()
        assert Photo.objects.values("image").distinct().count() == 2
        for article in published.filter(kind=Article.Kind.PHOTO):
            (use,) = article.article_photos.all()
            assert use.photo.credit_line.endswith("摄") and not use.photo.missing()
        assert all(a.created_at < a.published_at for a in published)
        kinds = set(published.values_list("kind", flat=True))
        assert {"news", "brief", "photo"} <= kinds
        # Pages hold their copy in order from the top.
        page = Page.objects.filter(articles__isnull=False).first()
        assert list(page.articles.order_by("position").values_list("position", flat=True)) == list(
            range(1, page.articles.count() + 1)
        )

    def test_the_desks_copy_in_every_state(self):
        statuses = set(Article.objects.values_list("status", flat=True))
        assert {"draft", "submitted", "approved", "published"} <= statuses
        assert Article.objects.filter(page=None).count() == 150

    def test_indexes_and_constraints_are_made_again_as_they_were(self):
        assert index_definitions() == self.indexes

    def test_ids_go_on_from_the_copy(self):
        article = Article.objects.create(headline="新的一篇", body="正文。")
        assert article.pk > Article.objects.exclude(pk=article.pk).order_by("-pk")[0].pk
        photo = Photo.objects.create(caption="新图")
        assert photo.pk > Photo.objects.exclude(pk=photo.pk).order_by("-pk")[0].pk
        Byline.objects.create(article=article, person=Byline.objects.first().person)

    def test_the_search_columns_are_what_index_articles_writes(self):
        copied = search_columns()
        assert all(vector for _, vector, _ in copied)
        # All at once: the tags are read in the order given (selectors.for_index),
        # however PostgreSQL joins their links.
        search.index_articles(Article.objects.all())
        assert search_columns() == copied
        assert not ArticleSearch.objects.exclude(title="", text="").exists()
        assert ArticleSearch.objects.count() == Article.objects.count()

    def test_published_copy_is_found_and_served(self):
        published = Article.objects.published()
        article = published.exclude(headline="").order_by("pk").last()
        assert article in search.search(published, search.parse(article.headline[:4]))
        word = article.body.split("，")[0][:3]
        assert article in search.search(published, search.parse(word))
        assert self.client.get(article.get_absolute_url()).status_code == 200


def test_copy_values_are_escaped():
    assert copyload.copy_value("a\tb\nc\\d") == "a\\tb\\nc\\\\d"
    assert copyload.copy_value(None) == "\\N"
    assert copyload.copy_value(True) == "t"
    assert copyload.copy_value([{"name": "x"}]) == '[{"name": "x"}]'


def han(n):
    return chr(0x4E00 + n % 3000) + chr(0x4E00 + n // 3000)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "title, text",
    [
        ([], []),
        (["甲乙", "乙丙", "2000"], ["甲乙", "2000", "乙丙", "丙丁"] * 3),
        (["甲乙"], ["甲乙"] * 300),  # more positions than a lexeme keeps
        ([han(n) for n in range(40)], [han(n) for n in range(17_000)]),  # past the last position
    ],
    ids=["empty", "title and text", "a lexeme 300 times", "17,000 lexemes"],
)
def test_vector_literals_are_what_postgresql_makes_of_the_tokens(title, text):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::tsvector::text, (setweight(to_tsvector('simple', %s), 'A') || "
            "setweight(to_tsvector('simple', %s), 'C'))::text",
            [copyload.vector_literal(title, text), " ".join(title), " | ".join(text)],
        )
        ours, theirs = cursor.fetchone()
    assert ours == theirs
