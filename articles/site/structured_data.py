"""schema.org NewsArticle for an article page, as a plain dict for JSON-LD.

The template tag `jsonld` serialises it so that nothing in it can end the
<script> block it sits in.
"""

from django.conf import settings
from django.urls import reverse


def absolute(request, url):
    """Return url made absolute against the request (storage URLs may already be)."""
    return request.build_absolute_uri(url)


def photo_urls(request, article):
    """Return absolute URLs of the article's pictures, in order (uses prefetched photos)."""
    return [
        absolute(request, use.photo.image.url)
        for use in article.article_photos.all()
        if use.photo.image
    ]


def last_modified(article):
    """Return when readers last saw the article change: an edit or a correction."""
    return max(
        [article.updated_at, *(correction.created_at for correction in article.corrections.all())]
    )


def news_article(request, article, canonical_url):
    """Return the NewsArticle description of article (uses prefetched relations)."""
    people = {}
    for byline in article.bylines.all():
        people.setdefault(byline.person.pk, byline.person)
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": canonical_url,
        "url": canonical_url,
        "headline": str(article)[:110],
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": last_modified(article).isoformat(),
        "inLanguage": "zh-CN",
        "author": [
            {
                "@type": "Person",
                "name": person.name,
                "url": absolute(request, person.get_absolute_url()),
            }
            for person in people.values()
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": settings.NEWSPAPER_NAME,
            "url": absolute(request, reverse("articles:home")),
        },
    }
    if article.subheadline:
        data["alternativeHeadline"] = article.subheadline
    if article.summary:
        data["description"] = article.summary
    if images := photo_urls(request, article):
        data["image"] = images
    if article.section:
        data["articleSection"] = article.section.name
    tags = [tag.name for tag in article.tags.all()]
    if tags:
        data["keywords"] = tags
    return {key: value for key, value in data.items() if value is not None}
