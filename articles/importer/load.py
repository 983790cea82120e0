"""Import a plain-text page into an edition, and export a page back to text.

The import is one transaction: it either writes the whole page or nothing.
Re-importing a page updates the drafts it created and duplicates nothing.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from media.models import Photo, PhotoCredit
from people.models import Person

from .. import revisions, search
from ..models import Article, ArticlePhoto, Byline, Edition, Page
from .parse import parse_page


class PageImportError(Exception):
    """The page cannot be imported; nothing was written."""


@dataclass
class ImportResult:
    page: Page
    articles: list = field(default_factory=list)  # in page order
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # matched copy past draft: left alone
    people_created: list = field(default_factory=list)

    def outcome(self, article):
        for name in ("created", "updated", "unchanged", "kept"):
            if article in getattr(self, name):
                return name
        return ""


def _item_key(kind, headline, paragraphs):
    """Identify an item on its page: by headline, or a photo by its caption."""
    if kind == Article.Kind.PHOTO and not headline:
        return (kind, paragraphs[0] if paragraphs else "")
    return (kind, headline)


class _People:
    """Find people by name, creating those the paper has not credited before."""

    def __init__(self, names):
        self.by_name = {}
        # Duplicate names are allowed; the longest-standing active record wins.
        for person in Person.objects.filter(name__in=set(names)).order_by("-is_active", "pk"):
            self.by_name.setdefault(person.name, person)
        self.created = []

    def get(self, name, role):
        if name not in self.by_name:
            kind = Person.Kind.CORRESPONDENT if role == "correspondent" else Person.Kind.STAFF
            person = Person.objects.create(name=name, kind=kind)
            self.by_name[name] = person
            self.created.append(person)
        return self.by_name[name]


def _resolve_page(date, number, name):
    """Return page number of the edition of date, made if new, refusing a page name clash."""
    edition, _ = Edition.objects.get_or_create(date=date)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != Edition.Status.PLANNING:
        raise PageImportError(
            f"the edition of {date:%Y-%m-%d} is {edition.get_status_display()}; "
            "pages can only be imported while it is being planned"
        )
    page = Page.objects.filter(edition=edition, number=number).first()
    if page is None:
        return Page.objects.create(edition=edition, number=number, name=name)
    if name and page.name and page.name != name:
        raise PageImportError(
            f"page {number} of {date:%Y-%m-%d} is already named {page.name}, not {name}"
        )
    if name and not page.name:
        page.name = name
        page.save(update_fields=["name"])
    return page


def _article_fields(item, position):
    return {
        "kind": Article.Kind.PHOTO if item.kind == "photo" else Article.Kind.NEWS,
        "kicker": item.kicker,
        "headline": item.headline,
        "subheadline": item.subheadline,
        "source": item.source,
        "body": "\n\n".join(item.paragraphs),
        "position": position,
    }


def _set_bylines(article, item, people):
    wanted = [(people.get(b.name, b.role), b.role) for b in item.bylines]
    current = [(b.person, b.role) for b in article.bylines.select_related("person")]
    if current == wanted:
        return False
    article.bylines.all().delete()
    seen = set()
    for position, (person, role) in enumerate(wanted):
        if (person.pk, role) not in seen:  # a name printed twice is credited once
            seen.add((person.pk, role))
            Byline.objects.create(article=article, person=person, role=role, position=position)
    return True


def _set_photo(article, item, people):
    """Give a photo news item its photo record, waiting for the picture if need be."""
    caption = "\n\n".join(item.paragraphs)
    use = article.article_photos.select_related("photo").first()
    if use is None:
        photo = Photo.objects.create(caption=caption)
        ArticlePhoto.objects.create(article=article, photo=photo, position=0)
        changed = True
    else:
        photo, changed = use.photo, use.photo.caption != caption
        if changed:
            photo.caption = caption
            photo.save(update_fields=["caption", "updated_at"])
    names = [b.name for b in item.bylines if b.role == "photographer"]
    if [c.person.name for c in photo.credits.select_related("person")] != names:
        photo.credits.all().delete()
        for position, name in enumerate(dict.fromkeys(names)):
            person = people.get(name, "photographer")
            PhotoCredit.objects.create(photo=photo, person=person, position=position)
        changed = True
    return changed


def _update(article, item, fields, people):
    """Bring a draft in line with the page; return whether anything changed."""
    changed = [name for name, value in fields.items() if getattr(article, name) != value]
    for name in changed:
        setattr(article, name, fields[name])
    if changed:
        article.save()
    changed_bylines = _set_bylines(article, item, people)
    changed_photo = article.kind == Article.Kind.PHOTO and _set_photo(article, item, people)
    return bool(changed or changed_bylines or changed_photo)


def import_page(text, *, date, number, name="", user=None):
    """Parse text and write it as draft copy on page number of the edition of date."""
    items = parse_page(text).items
    with transaction.atomic():
        page = _resolve_page(date, number, name)
        existing = {}
        for article in page.articles.order_by("pk"):
            key = _item_key(article.kind, article.headline, article.paragraphs)
            existing.setdefault(key, article)
        people = _People(b.name for item in items for b in item.bylines)
        result = ImportResult(page=page)
        for position, item in enumerate(items, start=1):
            fields = _article_fields(item, position)
            article = existing.pop(_item_key(fields["kind"], item.headline, item.paragraphs), None)
            if article is None:
                article = Article.objects.create(page=page, created_by=user, **fields)
                _set_bylines(article, item, people)
                if article.kind == Article.Kind.PHOTO:
                    _set_photo(article, item, people)
                outcome = result.created
            elif article.status != Article.Status.DRAFT:
                outcome = result.kept
            elif _update(article, item, fields, people):
                outcome = result.updated
            else:
                outcome = result.unchanged
            outcome.append(article)
            result.articles.append(article)
            if outcome is not result.kept:
                revisions.record(article, user=user, note=_("Imported from a page"))
                search.index_article(article)
        result.people_created = people.created
    return result
