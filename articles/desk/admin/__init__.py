"""The desk in the admin: the queue, assignments, the transition log, notifications."""

from articles.desk.admin import assignments, inbox, log, queue  # noqa: F401 (registers the pages)
