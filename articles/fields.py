"""Callables that fields and migrations name by their import path: it must not change."""

import secrets


def page_pdf_name(page, filename):
    """Name a page PDF so that nobody can guess it before its edition is published."""
    return f"epaper/{secrets.token_urlsafe(18)}/page.pdf"
