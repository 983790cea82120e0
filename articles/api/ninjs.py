"""Articles and editions as IPTC ninjs 2.2 documents.

An article is a text item (a picture item for photo news) with its headlines,
the byline as printed, the bylined people with their roles, its section and
tags as subjects, the body as HTML and its photos as associations. An edition
is a composite: its pages, in order, each a composite of its articles.

ninjs forbids properties it does not define and null values, so empty
properties are left out rather than sent empty.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles.copy.printing import format_dateline
from articles.importer.parse import ParsedByline
from articles.models import Article
from media.models import format_credit

LANGUAGE = "zh-Hans"
STANDARD = {
    "name": "ninjs",
    "version": "2.2",
    "schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json",
}


def isoformat(value):
    """Return value as RFC 3339 in the paper's time zone, to the microsecond."""
    return timezone.localtime(value).isoformat() if value else None


def printed_byline(article):
    """Return the byline as the paper prints it: 本报讯(记者 司勇 通讯员 米雪), or 宋卫东 摄."""
    bylines = [ParsedByline(b.person.name, b.role) for b in article.bylines.all()]
    if bylines and not article.source and {b.role for b in bylines} == {"photographer"}:
        return format_credit([b.name for b in bylines])
    return format_dateline(article.source, bylines)


def body_html(paragraphs):
    return "".join(f"<p>{escape(text)}</p>" for text in paragraphs)


def _compact(document):
    """Leave out what is empty: ninjs has no null, and empty lists say nothing."""
    return {key: value for key, value in document.items() if value not in (None, "", [], {})}


