"""Give each newsroom role (a group made by people.0002) its permissions.

Object-level rules (whose copy, which state) live in articles/workflow.py;
these are the model permissions the admin needs to show anything at all.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FILER = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.add_byline",
    "articles.change_byline",
    "articles.delete_byline",
    "articles.view_byline",
    "articles.view_articlephoto",
    "articles.view_section",
    "people.add_person",
    "people.view_person",
    "media.view_photo",
    "taggit.add_tag",
    "taggit.view_tag",
]
PHOTOGRAPHER = [
    "media.add_photo",
    "media.change_photo",
    "media.view_photo",
    "media.add_photocredit",
    "media.change_photocredit",
    "media.delete_photocredit",
    "media.view_photocredit",
    "articles.view_article",
    "articles.view_byline",
    "articles.add_articlephoto",
    "articles.change_articlephoto",
    "articles.delete_articlephoto",
    "articles.view_articlephoto",
    "articles.view_section",
    "people.add_person",
    "people.view_person",
    "taggit.view_tag",
]
EDITOR = sorted(
    {
        *FILER,
        *PHOTOGRAPHER,
        *(
            f"{app}.{action}_{model}"
            for app, models in {
                "articles": ["article", "byline", "articlephoto", "section", "edition", "page"],
                "people": ["person"],
                "media": ["photo", "photocredit"],
                "taggit": ["tag"],
            }.items()
            for model in models
            for action in ("add", "change", "delete", "view")
        ),
        "articles.view_deskqueue",
        "articles.change_deskqueue",
        "articles.view_transitionlog",
        "articles.view_revision",
        "articles.view_correction",
        "articles.add_correction",
        "articles.preview_article",
        "articles.edit_any_article",
        "articles.approve_article",
        "articles.publish_article",
    }
    - {"articles.delete_article", "articles.delete_edition"}
)
CHIEF_EDITOR = [*EDITOR, "articles.publish_edition"]

ROLES = {
    "Reporter": FILER,
    "Correspondent": FILER,
    "Photographer": PHOTOGRAPHER,
    "Editor": EDITOR,
    "Chief editor": CHIEF_EDITOR,
}


def grant(apps, schema_editor):
    # Permissions are normally made after migrate; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = []
        for code in codes:
            app_label, codename = code.split(".")
            perms.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.clear()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_workflow_fields_log_revisions"),
        ("people", "0002_role_groups"),
        ("media", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
