"""Each article's search document moves to a table of its own (ArticleSearch).

The workflow's steps change indexed columns of the article (status, dates),
so each writes a new row version, which entered all of the article's tokens
into both GIN indexes again: publishing 60 articles spent over a second
there. The document is now written only when what an article prints changes.

The rows are copied as they are (no re-indexing: the tokens were made by
the code of their day, as `manage.py reindex` would make them again), then
the old columns go, and with them their indexes, which are made again, with
the same names and without a pending list (0012), on the new table.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

TABLE = "articles_articlesearch"
INDEXES = {"article_search_gin": "vector", "article_grams_gin": "grams"}


def copy_documents(apps, schema_editor):
    schema_editor.execute(
        f"INSERT INTO {TABLE} (article_id, title, text, vector, grams) "
        "SELECT id, search_title, search_text, search_vector, search_grams "
        "FROM articles_article"
    )


def copy_documents_back(apps, schema_editor):
    schema_editor.execute(
        "UPDATE articles_article SET search_title = s.title, search_text = s.text, "
        f"search_vector = s.vector, search_grams = s.grams FROM {TABLE} AS s "
        "WHERE s.article_id = articles_article.id"
    )


def create_gin_indexes(apps, schema_editor):
    # PostgreSQL only: SQLite matches the token text (Django's GinIndex would
    # be created there too, and fail).
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} "
            f"USING gin ({column}) WITH (fastupdate = off)"
        )


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create_old_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, column in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON articles_article "
                f"USING gin (search_{column}) WITH (fastupdate = off)"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0029_article_status_created"),
    ]

    operations = [
        migrations.CreateModel(
            name="ArticleSearch",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="articles.article",
                        verbose_name="article",
                    ),
                ),
                ("title", models.TextField(blank=True, default="")),
                ("text", models.TextField(blank=True, default="")),
                ("vector", django.contrib.postgres.search.SearchVectorField(null=True)),
                ("grams", django.contrib.postgres.search.SearchVectorField(null=True)),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
            },
        ),
        migrations.RunPython(copy_documents, copy_documents_back),
        # Dropping the columns drops their indexes; going back, they are made again last.
        migrations.RunPython(migrations.RunPython.noop, create_old_gin_indexes),
        migrations.RemoveField(model_name="article", name="search_grams"),
        migrations.RemoveField(model_name="article", name="search_text"),
        migrations.RemoveField(model_name="article", name="search_title"),
        migrations.RemoveField(model_name="article", name="search_vector"),
        migrations.RunPython(create_gin_indexes, drop_gin_indexes),
    ]
