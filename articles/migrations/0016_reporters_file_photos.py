"""Filing is quick: reporters and correspondents upload photos from the article's own form.

They get the permissions to add photos and their credits and to put photos
on copy (the object rules keep that to their own drafts). Seeing the copy on
the desk, which the photographers' photo permissions used to imply, becomes
a permission of its own, illustrate_article, for the photographers.
"""

from django.db import migrations

FILERS = ["Reporter", "Correspondent"]
FILER_CODES = [
    ("articles", "add_articlephoto"),
    ("articles", "change_articlephoto"),
    ("articles", "delete_articlephoto"),
    ("articles", "view_articlephoto"),
    ("media", "add_photo"),
    ("media", "change_photo"),
    ("media", "view_photo"),
    ("media", "add_photocredit"),
    ("media", "change_photocredit"),
    ("media", "delete_photocredit"),
    ("media", "view_photocredit"),
]


def _perms(apps, codes):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in codes
    ]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for name in FILERS:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*_perms(apps, FILER_CODES))
    photographer, _created = Group.objects.get_or_create(name="Photographer")
    photographer.permissions.add(*_perms(apps, [("articles", "illustrate_article")]))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=FILERS):
        group.permissions.remove(*_perms(apps, FILER_CODES))
    for group in Group.objects.filter(name="Photographer"):
        group.permissions.remove(*_perms(apps, [("articles", "illustrate_article")]))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0015_assignments_page_capacity"),
        ("media", "0003_photo_version"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="article",
            options={
                "ordering": ["-created_at", "-pk"],
                "permissions": [
                    ("preview_article", "Can preview unpublished articles"),
                    ("edit_any_article", "Can edit copy filed by others once submitted"),
                    ("approve_article", "Can return, approve, spike and place copy"),
                    (
                        "publish_article",
                        "Can publish web news, withdraw and correct published copy",
                    ),
                    ("review_second", "Can approve copy at the second review (复审)"),
                    ("review_final", "Can approve copy at the final review (终审)"),
                    ("illustrate_article", "Can see and illustrate copy on the desk"),
                ],
                "verbose_name": "article",
                "verbose_name_plural": "articles",
            },
        ),
        migrations.RunPython(grant, revoke, elidable=False),
    ]
