"""Han trigrams of each article, without positions, for words of three or more characters.

The backfill reads historical models only and carries its own copy of how
the trigrams were made when it was written (articles/search/tokens.py then):
a later change to the indexing code or to Article must not break an upgrade
from before this migration. `manage.py reindex` rebuilds them with today's.
"""

import re

import django.contrib.postgres.search
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import migrations
from django.db.models import Func, Value

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
UNIT = re.compile(rf"[{HAN}]+|[A-Za-z0-9]+(?:\.[0-9]+)?")
IS_HAN = re.compile(rf"[{HAN}]")
BATCH = 500


def grams_document(*texts):
    """The Han trigrams of texts, once each, sorted (as the index stored them then)."""
    found = {
        unit[i : i + 3]
        for text in texts
        if text
        for unit in UNIT.findall(text)
        if IS_HAN.match(unit)
        for i in range(len(unit) - 2)
    }
    return " ".join(sorted(found))


def texts_of(article):
    """Headline stack, body, summary, captions, names and tags: what the document is built from."""
    title = " ".join(filter(None, [article.kicker, article.headline, article.subheadline]))
    captions = [use.caption or use.photo.caption for use in article.article_photos.all()]
    names = " ".join(byline.person.name for byline in article.bylines.all())
    tags = " ".join(link.tag.name for link in article.taggedarticle_set.all())
    return [title, article.body, article.summary, *captions, names, tags]


def create_index_and_fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Like article_search_gin (0005, 0012): without a pending list.
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS article_grams_gin "
        "ON articles_article USING gin (search_grams) WITH (fastupdate = off)"
    )
    Article = apps.get_model("articles", "Article")
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = Article.objects.filter(pk__in=ids[start : start + BATCH]).prefetch_related(
            "article_photos__photo", "bylines__person", "taggedarticle_set__tag"
        )
        for article in batch:
            Article.objects.filter(pk=article.pk).update(
                search_grams=Func(
                    SearchVector(Value(grams_document(*texts_of(article))), config="simple"),
                    function="strip",
                    output_field=SearchVectorField(),
                )
            )


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
