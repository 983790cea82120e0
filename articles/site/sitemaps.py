"""Sitemaps: the whole public site, and Google News for the last two days.

/sitemap.xml is one urlset (the sitemaps.org schema has no index element in
the version we validate against); past 50,000 URLs it continues on
/sitemap.xml?p=2 and so on, each page listed in robots.txt.
"""

import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from articles.cache import ARTICLES, EDITIONS, SECTIONS, add_keys
from articles.models import Article, Edition, Page
from articles.selectors import latest_first, public_sections, with_photos


class HomeSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["articles:home", "articles:edition-archive"]

    def location(self, item):
        return reverse(item)


class SectionSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return public_sections().order_by("position", "pk")


class EditionSitemap(Sitemap):
    def items(self):
        return Edition.objects.published().order_by("-date")

    def lastmod(self, edition):
        return edition.updated_at


class EditionPageSitemap(Sitemap):
    def items(self):
        return (
            Page.objects.filter(edition__in=Edition.objects.published())
            .select_related("edition")
            .order_by("-edition__date", "number")
        )


class ArticleSitemap(Sitemap):
    """Every published article, with its pictures (Google image sitemap)."""

    def items(self):
        return latest_first(with_photos(Article.objects.published()))

    def lastmod(self, article):
        return article.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        base = f"{self.get_protocol(protocol)}://{self.get_domain(site)}/"
        for url in urls:
            url["images"] = [
                urljoin(base, use.photo.image.url)
                for use in url["item"].article_photos.all()
                if use.photo.image
            ]
        return urls


class NewsSitemap(Sitemap):
    """Articles published in the last two days, as Google News asks (at most 1,000)."""

    limit = 1000

    def items(self):
        since = timezone.now() - datetime.timedelta(days=2)
        return latest_first(Article.objects.published().filter(published_at__gte=since))

    def lastmod(self, article):
        return article.updated_at

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["publication"] = {
                "name": settings.NEWSPAPER_NAME,
                "language": settings.NEWS_LANGUAGE,
            }
        return urls


SITEMAPS = {
    "home": HomeSitemap,
    "sections": SectionSitemap,
    "editions": EditionSitemap,
    "pages": EditionPageSitemap,
    "articles": ArticleSitemap,
}


def sitemap_page_count():
    """Return how many pages /sitemap.xml has (the longest of its parts decides)."""
    return max(sitemap().paginator.num_pages for sitemap in SITEMAPS.values())


def sitemap(request):
    """Serve page ?p=N of the site map: the parts that still have a page N."""
    try:
        number = int(request.GET.get("p", "1"))
    except ValueError:
        raise Http404("No such sitemap page.") from None
    parts = {name: part() for name, part in SITEMAPS.items()}
    parts = {name: part for name, part in parts.items() if number <= part.paginator.num_pages}
    if number < 1 or not parts:
        raise Http404("No such sitemap page.")
    add_keys(request, ARTICLES, EDITIONS, SECTIONS)
    return sitemap_views.sitemap(request, parts, template_name="articles/sitemap.xml")


def news_sitemap(request):
    add_keys(request, ARTICLES)
    return sitemap_views.sitemap(
        request,
        {"news": NewsSitemap},
        template_name="articles/sitemap_news.xml",
    )
