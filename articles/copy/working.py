"""Working copies (autosave): what a person typed in an article's form and has not saved.

The form sends what is typed every few seconds and when the page is left
(static/newsroom/autosave.js); it is kept here, one per person and article
(and one per person for copy not filed yet), apart from the article and its
revisions. Only its owner ever reads it; nothing public reads the table.
Saving the article drops it (articles.copy.services.save_article); the
owner may discard it; the workers' sweep prunes those older than
settings.WORKING_COPY_DAYS.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import permissions
from articles.copy.bodytext import normalize_body
from articles.copy.revisions import TEXT_FIELDS
from articles.models import Article, Section, WorkingCopy
from articles.permissions import Refused, refuse_unless

# What is kept: the form's text and its section (bylines, tags and photos are rows, saved at once).
KEPT_FIELDS = [*TEXT_FIELDS, "section"]
# A field longer than this is no story: refused rather than stored.
MAX_CHARS = 200_000


def keep_working_copy(*, user, article=None, fields, base_version=None):
    """Keep what user typed in article's form (None: new copy) as their working copy."""
    refuse_unless(permissions.why_not_keep_working_copy(user, article))
    values = {name: str(fields[name]) for name in KEPT_FIELDS if name in fields}
    if any(len(value) > MAX_CHARS for value in values.values()):
        raise Refused(_("The text is too long to keep."))
    WorkingCopy.objects.update_or_create(
        owner=user,
        article=article,
        defaults={"fields": values, "base_version": base_version, "saved_at": timezone.now()},
    )


def discard_working_copy(*, user, article=None):
    """Drop user's working copy of article (None: of new copy), if there is one."""
    WorkingCopy.objects.filter(owner=user, article=article).delete()


def working_copy_of(user, article=None):
    """Return user's own working copy of article (None: of new copy), or None."""
    if not user.is_authenticated:
        return None
    return WorkingCopy.objects.filter(owner=user, article=article).first()


def prune_working_copies():
    """Drop working copies older than settings.WORKING_COPY_DAYS; return how many (a sweep)."""
    cutoff = timezone.now() - datetime.timedelta(days=settings.WORKING_COPY_DAYS)
    deleted, _by_model = WorkingCopy.objects.filter(saved_at__lt=cutoff).delete()
    return deleted


def differences(working, article=None):
    """Return (label, old, new) for each kept field whose typed value differs from the saved one."""
    found = []
    for name in KEPT_FIELDS:
        if name not in working.fields:
            continue
        typed = working.fields[name]
        if name == "section":
            saved = str(article.section_id or "") if article else ""
            if typed != saved:
                names = dict(
                    Section.objects.filter(
                        pk__in=[v for v in (saved, typed) if v.isdigit()]
                    ).values_list("pk", "name")
                )
                found.append(
                    (
                        _("section"),
                        str(names.get(int(saved), "—")) if saved.isdigit() else "—",
                        str(names.get(int(typed), "—")) if typed.isdigit() else "—",
                    )
                )
            continue
        saved = getattr(article, name) if article else ""
        if name == "kind" and not article:
            continue  # a new form's kind is its default, not something typed
        if name == "body":  # as a save would store it
            typed = normalize_body(typed.replace("\r\n", "\n"))
            saved = normalize_body(saved or "")
        if typed.strip() != (saved or "").strip():
            found.append((Article._meta.get_field(name).verbose_name, saved or "", typed))
    return found