class Documents:
    """Builds ninjs documents whose URIs start at base_url (scheme and host)."""

    def __init__(self, base_url):
        self.base_url = base_url.rstrip("/")

    def absolute(self, url):
        return urljoin(self.base_url + "/", url)

    # An item's URI is its page on the public site: the paper's permanent
    # address for it, which partners key on and readers can open.
    def article_uri(self, pk):
        return self.absolute(reverse("articles:detail", args=[pk]))

    def edition_uri(self, date):
        return self.absolute(reverse("articles:edition", args=[date]))

    # --- articles -----------------------------------------------------------

    def article(self, article):
        """Return article as ninjs; withdrawn copy as a canceled stub."""
        if article.status == Article.Status.WITHDRAWN:
            return self.canceled(article)
        uri = self.article_uri(article.pk)
        is_photo_news = article.kind == Article.Kind.PHOTO
        uses = list(article.article_photos.all())
        associations = [self.photo(use, uri, n) for n, use in enumerate(uses, start=1)]
        paragraphs = article.paragraphs
        return _compact(
            {
                "uri": uri,
                "standard": STANDARD,
                "type": "picture" if is_photo_news else "text",
                "representationtype": "full",
                "version": str(article.version),
                "firstcreated": isoformat(article.published_at),
                "versioncreated": isoformat(article.updated_at),
                "contentcreated": isoformat(article.created_at),
                "pubstatus": "usable",
                "language": LANGUAGE,
                "copyrightholder": settings.NEWSPAPER_NAME,
                "genres": [{"literal": article.kind}],
                "headlines": self.headlines(article),
                "by": printed_byline(article),
                "people": [
                    {"name": b.person.name, "rel": b.role, "literal": b.person.slug}
                    for b in article.bylines.all()
                ],
                "subjects": self.subjects(article),
                "descriptions": self.descriptions(article),
                "bodies": [
                    {
                        "role": "main",
                        "contenttype": "text/html",
                        "charcount": article.char_count,
                        "value": body_html(paragraphs),
                    }
                ]
                if paragraphs
                else [],
                # A picture item carries its picture itself, as well as in its associations.
                "renditions": associations[0].get("renditions") if is_photo_news and uses else [],
                "associations": associations,
            }
        )

    def canceled(self, article):
        """Return a withdrawn article as ninjs: enough to identify it and take it down."""
        return {
            "uri": self.article_uri(article.pk),
            "standard": STANDARD,
            "type": "picture" if article.kind == Article.Kind.PHOTO else "text",
            "representationtype": "partial",
            "version": str(article.version),
            "versioncreated": isoformat(article.withdrawn_at),
            "pubstatus": "canceled",
        }

    @staticmethod
    def headlines(article):
        roles = [
            ("main", article.headline),
            ("subheadline", article.subheadline),
            ("kicker", article.kicker),
        ]
        return [{"role": role, "value": value} for role, value in roles if value]

    @staticmethod
    def subjects(article):
        subjects = []
        if article.section is not None:
            section = article.section
            subjects.append({"name": section.name, "rel": "section", "literal": section.slug})
        tags = sorted((link.tag for link in article.taggedarticle_set.all()), key=lambda t: t.name)
        subjects += [{"name": tag.name, "rel": "tag", "literal": tag.slug} for tag in tags]
        return subjects

    @staticmethod
    def descriptions(article):
        descriptions = []
        if article.summary.strip():
            descriptions.append({"role": "summary", "value": article.summary.strip()})
        descriptions += [
            {"role": "correction", "value": correction.text}
            for correction in article.corrections.all()
        ]
        return descriptions

    def photo(self, use, article_uri, number):
        """Return one photo of an article as a ninjs association."""
        photo = use.photo
        credits = list(photo.credits.all())
        descriptions = [("caption", use.display_caption.strip()), ("alt", photo.alt_text.strip())]
        return _compact(
            {
                "name": f"photo-{number}",
                "uri": f"{article_uri}#photo-{photo.pk}",
                "type": "picture",
                "versioncreated": isoformat(photo.updated_at),
                "contentcreated": isoformat(photo.taken_at),
                "by": photo.credit_line,
                "people": [
                    {"name": c.person.name, "rel": "photographer", "literal": c.person.slug}
                    for c in credits
                ],
                "descriptions": [
                    {"role": role, "value": value} for role, value in descriptions if value
                ],
                "renditions": [self.rendition(r) for r in photo.renditions()],
            }
        )

    def rendition(self, rendition):
        return _compact(
            {
                "name": rendition.name,
                "href": self.absolute(rendition.url),
                "contenttype": rendition.content_type,
                "width": rendition.width,
                "height": rendition.height,
            }
        )

    # --- editions -----------------------------------------------------------

    def edition(self, edition, pages=None):
        """Return edition as a ninjs composite; with pages, its full manifest."""
        uri = self.edition_uri(edition.date)
        title = f"{settings.NEWSPAPER_NAME} {edition.date:%Y-%m-%d}"
        if edition.number:
            title += f" 第{edition.number}期"
        updated = edition.updated_at
        if pages is not None:
            updated = max([updated, *(a.updated_at for page in pages for a in page.published)])
        return _compact(
            {
                "uri": uri,
                "standard": STANDARD,
                "type": "composite",
                "profile": "edition",
                "representationtype": "partial" if pages is None else "full",
                "firstcreated": isoformat(edition.published_at),
                "versioncreated": isoformat(updated),
                "pubstatus": "usable",
                "language": LANGUAGE,
                "copyrightholder": settings.NEWSPAPER_NAME,
                "title": title,
                "altids": [
                    {"role": "date", "value": edition.date.isoformat()},
                    *([{"role": "number", "value": str(edition.number)}] if edition.number else []),
                ],
                "associations": [self.page(page, uri) for page in pages or []],
            }
        )

    def page(self, page, edition_uri):
        editor = page.editor
        return _compact(
            {
                "name": f"page-{page.number}",
                "uri": f"{edition_uri}#page-{page.number}",
                "type": "composite",
                "profile": "page",
                "title": page.name,
                "altids": [{"role": "number", "value": str(page.number)}],
                "people": [{"name": editor.name, "rel": "page-editor", "literal": editor.slug}]
                if editor
                else [],
                "associations": [
                    {"name": f"article-{n}", **self.article(article)}
                    for n, article in enumerate(page.published, start=1)
                ],
            }
        )
