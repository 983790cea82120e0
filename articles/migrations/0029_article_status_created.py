"""An index for the admin's article list filtered by a status, newest first.

At a million articles, a rare status (the desk's submitted copy, drafts) is
not found by walking the (created_at, id) index through every other row.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("articles", "0028_section_editors_muted_kinds")]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                fields=["status", "created_at", "id"], name="article_status_created"
            ),
        ),
    ]
