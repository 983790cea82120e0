"""The e-paper's background jobs: drawing and locating a page PDF (pages.process_pdf)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from newsroom.background import TaskContext, task
from newsroom.models import JobState

from ..models import Page
from . import pages

# A job waiting this long was probably never enqueued (the enqueue was lost
# after its commit): it is enqueued again. Duplicates do nothing.
WAITING_TOO_LONG = timedelta(minutes=2)


@task(takes_context=True)
def process_page_pdf(context: TaskContext, page_id: int, digest: str) -> dict:
    """Draw and locate page_id's pending PDF, if it is still the one with this digest."""
    result = pages.process_pdf(page_id, digest, claim=context.task_result.id)
    if result is None:
        return {"page": page_id, "done": False}
    return {
        "page": page_id,
        "done": not result.failed,
        "failed": result.failed,
        "found": result.found,
        "total": result.total,
        "removed": result.removed,
    }


def resume_stalled_pages() -> int:
    """Enqueue again the page PDFs whose job was lost; return how many (a sweep, TASKS_SWEEPS).

    A job is lost when its enqueue never reached the queue (the process died
    right after the commit, Redis was away) or its worker died and the
    backend does not run it again (RQ). The job decides for itself whether
    there is still anything to do, and fails a PDF that stopped its workers
    too often.
    """
    now = timezone.now()
    held_too_long = timedelta(seconds=settings.EPAPER_JOB_SECONDS) + pages.CLAIM_GRACE
    stalled = Page.objects.filter(
        pdf_job=JobState.WAITING, pdf_job_at__lt=now - WAITING_TOO_LONG
    ) | Page.objects.filter(pdf_job=JobState.PROCESSING, pdf_job_at__lt=now - held_too_long)
    count = 0
    for page_id, state, digest in stalled.values_list("pk", "pdf_job", "pdf_job_digest"):
        if state == JobState.WAITING:
            # Counted from now: not enqueued again at every sweep while the queue is long.
            Page.objects.filter(pk=page_id, pdf_job=state).update(pdf_job_at=now)
        process_page_pdf.enqueue(page_id, digest)
        count += 1
    return count
