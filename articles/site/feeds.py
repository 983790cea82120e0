"""RSS 2.0 and Atom feeds: the latest 50 published articles, overall and per
section, tag and person, with the bylines as authors."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.html import escape
from django.utils.translation import gettext as _

from articles.cache import ARTICLES, add_keys, person_key, section_key, tag_key
from articles.models import Article
from articles.selectors import (
    credited,
    latest_first,
    public_people,
    public_sections,
    public_tags,
    with_credits,
)

FEED_LENGTH = 50


class LatestArticlesFeed(Feed):
    """The newest published articles of the whole paper."""

    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    # Feed readers expect a region subtag, not Django's zh-hans.
    language = settings.NEWS_LANGUAGE
    author_name = settings.NEWSPAPER_NAME

    def title(self, obj=None):
        if obj is None:
            return settings.NEWSPAPER_NAME
        return f"{settings.NEWSPAPER_NAME} · {obj}"

    def link(self, obj=None):
        return obj.get_absolute_url() if obj is not None else reverse("articles:home")

    def description(self, obj=None):
        return _("The latest news from %(paper)s") % {"paper": self.title(obj)}

    def subtitle(self, obj=None):
        return self.description(obj)

    def narrow(self, articles, obj):
        return articles

    def keys(self, obj):
        return [ARTICLES]

    def get_feed(self, obj, request):
        add_keys(request, *self.keys(obj))
        return super().get_feed(obj, request)

    def items(self, obj=None):
        articles = self.narrow(Article.objects.published(), obj)
        return latest_first(with_credits(articles).prefetch_related("tags"))[:FEED_LENGTH]

    def item_title(self, article):
        return str(article)

    def item_description(self, article):
        # Both formats carry the description as HTML, so the plain text is escaped.
        text = article.summary or next(iter(article.paragraphs), "")
        return escape(text)

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        names = dict.fromkeys(byline.person.name for byline in article.bylines.all())
        return "、".join(names) or None

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(public_sections(), slug=slug)

    def narrow(self, articles, section):
        return articles.filter(section=section)

    def keys(self, section):
        return [section_key(section.pk)]


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(public_tags(), slug=slug)

    def link(self, tag):
        return reverse("articles:tag", args=[tag.slug])

    def narrow(self, articles, tag):
        return articles.filter(tags=tag)

    def keys(self, tag):
        return [tag_key(tag.pk)]


class PersonFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(public_people(), slug=slug)

    def title(self, person):
        return f"{settings.NEWSPAPER_NAME} · {person.name}"

    def narrow(self, articles, person):
        return articles.filter(credited(person)).distinct()

    def keys(self, person):
        return [person_key(person.pk)]


class AtomMixin:
    feed_type: type[SyndicationFeed] = Atom1Feed


class LatestArticlesAtomFeed(AtomMixin, LatestArticlesFeed):
    pass


class SectionAtomFeed(AtomMixin, SectionFeed):
    pass


class TagAtomFeed(AtomMixin, TagFeed):
    pass


class PersonAtomFeed(AtomMixin, PersonFeed):
    pass
