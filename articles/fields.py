"""Callables that fields and migrations name by their import path: it must not change."""

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _


def page_pdf_name(page, filename):
    """Name a page PDF so that nobody can guess it before its edition is published."""
    return f"epaper/{secrets.token_urlsafe(18)}/page.pdf"


def validate_footer_url(value: str) -> None:
    """Allow what a footer link may open: a path on this site, an http(s) page, an address to mail.

    Anything else (javascript:, data:, a protocol-relative //host) is refused
    here rather than left to the Content Security Policy to keep inert.
    """
    text = value.strip()
    if text.startswith("/") and not text.startswith("//"):
        return
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme in ("http", "https"):
        URLValidator(schemes=["http", "https"])(text)
        return
    if scheme == "mailto" and "@" in text:
        return
    raise ValidationError(
        _("A footer link opens a path on this site (/about/), an http(s) address or mailto:."),
        code="footer_url",
    )
