"""What every public page prints around its content: the section bar and the footer.

Both are kept in the cache (the section bar as a fragment, the footer's
settings as a remembered value); a view that names its own fragments reads
them all, with these two, in one round trip (preread_page).
"""

from django.utils import translation

from ..cache import SECTIONS, SITE, preread, remembered_ident

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
