"""What the footer says about the paper: the site settings, remembered under the site's key.

Every public page prints the footer and is cached whole for every reader, so
the settings are read once while the site's version stands, not once per
page; saving them moves it (services.save_site_settings), and every cached
page shows the change.
"""

import re

from articles.cache import SITE, remembered
from articles.models import SiteSettings


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
    """Return the footer's settings as a dict, kept until the site's version moves.

    Saving the settings drops every public page (services.save_site_settings
    changes the site key), and with them this.
    """
    return remembered("site-settings", (), _load, keys=[SITE])
