"""The write path of what the public site says about the paper."""

from django.db import transaction

from articles import permissions
from articles.cache import (
    public_content_changed,
)
from articles.models import (
    Article,
)
from articles.permissions import refuse_unless

S = Article.Status

# --- the site's own settings ------------------------------------------------------------


def save_site_settings(row, *, user, write=None):
    """Save what the public footer says about the paper, then refresh every public page."""
    with transaction.atomic():
        refuse_unless(permissions.why_not_change_site_settings(user))
        row.save()
        if write:
            write(row)
        public_content_changed()  # the footer is on every page
    return row
