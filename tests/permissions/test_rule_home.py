"""Every rule has one home: the policies behind articles.permissions.

The table names each question the facade offers and the production modules
that ask it. A new question, or a new place asking one, fails here until it
is written down, so that a reviewer sees who decides what; a rule spelled
outside the home (a model permission or the superuser flag read directly)
fails too.
"""

import ast

from articles import permissions
from tests.permissions.scan import production_modules

# question -> the modules that ask it
ASKED_BY = {
    "blocking_words": ["articles.editions.publishing"],
    "can_change_assignment": ["articles.desk.admin.assignments"],
    "can_change_edition": ["articles.editions.admin"],
    "can_change_page": ["articles.editions.admin"],
    "can_change_photo": ["articles.copy.admin.related"],
    "can_edit_article": ["articles.copy.admin.articles", "articles.importer.load"],
    "can_illustrate": ["articles.copy.admin.articles"],
    "can_work_on_article": ["articles.copy.admin.articles"],
    "can_link_account": ["articles.copy.admin.related", "articles.copy.services"],
    "can_view_article": ["articles.copy.admin.articles", "articles.desk.notifications"],
    "can_view_assignment": ["articles.desk.admin.assignments", "articles.desk.notifications"],
    "changeable_photos": ["articles.copy.admin.related"],
    "files_copy": ["articles.copy.admin.articles", "articles.desk.dashboard"],
    "illustratable_articles": ["articles.copy.admin.related"],
    "is_correspondent": ["articles.copy.admin.articles"],
    "illustrates_copy": ["articles.desk.dashboard"],
    "may_act_as": ["articles.desk.workflow"],
    "may_check_words": ["articles.wordcheck.admin"],
    "may_import_pages": ["articles.editions.admin", "articles.editions.imports"],
    "may_place": ["articles.copy.admin.articles"],
    "may_plan_placement": ["articles.desk.admin.assignments"],
    "may_see_fee_rules": ["articles.ledger.admin"],
    "may_see_revisions": ["articles.copy.admin.articles"],
    "may_see_statistics": ["articles.ledger.admin"],
    "may_see_word_lists": ["articles.wordcheck.admin"],
    "may_unplace": ["articles.copy.admin.articles"],
    "photo_printed_on": ["articles.copy.admin.related"],
    "reviewers_at": ["articles.desk.notifications", "articles.desk.workflow"],
    "runs_editions": ["articles.desk.dashboard"],
    "statistics_scope": ["articles.ledger.admin"],
    "visible_articles": [
        "articles.copy.admin.articles",
        "articles.copy.admin.related",
        "articles.desk.admin.queue",
        "articles.desk.notifications",
        "articles.site.views",
        "articles.wordcheck.admin",
    ],
    "visible_assignments": ["articles.desk.admin.assignments", "articles.desk.notifications"],
    "visible_fee_lines": ["articles.ledger.admin"],
    "why_not_adjust_fee_line": ["articles.ledger.admin", "articles.ledger.services"],
    "why_not_approve_fee_month": ["articles.ledger.admin", "articles.ledger.services"],
    "why_not_assign_desk_heads": ["articles.copy.services"],
    "why_not_change_assignment": ["articles.desk.services"],
    "why_not_change_edition": ["articles.editions.services"],
    "why_not_change_page": ["articles.editions.services", "articles.epaper.pages"],
    "why_not_change_person": ["articles.copy.services"],
    "why_not_change_photo": ["articles.copy.services"],
    "why_not_change_section": ["articles.copy.services"],
    "why_not_change_site_settings": ["articles.site.services"],
    "why_not_change_tag": ["articles.copy.services"],
    "why_not_comment": ["articles.copy.admin.articles", "articles.desk.services"],
    "why_not_compute_fee_month": ["articles.ledger.admin", "articles.ledger.services"],
    "why_not_correct": ["articles.copy.services"],
    "why_not_decide_assignment": ["articles.desk.admin.assignments", "articles.desk.services"],
    "why_not_delete_article": ["articles.copy.admin.articles", "articles.copy.services"],
    "why_not_submit_unsigned": ["articles.desk.workflow"],
    "why_not_delete_assignment": ["articles.desk.admin.assignments", "articles.desk.services"],
    "why_not_delete_edition": ["articles.editions.admin", "articles.editions.services"],
    "why_not_delete_page": ["articles.editions.admin", "articles.editions.services"],
    "why_not_delete_person": ["articles.copy.services"],
    "why_not_delete_photo": [
        "articles.copy.admin.related",
        "articles.copy.services",
        "articles.importer.load",
    ],
    "why_not_delete_section": ["articles.copy.services"],
    "why_not_delete_tag": ["articles.copy.services"],
    "why_not_delete_word_list": ["articles.wordcheck.admin", "articles.wordcheck.services"],
    "why_not_edit_article": ["articles.copy.services"],
    "why_not_illustrate": ["articles.copy.services"],
    "why_not_keep_working_copy": ["articles.copy.admin.articles", "articles.copy.working"],
    "why_not_keep_word_lists": ["articles.wordcheck.admin", "articles.wordcheck.services"],
    "why_not_pass_words": ["articles.desk.workflow", "articles.editions.publishing"],
    "why_not_place": ["articles.editions.admin", "articles.editions.publishing"],
    "why_not_reprint_photo": ["articles.copy.services"],
    "why_not_review": ["articles.desk.workflow"],
    "why_not_run_edition": ["articles.editions.admin", "articles.editions.publishing"],
    "why_not_set_fee_rules": ["articles.ledger.admin", "articles.ledger.services"],
    "why_not_set_review_levels": ["articles.copy.services"],
    "why_not_verify_word": ["articles.wordcheck.admin", "articles.wordcheck.services"],
    "works_the_desk": ["articles.desk.admin.assignments", "articles.desk.dashboard"],
}

# Reading a role's model permission is the policies' business; media decides
# who sees a private photo original itself (it never imports articles).
SPELLS_A_RULE_ALLOWED = {"media.views"}


def _questions():
    return {
        name
        for name in permissions.__all__
        if callable(getattr(permissions, name)) and name[0].islower() and name != "refuse_unless"
    }


def _asked():
    asked = {}
    for module, tree in production_modules().items():
        if module.startswith("articles.permissions"):
            continue
        imported = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "articles.permissions":
                imported |= {alias.asname or alias.name for alias in node.names}
        for node in ast.walk(tree):
            name = None
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "permissions"
            ):
                name = node.attr
            elif isinstance(node, ast.Name) and node.id in imported:
                name = node.id
            if name is not None:
                asked.setdefault(name, set()).add(module)
    return asked


def test_every_question_of_the_permission_home_is_in_the_table():
    assert _questions() == set(ASKED_BY)


def test_each_question_is_asked_exactly_where_the_table_says():
    asked = _asked()
    found = {name: sorted(asked.get(name, ())) for name in ASKED_BY}
    assert found == ASKED_BY


def test_no_production_module_reads_a_permission_or_the_superuser_flag_itself():
    spelled = set()
    for module, tree in production_modules().items():
        if module.startswith("articles.permissions") or module in SPELLS_A_RULE_ALLOWED:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in {"has_perm", "is_superuser"}:
                spelled.add(f"{module}:{node.lineno}")
    assert spelled == set()
