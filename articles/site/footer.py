"""What the footer says about the paper: the site settings, remembered per public version.

Every public page prints the footer and is cached whole for every reader, so
the settings are read once per public version, not once per page; saving them
moves the version (services.save_site_settings), and every cached page shows the change.
"""

import re

from django.conf import settings
from django.core.cache import cache

from ..cache import current_version
from ..models import SiteSettings


def _load():
    row = SiteSettings.objects.prefetch_related("links").order_by("pk").first()
    if row is None:
        return {"name": "", "links": [], "contact_lines": []}
    return {
        "name": row.name,
        "icp_number": row.icp_number,
        "police_number": row.police_number,
        "report_phone": row.report_phone,
        "report_phone_digits": re.sub(r"[^\d+]", "", row.report_phone),
        "report_email": row.report_email,
        "contact_lines": [line.strip() for line in row.contact.splitlines() if line.strip()],
        "links": [{"label": link.label, "url": link.url} for link in row.links.all()],
    }


def footer():
    """Return the footer's settings as a dict (cached until the public version moves).

    Keyed by the version alone: no scheduled publication changes the footer.
    """
    key = f"newsroom:site-settings:{current_version()}"
    value = cache.get(key)
    if value is None:
        value = _load()
        cache.set(key, value, settings.PUBLIC_CACHE_TIMEOUT)
    return value


def paper_name():
    return footer()["name"] or settings.NEWSPAPER_NAME
