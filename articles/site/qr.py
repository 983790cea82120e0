"""A QR code of an article's address, for a phone to scan off the screen or the printout."""

import io
from functools import lru_cache

import segno
from django.utils.safestring import mark_safe


@lru_cache(maxsize=4096)
def qr_svg(url):
    """Return url as an inline SVG QR code: no style attribute, no script (the CSP allows it).

    Encoding costs about as much as the rest of the page; an address's code
    never changes, so each process draws it once.
    """
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer,
        kind="svg",
        scale=3,
        border=2,
        xmldecl=False,
        svgns=True,
        svgclass="qr-code",
        lineclass=None,
        omitsize=False,
        dark="#1b1b1b",
    )
    # The picture is named by the element around it; the SVG itself is decoration.
    svg = (
        buffer.getvalue().decode().replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    )
    return mark_safe(svg)
