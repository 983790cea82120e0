"""The site's own settings: the chief editor's."""

from django.utils.translation import gettext as _


def why_not_change_site_settings(user):
    if not user.has_perm("articles.change_sitesettings"):
        return _("Only the chief editor changes the site settings.")
    return None
