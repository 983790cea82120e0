"""Who may do what to which object in which state: the newsroom's rules, in one home.

The role groups' model permissions (migration articles.0004 and later) say
what a role does at all; the policies here add the object rules on top, one
module per concern, all asked through this facade:

base       the roles' permissions, who is who (filer, desk), locked editions
copy       seeing, changing, deleting, commenting on, illustrating, correcting copy;
           sections and tags
desk       who takes which workflow step, 三审 review levels, assignments, the
           工作台's panels
editions   editions and pages, placement, sign-off and publication
photos     photos, and what a change of one reprints
people     people's records and their accounts
site       the site's own settings
ledger     发稿统计 and 稿费: whose figures one sees, fee rules, adjustments, approval
wordcheck  审校: who keeps the word lists, who verifies a hit, what a blocking word stops

Admin classes (has_*_permission, get_queryset, form field choices), the
services of the write path, the workflow, views and commands ask here;
nothing else decides (tests/permissions/test_rule_home.py checks it). Each
`why_not_*` returns the refusal as a sentence for the user, or None when the
action is allowed; the `can_*` and `may_*` forms are booleans.
"""

from articles.permissions.base import (
    Refused,
    refuse_unless,
)
from articles.permissions.copy import (
    can_edit_article,
    can_illustrate,
    can_view_article,
    can_work_on_article,
    illustratable_articles,
    is_correspondent,
    may_see_revisions,
    visible_articles,
    why_not_change_section,
    why_not_change_tag,
    why_not_comment,
    why_not_correct,
    why_not_delete_article,
    why_not_delete_section,
    why_not_delete_tag,
    why_not_edit_article,
    why_not_illustrate,
    why_not_keep_working_copy,
    why_not_set_review_levels,
    why_not_submit_unsigned,
)
from articles.permissions.desk import (
    DESK,
    FILER,
    PUBLISHER,
    REVIEWER,
    can_change_assignment,
    can_view_assignment,
    files_copy,
    illustrates_copy,
    may_act_as,
    may_plan_placement,
    reviewers_at,
    runs_editions,
    visible_assignments,
    why_not_change_assignment,
    why_not_decide_assignment,
    why_not_delete_assignment,
    why_not_review,
    works_the_desk,
)
from articles.permissions.editions import (
    can_change_edition,
    can_change_page,
    may_import_pages,
    may_place,
    may_unplace,
    why_not_change_edition,
    why_not_change_page,
    why_not_delete_edition,
    why_not_delete_page,
    why_not_place,
    why_not_run_edition,
)
from articles.permissions.ledger import (
    may_see_fee_rules,
    may_see_statistics,
    statistics_scope,
    visible_fee_lines,
    why_not_adjust_fee_line,
    why_not_approve_fee_month,
    why_not_assign_desk_heads,
    why_not_compute_fee_month,
    why_not_set_fee_rules,
)
from articles.permissions.people import (
    can_link_account,
    why_not_change_person,
    why_not_delete_person,
)
from articles.permissions.photos import (
    can_change_photo,
    changeable_photos,
    photo_printed_on,
    why_not_change_photo,
    why_not_delete_photo,
    why_not_reprint_photo,
)
from articles.permissions.site import (
    why_not_change_site_settings,
)
from articles.permissions.wordcheck import (
    blocking_words,
    may_check_words,
    may_see_word_lists,
    why_not_delete_word_list,
    why_not_keep_word_lists,
    why_not_pass_words,
    why_not_verify_word,
)

__all__ = [
    "blocking_words",
    "reviewers_at",
    "DESK",
    "FILER",
    "PUBLISHER",
    "REVIEWER",
    "Refused",
    "can_change_assignment",
    "can_change_edition",
    "can_change_page",
    "can_change_photo",
    "can_edit_article",
    "can_illustrate",
    "can_work_on_article",
    "can_link_account",
    "can_view_article",
    "can_view_assignment",
    "changeable_photos",
    "files_copy",
    "may_check_words",
    "may_see_word_lists",
    "illustratable_articles",
    "illustrates_copy",
    "may_act_as",
    "may_import_pages",
    "may_place",
    "may_plan_placement",
    "may_see_fee_rules",
    "may_see_revisions",
    "may_see_statistics",
    "may_unplace",
    "photo_printed_on",
    "refuse_unless",
    "runs_editions",
    "statistics_scope",
    "visible_articles",
    "visible_assignments",
    "visible_fee_lines",
    "why_not_adjust_fee_line",
    "why_not_approve_fee_month",
    "why_not_assign_desk_heads",
    "why_not_change_assignment",
    "why_not_change_edition",
    "why_not_change_page",
    "why_not_change_person",
    "why_not_change_photo",
    "why_not_change_section",
    "why_not_change_site_settings",
    "why_not_change_tag",
    "why_not_comment",
    "why_not_compute_fee_month",
    "why_not_correct",
    "why_not_decide_assignment",
    "why_not_delete_article",
    "why_not_submit_unsigned",
    "is_correspondent",
    "why_not_delete_assignment",
    "why_not_delete_edition",
    "why_not_delete_page",
    "why_not_delete_person",
    "why_not_delete_photo",
    "why_not_delete_section",
    "why_not_set_review_levels",
    "why_not_delete_tag",
    "why_not_delete_word_list",
    "why_not_edit_article",
    "why_not_illustrate",
    "why_not_keep_word_lists",
    "why_not_keep_working_copy",
    "why_not_pass_words",
    "why_not_place",
    "why_not_reprint_photo",
    "why_not_review",
    "why_not_run_edition",
    "why_not_set_fee_rules",
    "why_not_verify_word",
    "works_the_desk",
]
