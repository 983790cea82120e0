"""The e-paper's writes: attach a page PDF, locate the articles again, correct a zone.

Part of the write path (articles/services.py): each asks
articles.permissions whether the user may change the page now (an editor,
while the edition is being planned: signed-off and published editions are
read-only until reopened), locks it and raises its version. A refusal raises
permissions.Refused and changes nothing; a file that is not a page PDF
raises render.PagePDFError, and nothing is stored.
"""

import posixpath
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from articles.epaper.locate import Copy, locate
from articles.epaper.render import render
from articles.models import Article, ArticleZone, Page
from articles.permissions import Refused, why_not_change_page


@dataclass
class Located:
    """What locating a page found: how many of its articles, and which were not."""

    page: Page
    found: int
    total: int
    missing: list

    @property
    def share(self):
        return self.found / self.total if self.total else 1.0


def _locked(page, user):
    locked = Page.objects.select_for_update().select_related("edition").get(pk=page.pk)
    if reason := why_not_change_page(user, locked):
        raise Refused(reason)
    # What a form opened before this change shows is out of date now.
    Page.objects.filter(pk=locked.pk).update(version=F("version") + 1)
    return locked


def attach_pdf(page, data, *, user):
    """Store data as page's PDF with its web pictures, and locate its articles."""
    if reason := why_not_change_page(user, page):
        raise Refused(reason)
    rendered = render(data)  # refuses anything but a one-page PDF, before any write
    with transaction.atomic():
        locked = _locked(page, user)
        old = stored_files(locked)
        locked.pdf.save("page.pdf", ContentFile(data), save=False)
        folder = posixpath.dirname(locked.pdf.name)
        storage = locked.pdf.storage
        renditions = []
        for picture in rendered.pictures:
            name = storage.save(posixpath.join(folder, picture.name), ContentFile(picture.data))
            renditions.append(
                {
                    "kind": picture.kind,
                    "name": posixpath.basename(name),
                    "width": picture.width,
                    "height": picture.height,
                    "content_type": picture.content_type,
                }
            )
        locked.facsimile = {
            "width": rendered.width,
            "height": rendered.height,
            "renditions": renditions,
        }
        locked.save(update_fields=["pdf", "facsimile"])
        # The previous PDF's zones were measured on another page: only an
        # editor's corrections survive, and are checked again by eye.
        result = _locate(locked, data)
        transaction.on_commit(lambda: _delete(storage, old))
    return result


def relocate(page, *, user):
    """Locate the page's articles on its PDF again, keeping editors' zones."""
    with transaction.atomic():
        locked = _locked(page, user)
        if not locked.pdf:
            raise Refused(_("This page has no PDF yet."))
        with locked.pdf.open("rb") as handle:
            data = handle.read()
        return _locate(locked, data)


def correct_zone(page, article, *, user, left, top, width, height):
    """Set article's zone on page by hand; it is kept when the page is located again."""
    values = {"left": left, "top": top, "width": width, "height": height}
    for name, value in values.items():
        if not isinstance(value, int | float) or not 0 <= value <= 1:
            raise Refused(
                _("%(name)s must be a fraction of the page, from 0 to 1.") % {"name": name}
            )
    if width <= 0 or height <= 0 or left + width > 1.0001 or top + height > 1.0001:
        raise Refused(_("The zone must have a size and lie inside the page."))
    with transaction.atomic():
        locked = _locked(page, user)
        if article.page_id != locked.pk:
            raise Refused(_("“%(title)s” is not on this page.") % {"title": article})
        zone, _created = ArticleZone.objects.update_or_create(
            page=locked,
            article=article,
            defaults={**values, "is_manual": True, "score": 1.0},
        )
    return zone


def forget_zone(page, article, *, user):
    """Drop an editor's zone for article and locate it from the PDF again."""
    with transaction.atomic():
        locked = _locked(page, user)
        ArticleZone.objects.filter(page=locked, article=article).delete()
        if not locked.pdf:
            return None
        with locked.pdf.open("rb") as handle:
            return _locate(locked, handle.read())


def copies_of(page):
    """Return what locate() looks for: the page's articles with the text they print."""
    copies = []
    for article in page.articles.prefetch_related("article_photos__photo"):
        uses = list(article.article_photos.all())
        captions = (
            [use.display_caption for use in uses] if article.kind != Article.Kind.PHOTO else []
        )
        copies.append(
            Copy(
                key=article.pk,
                texts=[
                    article.kicker,
                    article.headline,
                    article.subheadline,
                    *article.paragraphs,
                    *captions,
                ],
                has_picture=bool(uses) or article.kind == Article.Kind.PHOTO,
            )
        )
    return copies


def _locate(page, data):
    copies = copies_of(page)
    zones = locate(data, copies)
    manual = set(page.zones.filter(is_manual=True).values_list("article_id", flat=True))
    page.zones.filter(is_manual=False).delete()
    ArticleZone.objects.bulk_create(
        ArticleZone(
            page=page,
            article_id=key,
            left=zone.left,
            top=zone.top,
            width=zone.width,
            height=zone.height,
            score=zone.score,
        )
        for key, zone in zones.items()
        if key not in manual
    )
    missing = [copy.key for copy in copies if copy.key not in zones and copy.key not in manual]
    return Located(page=page, found=len(copies) - len(missing), total=len(copies), missing=missing)


def stored_files(page):
    """Return the storage names of page's PDF and pictures."""
    if not page.pdf:
        return []
    folder = posixpath.dirname(page.pdf.name)
    return [page.pdf.name] + [
        posixpath.join(folder, item["name"]) for item in page.facsimile.get("renditions", [])
    ]


def _delete(storage, names):
    for name in names:
        storage.delete(name)
