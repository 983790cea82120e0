"""The editorial workflow: every change of an article's or an edition's status.

Copy moves draft → submitted → approved → published, with returned, spiked
and withdrawn (articles.desk.workflow: the steps, who takes them, 三审).
Editions move planning → signed_off → published, and approved copy is placed
on their pages (articles.editions.publishing: placement, the preflight,
sign-off, scheduling, publication). Nothing else in the project changes a
status: the admin, the commands and the demo all call this module.
"""

from articles.desk.workflow import (
    ARTICLE_TRANSITIONS,
    Transition,
    TransitionRefused,
    allowed_transitions,
    approve_label,
    last_return,
    refusal,
    review_progress,
    status_label,
    transition,
)
from articles.editions.publishing import (
    Preflight,
    Problem,
    due_editions,
    file_on_page,
    move,
    place,
    preflight,
    publish_due,
    publish_edition,
    reopen_edition,
    request_publication,
    schedule,
    sign_off,
    unplace,
    unschedule,
)

__all__ = [
    "ARTICLE_TRANSITIONS",
    "Preflight",
    "Problem",
    "Transition",
    "TransitionRefused",
    "allowed_transitions",
    "approve_label",
    "due_editions",
    "file_on_page",
    "last_return",
    "move",
    "place",
    "preflight",
    "publish_due",
    "publish_edition",
    "request_publication",
    "refusal",
    "reopen_edition",
    "review_progress",
    "schedule",
    "sign_off",
    "status_label",
    "transition",
    "unplace",
    "unschedule",
]
