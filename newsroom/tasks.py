"""The project's own tasks: a probe that measures the queue (task_latency), the unlock e-mail."""

import smtplib

from django.conf import settings
from django.utils import timezone

from .background import retrying, task


@task()
def probe(label: str = "") -> dict:
    """Do nothing but say when it ran: the queue's latency is its start minus its enqueue."""
    return {"label": label, "ran_at": timezone.now().isoformat()}


@task()
@retrying(
    on=(OSError, smtplib.SMTPException),
    attempts=settings.NOTIFY_EMAIL_ATTEMPTS,
    backoff=settings.NOTIFY_EMAIL_BACKOFF_SECONDS,
)
def send_unlock_email(user_id: int, link: str) -> None:
    """E-mail a locked-out account its unlock link; a send that fails is tried again."""
    from .security import send_unlock_link

    send_unlock_link(user_id, link)
