"""What the footer says about the paper: the site settings, remembered per public version.

Every public page prints the footer and is cached whole for every reader, so
the settings are read once per public version, not once per page; saving them
moves the version (save_site_settings), and every cached page shows the change.
"""

import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from ..cache import current_version, public_content_changed
from ..models import SiteSettings
from ..workflow import TransitionRefused

PERM_CHANGE = "articles.change_sitesettings"


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


def save_site_settings(row, *, user, save_links=None):
    """Save the site settings as user, then refresh every cached public page."""
    if not user.has_perm(PERM_CHANGE):
        raise TransitionRefused(_("Only the chief editor changes the site settings."))
    with transaction.atomic():
        row.save()
        if save_links is not None:
            save_links()
        public_content_changed()
    return row
