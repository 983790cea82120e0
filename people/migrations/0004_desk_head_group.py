"""The desk head (部门主任), between editor and chief editor: a group of its own.

Its permissions come with articles' migration that introduces review levels.
"""

from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="Desk head")


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Desk head").delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0003_person_version")]

    operations = [migrations.RunPython(create_group, delete_group)]
