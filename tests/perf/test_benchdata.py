"""The benchmark's data set: a real newspaper's shape, every part the site prints."""

import shutil
import tempfile

from django.test import TestCase, override_settings
from django.urls import reverse

from articles import search, workflow
from articles.models import Article, Byline, Edition
from media.models import Photo
from tests.perf import benchdata

ARTICLES, DAYS = 120, 5


class BenchmarkDataSetTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.media = tempfile.mkdtemp()
        with override_settings(MEDIA_ROOT=cls.media):
            cls.built = benchdata.Builder(ARTICLES, days=DAYS, pictures=2).build()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.media, ignore_errors=True)

    def test_daily_editions_with_named_pages_and_page_editors(self):
        assert self.built.editions == DAYS
        dates = [e.date for e in Edition.objects.published().order_by("date")]
        assert [(b - a).days for a, b in zip(dates, dates[1:], strict=False)] == [1] * (DAYS - 1)
        for edition in Edition.objects.all():
            pages = list(edition.pages.all())
            assert [p.number for p in pages] == list(range(1, len(benchdata.PAGES) + 1))
            assert all(p.name and p.editor_id for p in pages)

    def test_published_copy_with_bylines_tags_and_photos(self):
        published = Article.objects.published()
        assert published.count() == ARTICLES
        assert not published.filter(bylines=None).exists()
        assert published.filter(tags__isnull=False).distinct().count() > ARTICLES // 2
        assert published.exclude(article_photos=None).count() > ARTICLES // 5
        for article in published.filter(kind=Article.Kind.PHOTO):
            (use,) = article.article_photos.all()
            assert use.photo.credit_line.endswith("摄")
            assert not use.photo.missing()
        assert all(a.created_at < a.published_at for a in published)
        assert Byline.objects.filter(role=Byline.Role.CORRESPONDENT).exists()

    def test_copy_in_every_desk_state_is_there_too(self):
        statuses = set(Article.objects.values_list("status", flat=True))
        assert {"draft", "submitted", "approved", "published"} <= statuses

    def test_the_photos_share_a_few_real_pictures_and_their_renditions(self):
        assert Photo.objects.values("image").distinct().count() == 2
        photo = Photo.objects.exclude(image="").first()
        assert photo.width and photo.renditions()
        with override_settings(MEDIA_ROOT=self.media):
            assert photo.image.storage.exists(photo.renditions()[0].name)

    def test_the_copy_is_searchable_and_the_site_serves_it(self):
        article = Article.objects.published().exclude(headline="").first()
        query = search.parse(article.headline[:4])
        assert article in search.search(Article.objects.published(), query)
        assert self.client.get("/").status_code == 200
        assert self.client.get(article.get_absolute_url()).status_code == 200
        latest = Edition.objects.published().first()
        assert self.client.get(reverse("articles:edition", args=[latest.date])).status_code == 200

    def test_a_ready_edition_of_60_articles_publishes_and_is_removed_again(self):
        edition, chief = benchdata.ready_edition(60)
        assert Article.objects.filter(page__edition=edition, status="approved").count() == 60
        edition = workflow.sign_off(edition, user=chief)  # the preflight passes
        workflow.publish_edition(edition, user=chief)
        assert Article.objects.published().filter(page__edition=edition).count() == 60
        photos = Photo.objects.count()
        benchdata.remove_edition(edition)
        assert not Edition.objects.filter(pk=edition.pk).exists()
        assert Photo.objects.count() < photos
        assert Article.objects.published().count() == ARTICLES
