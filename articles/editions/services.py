"""The write path of editions and pages (their dates, numbers, names and page editors)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Field

from articles import permissions
from articles.models import (
    Article,
    Edition,
    Page,
)
from articles.permissions import refuse_unless
from articles.versions import bump, check_version

if TYPE_CHECKING:
    from django.contrib.auth.models import User

S = Article.Status

# Edition fields the workflow owns; a form never writes them.
EDITION_WORKFLOW_FIELDS = [
    "status",
    "signed_off_by",
    "signed_off_at",
    "scheduled_at",
    "scheduled_by",
    "published_at",
    "published_by",
]


# --- editions and pages ----------------------------------------------------------------------


def save_edition(edition: Edition, *, user: User, base_version: int | str | None = None) -> Edition:
    """Save an edition's date and number as user, while it is being planned."""
    with transaction.atomic():
        if edition.pk is None:
            refuse_unless(permissions.why_not_change_edition(user, edition))
            for name in EDITION_WORKFLOW_FIELDS:
                field = Edition._meta.get_field(name)
                assert isinstance(field, Field)  # the edition's own columns
                setattr(edition, field.attname, field.get_default())
            edition.save()
        else:
            current = Edition.objects.select_for_update().get(pk=edition.pk)
            refuse_unless(permissions.why_not_change_edition(user, current))
            check_version(current, base_version)
            for name in EDITION_WORKFLOW_FIELDS:
                field = Edition._meta.get_field(name)
                assert isinstance(field, Field)
                attname = field.attname
                setattr(edition, attname, getattr(current, attname))
            edition.version = current.version
            edition.save()
            bump(Edition, edition)
        return edition


def delete_edition(edition: Edition, *, user: User) -> None:
    with transaction.atomic():
        current = Edition.objects.select_for_update().get(pk=edition.pk)
        refuse_unless(permissions.why_not_delete_edition(user, current))
        current.delete()


def save_page(page: Page, *, user: User, base_version: int | str | None = None) -> Page:
    """Save a page (number, name, page editor) of an edition being planned."""
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=page.edition_id)
        if page.pk is None:
            refuse_unless(permissions.why_not_change_page(user, page, edition))
            page.save()
            return page
        current = Page.objects.select_for_update().get(pk=page.pk)
        refuse_unless(permissions.why_not_change_page(user, current, edition))
        check_version(current, base_version)
        page.version = current.version
        page.save()
        bump(Page, page)
        return page


def delete_page(page: Page, *, user: User) -> None:
    with transaction.atomic():
        current = Page.objects.select_for_update().get(pk=page.pk)
        refuse_unless(permissions.why_not_delete_page(user, current))
        current.delete()
