"""The write path of what the public site says about the paper."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction

from articles import permissions
from articles.cache import public_content_changed
from articles.fields import validate_footer_url
from articles.models import FooterLink
from articles.permissions import Refused, refuse_unless

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from articles.models import SiteSettings


class Link(NamedTuple):
    """A link of the public footer: its words and where it goes."""

    label: str
    url: str


def save_site_settings(
    row: SiteSettings, *, user: User, links: Sequence[Link] | None = None
) -> SiteSettings:
    """Save what the public footer says about the paper, then refresh every public page.

    links (Links, in order), when given, replace the footer's links.
    """
    with transaction.atomic():
        refuse_unless(permissions.why_not_change_site_settings(user))
        for link in links or ():
            try:
                validate_footer_url(link.url)
            except ValidationError as error:
                raise Refused(error.messages[0], "links") from None
        row.save()
        if links is not None:
            row.links.all().delete()
            FooterLink.objects.bulk_create(
                FooterLink(settings=row, label=link.label, url=link.url, position=position)
                for position, link in enumerate(links)
            )
        public_content_changed()  # the footer is on every page
    return row
