"""The write path: every change of copy, photos, people, sections, tags, pages and editions.

This module is the one door; each concern keeps its own part behind it
(articles.copy.services, articles.desk.services, articles.editions.services,
articles.editions.imports, articles.epaper.pages, articles.site.services, articles.wordcheck.services, articles.ledger.services). Admin classes, inlines, bulk
pages, commands, the demo and the importer call these functions and hold no
rule of their own. Each one, in one transaction:

1. locks the row and asks articles.permissions whether this user may make
   this change to this object in its current state, raising Refused;
2. refuses a save from a stale form: base_version is the version the form was
   opened at, and every change raises the version (articles.versions);
3. writes the change and the related rows it was given;
4. where what the copy prints changed: requires a correction for published
   copy, records a revision, rebuilds the search document;
5. invalidates the public pages that show it, once the transaction commits.

Status, placement and publication fields are never written here: they move
only through articles.workflow, which logs every step. A refusal raises
permissions.Refused (Stale for a stale form) and the transaction rolls back:
nothing is changed.
"""

from articles.copy.services import (
    CONTENT_FIELDS,
    Credit,
    OnCopy,
    Use,
    correct,
    delete_article,
    delete_person,
    delete_photo,
    delete_section,
    delete_tag,
    illustrate_article,
    make_photo_renditions,
    photos_missing_renditions,
    printed_content_changed,
    restore_revision,
    save_article,
    save_person,
    save_photo,
    save_section,
    save_tag,
    set_continuation,
    store_photo_again,
    upload_photo,
)
from articles.copy.working import (
    discard_working_copy,
    keep_working_copy,
    prune_working_copies,
)
from articles.desk.services import (
    COMMENT_MAX,
    accept_assignment,
    add_comment,
    decline_assignment,
    delete_assignment,
    mark_read,
    save_assignment,
    save_notification_settings,
)
from articles.editions.imports import submit_import
from articles.editions.services import delete_edition, delete_page, save_edition, save_page
from articles.epaper.pages import (
    attach_pdf,
    correct_zone,
    forget_zone,
    relocate,
    retry_pdf,
    submit_pdf,
)
from articles.ledger.services import Rate as FeeRate
from articles.ledger.services import (
    adjust_fee_line,
    approve_fee_month,
    compute_fee_month,
    save_fee_rules,
)
from articles.permissions import Refused
from articles.site.services import Link, save_site_settings
from articles.versions import Stale
from articles.wordcheck.services import Row as WordRow
from articles.wordcheck.services import (
    delete_word_entry,
    delete_word_list,
    import_word_entries,
    save_word_entry,
    save_word_list,
    verify_word,
)

__all__ = [
    "Credit",
    "FeeRate",
    "Link",
    "OnCopy",
    "Use",
    "WordRow",
    "set_continuation",
    "store_photo_again",
    "make_photo_renditions",
    "photos_missing_renditions",
    "COMMENT_MAX",
    "CONTENT_FIELDS",
    "Refused",
    "Stale",
    "accept_assignment",
    "add_comment",
    "adjust_fee_line",
    "approve_fee_month",
    "attach_pdf",
    "retry_pdf",
    "submit_import",
    "submit_pdf",
    "compute_fee_month",
    "correct",
    "correct_zone",
    "decline_assignment",
    "delete_article",
    "delete_assignment",
    "delete_edition",
    "delete_page",
    "delete_person",
    "delete_photo",
    "delete_section",
    "delete_tag",
    "illustrate_article",
    "keep_working_copy",
    "discard_working_copy",
    "prune_working_copies",
    "delete_word_entry",
    "delete_word_list",
    "forget_zone",
    "import_word_entries",
    "mark_read",
    "printed_content_changed",
    "relocate",
    "restore_revision",
    "save_article",
    "save_assignment",
    "save_edition",
    "save_fee_rules",
    "save_notification_settings",
    "save_page",
    "save_person",
    "save_photo",
    "save_section",
    "save_site_settings",
    "save_tag",
    "save_word_entry",
    "save_word_list",
    "upload_photo",
    "verify_word",
]
