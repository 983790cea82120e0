"""What changed between two revisions, marked up character by character (Chinese has no spaces)."""

from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from articles.copy.revisions import TEXT_FIELDS
from articles.copy.tracking import char_diff
from articles.models import Article, Byline, Section
from media.models import Photo


def _list_diff(old, new):
    removed = [item for item in old if item not in new]
    added = [item for item in new if item not in old]
    return format_html_join(" ", "<del>{}</del>", ((x,) for x in removed)) + format_html_join(
        " ", "<ins>{}</ins>", ((x,) for x in added)
    )


def _byline_text(bylines):
    return [f"{b['name']}（{Byline.Role(b['role']).label}）" for b in bylines]


def _kind_label(value):
    return str(Article.Kind(value).label) if value in Article.Kind.values else value


def _photo_text(uses):
    """Each photo by the caption it printed with (its own when the use kept none), not its id."""
    captions = dict(
        Photo.objects.filter(pk__in=[use["photo"] for use in uses]).values_list("pk", "caption")
    )
    return [
        use["caption"] or captions.get(use["photo"]) or _("a photo without a caption")
        for use in uses
    ]


def changes(old, new):
    """Return (label, marked-up difference) for each part of the content that changed."""
    old = old or {"fields": {}, "section": None, "bylines": [], "tags": [], "photos": []}
    result = []
    labels = {name: Article._meta.get_field(name).verbose_name for name in TEXT_FIELDS}
    for name in TEXT_FIELDS:
        before, after = old["fields"].get(name, ""), new["fields"].get(name, "")
        if before != after:
            if name == "kind":
                # A choice: its name in the reader's language, never its code.
                before, after = (_kind_label(v) for v in (before, after))
            result.append((labels[name], char_diff(before, after)))
    if old["section"] != new["section"]:
        sections = Section.objects.in_bulk([s for s in (old["section"], new["section"]) if s])
        names = [str(sections.get(s, "—")) for s in (old["section"], new["section"])]
        result.append((_("section"), _list_diff(names[:1], names[1:])))
    for key, label, text in (
        ("bylines", _("bylines"), _byline_text),
        ("tags", _("tags"), list),
        ("photos", _("photos"), _photo_text),
    ):
        if old[key] != new[key]:
            result.append((label, _list_diff(text(old[key]), text(new[key]))))
    return result
