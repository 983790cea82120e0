"""The desk queue is a list of copy, not a door to change it: no role changes it.

Its rows open the article's own page, where the rules of the copy apply.
"""

from django.db import migrations

ROLES = ["Editor", "Chief editor"]


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    change = Permission.objects.filter(
        content_type__app_label="articles", codename="change_deskqueue"
    )
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*change)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    change = Permission.objects.filter(
        content_type__app_label="articles", codename="change_deskqueue"
    )
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*change)


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_edition_page_version")]

    operations = [migrations.RunPython(revoke, grant)]
