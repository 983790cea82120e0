"""Revisions of an article's content: record and restore (compared in admin/diff.py).

A revision is a snapshot of what the copy says (text, section, bylines, tags,
photos), never of its workflow state: restoring an old revision brings the
words back without moving the article in the workflow.
"""

from articles.models import Revision, Section

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


def latest_number(article):
    """The number of article's latest revision, or None."""
    return article.revisions.order_by("-number").values_list("number", flat=True).first()


def existing_section(content):
    """Return the id of content's section, or None if it was deleted since."""
    section = content["section"]
    return section if section and Section.objects.filter(pk=section).exists() else None
