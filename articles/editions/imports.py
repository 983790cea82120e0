"""A page's text imported by a background job: asked for, run once, its outcome kept for people.

Part of the write path (articles/services.py). submit_import() checks that
the user may import pages and keeps the text with a job to import it
(articles/importer/tasks.py). run_import() is the job's work: it imports the
page (articles/importer/load.py, through the write path, as the user who
asked) and records it done in one transaction, so a failed import writes
nothing and a job run twice, or by two workers at once, imports once.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import permissions
from articles.importer.load import PageImportError, import_page
from articles.importer.parse import PageFormatError
from articles.models import PageImport
from articles.permissions import Refused
from newsroom.background import enqueue_on_commit
from newsroom.models import JobState

logger = logging.getLogger(__name__)
RUNNING = (JobState.WAITING, JobState.PROCESSING)
# An import takes seconds; one not done after this was lost (an enqueue that
# never reached RQ, an RQ worker that died: the database backend runs a lost
# worker's job again within a minute).
LOST_AFTER = timedelta(minutes=15)


def submit_import(text, *, date, number, name="", user):
    """Keep text with a job that imports it as user's drafts on page number of date's edition."""
    if not permissions.may_import_pages(user):
        raise Refused(_("Only editors may import pages."))
    with transaction.atomic():
        row = PageImport.objects.create(
            text=text, date=date, number=number, name=name, requested_by=user
        )
        from articles.importer.tasks import import_page_text

        enqueue_on_commit(import_page_text, row.pk)
    return row


def run_import(import_id):
    """Import the page of import_id unless done or failed already; return the PageImport, or None."""
    row = PageImport.objects.filter(pk=import_id, state__in=RUNNING).first()
    if row is None:
        return None
    PageImport.objects.filter(pk=import_id, state__in=RUNNING).update(
        state=JobState.PROCESSING, progress=10
    )
    try:
        with transaction.atomic():
            # Held until the import commits: a second run waits, then finds it done.
            row = (
                PageImport.objects.select_for_update(of=("self",))
                .select_related("requested_by")
                .filter(pk=import_id, state__in=RUNNING)
                .first()
            )
            if row is None:
                return None
            if row.requested_by is None or not permissions.may_import_pages(row.requested_by):
                raise Refused(_("The account that asked for this import may no longer import."))
            result = import_page(
                row.text, date=row.date, number=row.number, name=row.name, user=row.requested_by
            )
            row.state, row.progress, row.finished_at = JobState.DONE, 100, timezone.now()
            row.result = outcome(result)
            row.save(update_fields=["state", "progress", "finished_at", "result"])
    except (PageFormatError, PageImportError, Refused) as error:
        _fail(import_id, str(error))
        return PageImport.objects.get(pk=import_id)
    except Exception:
        # A bug or a database that went away: nothing was written; say so, and let
        # the job fail with its traceback for whoever reads the job records.
        _fail(import_id, _("The import stopped on an error; nothing was written."))
        raise
    return row


def _fail(import_id, reason):
    PageImport.objects.filter(pk=import_id, state__in=RUNNING).update(
        state=JobState.FAILED, progress=0, error=reason, finished_at=timezone.now()
    )


def fail_lost_imports():
    """Say of the imports not done after LOST_AFTER that they were lost; a sweep (TASKS_SWEEPS).

    Nothing of theirs was written (an import commits with its done mark),
    so the editor may import the page again. One still running holds its
    row: this waits for it, then finds it done.
    """
    lost = PageImport.objects.filter(
        state__in=RUNNING, requested_at__lt=timezone.now() - LOST_AFTER
    ).values_list("pk", flat=True)
    for import_id in list(lost):
        _fail(
            import_id,
            _(
                "The import did not finish within %(minutes)s minutes (its worker may have "
                "stopped); nothing was written. Import the page again."
            )
            % {"minutes": int(LOST_AFTER.total_seconds() // 60)},
        )


def forget_old_imports():
    """Drop finished imports (their text with them) past TASKS_KEEP_DAYS; a sweep (TASKS_SWEEPS)."""
    before = timezone.now() - timedelta(days=settings.TASKS_KEEP_DAYS)
    PageImport.objects.filter(finished_at__lt=before).delete()


def outcome(result):
    """What an import wrote, as the import's page shows it (JSON)."""
    return {
        "page": result.page.pk,
        "edition": result.page.edition_id,
        "page_label": str(result.page),
        **{
            name: len(getattr(result, name))
            for name in ("created", "updated", "unchanged", "kept", "joined")
        },
        "warnings": [
            {"line": getattr(w, "line", 0), "code": w.code, "message": str(w.message)}
            for w in result.warnings
        ],
    }
