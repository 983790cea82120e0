"""Revisions of an article's content: record and restore (compared in admin/diff.py).

A revision is a snapshot of what the copy says (text, section, bylines, tags,
photos), never of its workflow state: restoring an old revision brings the
words back without moving the article in the workflow.
"""

from articles.models import ArticlePhoto, Byline, Revision, Section
from media.models import Photo
from people.models import Person

TEXT_FIELDS = [
    "kind",
    "kicker",
    "headline",
    "subheadline",
    "web_headline",
    "source",
    "body",
    "summary",
]


def snapshot(article):
    """Return the article's content as plain data."""
    return {
        "fields": {name: getattr(article, name) for name in TEXT_FIELDS},
        "section": article.section_id,
        "bylines": [
            {"person": b.person_id, "name": b.person.name, "role": b.role}
            for b in article.bylines.select_related("person").order_by("position", "pk")
        ],
        "tags": sorted(article.tags.names()),
        "photos": [
            {"photo": use.photo_id, "caption": use.caption}
            for use in article.article_photos.order_by("position", "pk")
        ],
    }


def record(article, *, user, note=""):
    """Keep a revision of article's content unless it equals the latest one."""
    content = snapshot(article)
    latest = article.revisions.order_by("-number").first()
    if latest is not None and latest.content == content:
        return latest
    return Revision.objects.create(
        article=article,
        number=latest.number + 1 if latest else 1,
        content=content,
        note=note[:200],
        created_by=user,
    )


def existing_section(content):
    """Return the id of content's section, or None if it was deleted since."""
    section = content["section"]
    return section if section and Section.objects.filter(pk=section).exists() else None


def apply(article, content):
    """Write content's bylines, tags and photos onto the saved article.

    People and photos deleted since are left out rather than failing. The
    text fields are the caller's to set before saving (services.restore_revision).
    """
    people = Person.objects.in_bulk([b["person"] for b in content["bylines"]])
    article.bylines.all().delete()
    Byline.objects.bulk_create(
        Byline(article=article, person=people[b["person"]], role=b["role"], position=n)
        for n, b in enumerate(content["bylines"])
        if b["person"] in people
    )
    article.tags.set(content["tags"])
    photos = Photo.objects.in_bulk([p["photo"] for p in content["photos"]])
    article.article_photos.all().delete()
    ArticlePhoto.objects.bulk_create(
        ArticlePhoto(article=article, photo=photos[p["photo"]], caption=p["caption"], position=n)
        for n, p in enumerate(content["photos"])
        if p["photo"] in photos
    )
