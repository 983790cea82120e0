"""The search's GIN indexes also hold each document's article id (btree_gin).

A search looks for a word's newest matches in the last month first. The GIN
index answers which documents hold the word, in all time; the date is the
article's, in another table, so every match was read to keep the month's:
10 ms for a common word at 100,000 articles, ten times that at a million.
The articles published in a window all have ids from a floor up (the least
id published since then, articles.search.query.window_floor), which the
index now answers together with the word: about 1.5 ms at 100,000, and no
more as the years add up. The indexes keep their names and take the same
queries; btree_gin is one of PostgreSQL's contrib extensions, trusted: the
database's owner may create it.
"""

from django.db import migrations

TABLE = "articles_articlesearch"
INDEXES = {"article_search_gin": "vector", "article_grams_gin": "grams"}


def _make(schema_editor, columns):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite matches the token text
    for name, column in INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE INDEX {name} ON {TABLE} USING gin ({column}{columns}) WITH (fastupdate = off)"
        )


def by_article(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Not Django's BtreeGinExtension: going back it asks pg_extension on SQLite too.
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
    _make(schema_editor, ", article_id")


def by_word_only(apps, schema_editor):
    _make(schema_editor, "")  # the extension stays: dropping it may need rights we lack


class Migration(migrations.Migration):
    dependencies = [("articles", "0030_search_document_table")]

    operations = [migrations.RunPython(by_article, by_word_only)]
