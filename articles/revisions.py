"""Revisions of an article's content: record, compare, restore.

A revision is a snapshot of what the copy says (text, section, bylines, tags,
photos), never of its workflow state: restoring an old revision brings the
words back without moving the article in the workflow.
"""

import difflib

from django.db import transaction
from django.db.models import F
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from media.models import Photo
from people.models import Person

from . import search
from .models import Article, ArticlePhoto, Byline, Revision, Section
from .workflow import TransitionRefused, can_edit, correct

TEXT_FIELDS = ["kind", "kicker", "headline", "subheadline", "source", "body", "summary"]


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


def restore(revision, *, user, correction=""):
    """Bring back revision's content as a new revision; the status stays as it is."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=revision.article_id)
        if not can_edit(user, article):
            raise TransitionRefused(
                _("You may not change this article while it is %(status)s.")
                % {"status": article.get_status_display()}
            )
        content = revision.content
        if article.status == Article.Status.PUBLISHED:
            correct(article, user=user, note=correction)
        for name, value in content["fields"].items():
            setattr(article, name, value)
        article.section = Section.objects.filter(pk=content["section"]).first()
        article.updated_by = user
        article.version = F("version") + 1
        article.save()
        article.refresh_from_db()

        # People and photos deleted since are left out rather than failing.
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
            ArticlePhoto(
                article=article, photo=photos[p["photo"]], caption=p["caption"], position=n
            )
            for n, p in enumerate(content["photos"])
            if p["photo"] in photos
        )
        search.index_article(article)
        return record(
            article, user=user, note=_("Restored revision %(number)s") % {"number": revision.number}
        )


# --- reading the difference -------------------------------------------------

CONTEXT = 24  # characters of unchanged text kept around a change


def char_diff(old, new):
    """Mark what changed between two texts, character by character (Chinese has no spaces)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    parts = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            same = old[i1:i2]
            if len(same) > 2 * CONTEXT + 1:
                same = f"{same[:CONTEXT]} … {same[-CONTEXT:]}"
            parts.append(format_html("{}", same))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", old[i1:i2]))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", new[j1:j2]))
    return mark_safe("".join(parts))


def _list_diff(old, new):
    removed = [item for item in old if item not in new]
    added = [item for item in new if item not in old]
    return format_html_join(" ", "<del>{}</del>", ((x,) for x in removed)) + format_html_join(
        " ", "<ins>{}</ins>", ((x,) for x in added)
    )


def _byline_text(bylines):
    return [f"{b['name']}（{Byline.Role(b['role']).label}）" for b in bylines]


def changes(old, new):
    """Return (label, marked-up difference) for each part of the content that changed."""
    old = old or {"fields": {}, "section": None, "bylines": [], "tags": [], "photos": []}
    result = []
    labels = {name: Article._meta.get_field(name).verbose_name for name in TEXT_FIELDS}
    for name in TEXT_FIELDS:
        before, after = old["fields"].get(name, ""), new["fields"].get(name, "")
        if before != after:
            result.append((labels[name], char_diff(before, after)))
    if old["section"] != new["section"]:
        sections = Section.objects.in_bulk([s for s in (old["section"], new["section"]) if s])
        names = [str(sections.get(s, "—")) for s in (old["section"], new["section"])]
        result.append((_("section"), _list_diff(names[:1], names[1:])))
    for key, label, text in (
        ("bylines", _("bylines"), _byline_text),
        ("tags", _("tags"), list),
        ("photos", _("photos"), lambda ps: [f"#{p['photo']} {p['caption']}".strip() for p in ps]),
    ):
        if old[key] != new[key]:
            result.append((label, _list_diff(text(old[key]), text(new[key]))))
    return result
