"""Migrations import only Django, historical models and field classes, and upgrade with data.

A migration that imports the app's live code breaks the first upgrade after
that code changes (the next field added to Article breaks a backfill that
reads today's Article). Each migration's syntax is read for what it imports.
"""

import ast
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

ROOT = Path(__file__).resolve().parent.parent
APPS = ("articles", "media", "people")
# What a migration may import: Django and the libraries whose fields it
# names, the standard library (uuid and decimal for field defaults), and
# modules that hold field classes and the callables fields name (they keep
# their import path for that reason).
ALLOWED_PREFIXES = ("django", "taggit", "re", "datetime", "secrets", "uuid", "decimal")
ALLOWED_MODULES = {"articles.fields", "media.fields", "newsroom.fields"}


def imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def allowed(module):
    return module in ALLOWED_MODULES or module.split(".")[0] in ALLOWED_PREFIXES


@pytest.mark.parametrize(
    "path",
    sorted(p for app in APPS for p in (ROOT / app / "migrations").glob("0*.py")),
    ids=lambda p: f"{p.parent.parent.name}/{p.name}",
)
def test_a_migration_imports_only_django_historical_models_and_field_classes(path):
    assert [m for m in imports(path) if not allowed(m)] == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_upgrade_from_before_the_search_trigrams_and_the_review_record_keeps_the_copy():
    """Migrate back to 0016 with copy under review, then forward over 0017-0019, with data."""
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0016_reporters_file_photos")])
    old = executor.loader.project_state([("articles", "0016_reporters_file_photos")]).apps
    Section, Article = old.get_model("articles", "Section"), old.get_model("articles", "Article")
    TransitionLog = old.get_model("articles", "TransitionLog")
    User = old.get_model("auth", "User")
    editor = User.objects.create(username="old-editor")
    section = Section.objects.create(name="老栏目", slug="old-section", review_levels=2)
    article = Article.objects.create(
        headline="旧稿件的标题",
        body="滨江市民服务中心开放。",
        section=section,
        status="submitted",
        review_level=1,
    )
    TransitionLog.objects.create(
        article=article, action="submit", from_status="draft", to_status="submitted"
    )
    TransitionLog.objects.create(
        article=article,
        action="approve",
        from_status="submitted",
        to_status="submitted",
        level=1,
        actor=editor,
    )
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from articles.models import Article as Now
    from articles.models import Submission

    upgraded = Now.objects.get(pk=article.pk)
    assert (upgraded.headline, upgraded.levels_needed, upgraded.awaited_level) == (
        "旧稿件的标题",
        2,
        2,
    )
    if connection.vendor == "postgresql":
        # The trigrams were made from the old rows (0017), and moved with them (0030).
        assert upgraded.search_document.grams
    submission = Submission.objects.get(article=upgraded, closed_at=None)
    assert list(submission.approvals.values_list("level", "approver__username")) == [
        (1, "old-editor")
    ]
