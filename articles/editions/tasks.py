"""The editions' background jobs: publishing an edition when it is due (publishing.publish_if_due)."""

import logging

from articles.desk.workflow import TransitionRefused
from articles.editions import publishing
from newsroom.background import task

logger = logging.getLogger(__name__)


@task()
def publish_when_due(edition_id: int) -> dict:
    """Publish edition_id if it is due; a no-op if it is not (any more), or published already."""
    try:
        edition = publishing.publish_if_due(edition_id)
    except TransitionRefused as refused:
        # Kept on the edition for the chief (publish_error); not a failure of the job.
        logger.warning("edition %s not published: %s", edition_id, refused)
        return {"edition": edition_id, "published": False, "refused": str(refused)}
    return {"edition": edition_id, "published": edition is not None}


def publish_missed_editions() -> int:
    """Publish the editions whose time has come and whose job was lost; a sweep (TASKS_SWEEPS).

    Its job may have been lost with its enqueue (Redis away, a process that
    died after the commit) or its worker; RQ drops a job whose worker died.
    """
    published, _failed = publishing.publish_due(sweep=True)
    return len(published)
