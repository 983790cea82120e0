"""The project's own tasks: a probe that measures the queue (task_latency) and checks workers."""

from django.utils import timezone

from .background import task


@task()
def probe(label: str = "") -> dict:
    """Do nothing but say when it ran: the queue's latency is its start minus its enqueue."""
    return {"label": label, "ran_at": timezone.now().isoformat()}
