import django.contrib.postgres.search
from django.db import migrations

# Like article_search_gin (0005, 0012): PostgreSQL only, without a pending list.


def create_index_and_fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS article_grams_gin "
        "ON articles_article USING gin (search_grams) WITH (fastupdate = off)"
    )
    # The trigrams come from what the search documents are built from
    # (bylines, captions and tags too): the indexing code builds them.
    from articles.models import Article
    from articles.search.index import index_grams

    index_grams(Article.objects.all())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS article_grams_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_reporters_file_photos"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_grams",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.RunPython(create_index_and_fill, drop_index),
    ]
