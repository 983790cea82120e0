"""What the task framework keeps besides its jobs (newsroom/background.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    """Where a piece of background work on a record stands, as the people waiting for it see it."""

    WAITING = "waiting", _("waiting")
    PROCESSING = "processing", _("processing")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class TaskWorker(models.Model):
    """A worker started by `manage.py run_worker`, and when it last said it was alive.

    The database backend marks a job RUNNING when a worker takes it and
    nothing more: a worker killed mid-job would leave the job RUNNING for
    ever. A job whose worker has gone silent is given to another
    (background.recover_lost_jobs).
    """

    id = models.CharField(_("worker"), max_length=64, primary_key=True)
    host = models.CharField(_("host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    backend = models.CharField(_("backend"), max_length=32)
    started_at = models.DateTimeField(_("started at"))
    seen_at = models.DateTimeField(_("last seen at"), db_index=True)
    stopped_at = models.DateTimeField(_("stopped at"), null=True, blank=True)

    class Meta:
        verbose_name = _("task worker")
        verbose_name_plural = _("task workers")

    def __str__(self):
        return self.id


class WorkDone(models.Model):
    """A piece of work done once, by its key ("publish:edition:42"), with its own writes.

    background.first_time() inserts the key in the transaction that does the
    work: a job run twice, or by two workers at once, commits the work once.
    """

    key = models.CharField(_("key"), max_length=200, primary_key=True)
    done_at = models.DateTimeField(_("done at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("work done")
        verbose_name_plural = _("work done")

    def __str__(self):
        return self.key
