"""The desk's background jobs: e-mailing notifications (notifications.send_emails)."""

import smtplib

from django.conf import settings

from articles.desk import notifications
from newsroom.background import retrying, task


@task()
@retrying(
    on=(OSError, smtplib.SMTPException),
    attempts=settings.NOTIFY_EMAIL_ATTEMPTS,
    backoff=settings.NOTIFY_EMAIL_BACKOFF_SECONDS,
    gave_up=notifications.email_given_up,
)
def send_notification_emails(ids: list[int]) -> None:
    """E-mail the notifications ids; a send that fails is tried again, then marked failed."""
    notifications.send_emails(ids)
