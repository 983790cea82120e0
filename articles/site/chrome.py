"""What every public page prints around its content: the chrome and the section bar.

The chrome (the stylesheet and feed links of the head, the masthead with the
paper's name, navigation and search box, and the footer from the site
settings) changes only with the site settings, whose save moves the site's
key; the section bar changes with the sections that have published copy.
Both are kept as fragments; a view that keeps its own parts as fragments
reads them all, with these two, in one round trip (kept_parts).
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from articles.cache import SECTIONS, SITE, add_keys, fragments, preread
from articles.site.footer import footer


def chrome_fragment():
    """Return (name, ident, keys) of the chrome in the current language."""
    return "chrome", translation.get_language(), [SITE]


def chrome():
    """Return the chrome's parts ({name, head, masthead, masthead_without_search, footer})."""
    name, ident, keys = chrome_fragment()

    def build(_missing):
        data = footer()
        context = {"site_name": data["name"] or settings.NEWSPAPER_NAME, "footer": data}
        parts = {
            "name": context["site_name"],
            "head": render_to_string("includes/site_head.html", context),
            "masthead": render_to_string("includes/masthead.html", {**context, "search": True}),
            "masthead_without_search": render_to_string("includes/masthead.html", context),
            "footer": render_to_string("includes/site_footer.html", context),
        }
        return {ident: (parts, ())}

    ((parts, _keys),) = fragments(name, {ident: keys}, build).values()
    return parts


def section_nav_fragment(current=None):
    """Return (name, ident, keys) of the section bar marking current (a section's pk or None)."""
    language = translation.get_language()
    return "section-nav", f"{language}:{current or ''}", [SECTIONS]


def preread_page(wanted=None, *, section=None):
    """Read the page's fragments ({name: {ident: keys}}), its section bar and chrome at once."""
    wanted = {name: dict(idents) for name, idents in (wanted or {}).items()}
    for name, ident, keys in (section_nav_fragment(section), chrome_fragment()):
        wanted.setdefault(name, {})[ident] = keys
    preread(wanted)


def kept_parts(request, parts, *, section=None, preview=False):
    """Return {name: value} of a page's parts, each kept as a fragment while what it shows stands.

    parts is {name: (ident, keys, build)}; build() returns (value, the keys
    of more content it shows). All of them, the section bar marking section
    and the chrome are read in one round trip, and the keys of what they
    show are added to the page's. The preview builds every part anew.
    """
    if preview:
        return {name: build()[0] for name, (_ident, _keys, build) in parts.items()}
    preread_page(
        {name: {ident: keys} for name, (ident, keys, _b) in parts.items()}, section=section
    )
    values = {}
    for name, (ident, keys, build) in parts.items():
        ((values[name], shown),) = fragments(
            name, {ident: keys}, lambda _missing, i=ident, b=build: {i: b()}
        ).values()
        add_keys(request, *shown)
    return values
