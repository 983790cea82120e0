"""What every public page prints around its content: the chrome and the section bar.

The chrome (the stylesheet and feed links of the head, the masthead with the
paper's name, navigation and search box, and the footer from the site
settings) changes only with the site settings, whose save moves the site's
key; the section bar changes with the sections that have published copy.
Both are kept as fragments; a view that keeps its own parts as fragments
reads them all, with these two, in one round trip (kept_parts), and hands
them to the page (page_context) so that it reads neither again.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from articles.cache import SECTIONS, SITE, add_keys, fragments, fragments_of
from articles.selectors import public_sections
from articles.site.footer import footer


def chrome_fragment():
    """Return (name, ident, keys) of the chrome in the current language."""
    return "chrome", translation.get_language(), [SITE]


def _build_chrome(missing):
    data = footer()
    context = {"site_name": data["name"] or settings.NEWSPAPER_NAME, "footer": data}
    parts = {
        "name": context["site_name"],
        "head": render_to_string("includes/site_head.html", context),
        "masthead": render_to_string("includes/masthead.html", {**context, "search": True}),
        "masthead_without_search": render_to_string("includes/masthead.html", context),
        "footer": render_to_string("includes/site_footer.html", context),
    }
    return dict.fromkeys(missing, (parts, ()))


def chrome():
    """Return the chrome's parts ({name, head, masthead, masthead_without_search, footer})."""
    name, ident, keys = chrome_fragment()
    ((parts, _keys),) = fragments(name, {ident: keys}, _build_chrome).values()
    return parts


def section_nav_fragment(current=None):
    """Return (name, ident, keys) of the section bar marking current (a section's pk or None)."""
    language = translation.get_language()
    return "section-nav", f"{language}:{current or ''}", [SECTIONS]


def section_nav_builder(current=None):
    """Return the build() of the section bar marking current."""

    def build(missing):
        html = render_to_string(
            "includes/section_nav.html", {"sections": public_sections(), "current": current}
        )
        return dict.fromkeys(missing, (html, ()))

    return build


def kept_parts(request, parts, *, section=None, preview=False):
    """Return {name: value} of a page's parts, each kept as a fragment while what it shows stands.

    parts is {name: (ident, keys, build)}; build() returns (value, the keys
    of more content it shows). All of them, the section bar marking section
    and the chrome are read in one round trip, and the keys of what they
    show are added to the page's; the section bar and the chrome come back
    under "section-nav" and "chrome" (page_context). The preview builds every
    part of its own anew.
    """
    wanted = {}
    if not preview:
        for name, (ident, keys, build) in parts.items():
            wanted[name] = ({ident: keys}, lambda _missing, i=ident, b=build: {i: b()})
    nav_name, nav_ident, nav_keys = section_nav_fragment(section)
    chrome_name, chrome_ident, chrome_keys = chrome_fragment()
    wanted[nav_name] = ({nav_ident: nav_keys}, section_nav_builder(section))
    wanted[chrome_name] = ({chrome_ident: chrome_keys}, _build_chrome)
    kept = fragments_of(wanted)
    values = {}
    for name, found in kept.items():
        ((values[name], shown),) = found.values()
        if name in parts:
            add_keys(request, *shown)
    if preview:
        values.update({name: build()[0] for name, (_ident, _keys, build) in parts.items()})
    return values


def page_context(values):
    """Return what the page's template prints of the chrome and section bar kept_parts() read."""
    chrome_parts = values["chrome"]
    return {
        "chrome": chrome_parts,
        "site_name": chrome_parts["name"],
        "section_nav_html": mark_safe(values["section-nav"]),
    }
