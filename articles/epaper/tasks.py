"""The e-paper's background jobs: drawing and locating a page PDF (pages.process_pdf)."""

from articles.epaper import pages
from newsroom.background import TaskContext, task


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
    stalled = pages.stalled_jobs()
    for page_id, digest in stalled:
        process_page_pdf.enqueue(page_id, digest)
    return len(stalled)
