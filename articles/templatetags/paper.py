"""Template tags that print copy the way the paper does."""

import json
from functools import lru_cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from articles.cache import fragments
from articles.copy.printing import format_dateline, group_credits, wrap_dateline
from articles.site.chrome import section_nav_builder, section_nav_fragment
from media.models import format_credit

register = template.Library()

# What json_script escapes: nothing in the data can close the <script> element
# or open a comment, whatever a headline contains.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _credits_html(bylines):
    parts = []
    for label, group in group_credits(bylines):
        names = format_html_join(
            " ",
            '<a href="{}" rel="author">{}</a>',
            ((byline.person.get_absolute_url(), byline.person.name) for byline in group),
        )
        parts.append(format_html("{} {}", label, names) if label else names)
    return mark_safe(" ".join(parts))


@register.simple_tag
def credits(article):
    """Print '记者 林晓 通讯员 周敏', each name linking to the person's page."""
    return _credits_html(article.bylines.all())


@register.simple_tag
def dateline(article):
    """Print the dateline, 本报讯(记者 司勇 通讯员 米雪), each name a link."""
    bylines = list(article.bylines.all())
    if not article.source and not bylines:
        return ""
    text = wrap_dateline(conditional_escape(article.source), _credits_html(bylines))
    return format_html('<span class="dateline">{}</span>', mark_safe(text))


@register.simple_tag
def printed_dateline(item):
    """Print a parsed page item's credit as the paper does: its dateline, or 甲乙 摄 for a picture."""
    if item.kind == "photo":
        return format_credit([byline.name for byline in item.bylines])
    return format_dateline(item.source, item.bylines)


@register.simple_tag
def copy_time(article, date_format="DATETIME_FORMAT"):
    """When the copy ran, as a <time>: print copy by its edition's date (the day it was in
    the paper, whenever the edition went online), web copy by its time of publication."""
    page = article.page if article.page_id else None
    if page is not None and page.edition.is_public:
        day = page.edition.date
        return format_html('<time datetime="{}">{}</time>', day.isoformat(), date_format_of(day))
    if not article.published_at:
        return ""
    return format_html(
        '<time datetime="{}">{}</time>',
        machine_time(article.published_at),
        formats.date_format(timezone.localtime(article.published_at), date_format),
    )


def date_format_of(day):
    return formats.date_format(day, "DATE_FORMAT")


@register.filter
def machine_time(value):
    """Return value for <time datetime>: local time to the second, 2026-11-27T06:30:15+08:00.

    Django's "c" format keeps microseconds; HTML allows at most three digits of a second.
    """
    if not value:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")


@register.filter
def jsonld(data):
    """Return data as a JSON-LD <script> block that no string in it can break out of."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_JSON_SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def section_nav(context, current=None):
    """The sections that have published copy, for the navigation bar; kept until they change.

    current is the pk of the section to mark (the page needs no Section for
    it). A view that read its parts with kept_parts() hands the bar over
    (section_nav_html), marking the same section: it is not read again.
    """
    kept = context.get("section_nav_html")
    if kept is not None:
        return kept
    name, ident, keys = section_nav_fragment(current)
    ((html, _keys),) = fragments(name, {ident: keys}, section_nav_builder(current)).values()
    return mark_safe(html)


@register.simple_tag
def asset(path):
    """Return the URL of a static file, as {% static %} does, worked out once per process.

    For the scripts of pages rendered on every request: a deployment's files
    and their hashed names do not change while its processes run.
    """
    return _asset_url(path)


@lru_cache(maxsize=64)
def _asset_url(path):
    return static(path)


@receiver(setting_changed)
def _forget_assets(*, setting, **kwargs):
    if setting in {"STATIC_URL", "STATIC_ROOT", "STORAGES"}:
        _asset_url.cache_clear()
