"""What every public page prints around its content: the section bar and the footer.

Both are kept in the cache (the section bar as a fragment, the footer's
settings as a remembered value); a view that keeps its own parts as
fragments reads them all, with these two, in one round trip (kept_parts).
"""

from django.utils import translation

from ..cache import SECTIONS, SITE, add_keys, fragments, preread, remembered_ident

FOOTER = ("remembered", remembered_ident("site-settings", ()), [SITE])


def section_nav_fragment(current=None):
    """Return (name, ident, keys) of the section bar marking current (a section's pk or None)."""
    language = translation.get_language()
    return "section-nav", f"{language}:{current or ''}", [SECTIONS]


def preread_page(wanted=None, *, section=None):
    """Read the page's fragments ({name: {ident: keys}}), its section bar and footer at once."""
    wanted = {name: dict(idents) for name, idents in (wanted or {}).items()}
    for name, ident, keys in (section_nav_fragment(section), FOOTER):
        wanted.setdefault(name, {})[ident] = keys
    preread(wanted)


def kept_parts(request, parts, *, section=None, preview=False):
    """Return {name: value} of a page's parts, each kept as a fragment while what it shows stands.

    parts is {name: (ident, keys, build)}; build() returns (value, the keys
    of more content it shows). All of them, the section bar marking section
    and the footer are read in one round trip, and the keys of what they
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
