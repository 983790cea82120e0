"""Footer links open only paths, http(s) pages and mailto:; desk heads and the chief unlock logins.

A login locked after too many wrong passwords (django-axes, one account from
one address) is opened again by the desk head or the chief editor in the
admin, not only by a superuser: they may read and remove its record.
"""

from django.db import migrations, models

import articles.fields

UNLOCKERS = ["Desk head", "Chief editor"]
RIGHTS = ["view_accessattempt", "delete_accessattempt"]


def make_permissions(apps):
    # Permissions are normally made after migrate; axes' are needed now.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant(apps, schema_editor):
    make_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    rights = Permission.objects.filter(content_type__app_label="axes", codename__in=RIGHTS)
    for group in Group.objects.filter(name__in=UNLOCKERS):
        group.permissions.add(*rights)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=UNLOCKERS):
        group.permissions.remove(
            *group.permissions.filter(content_type__app_label="axes", codename__in=RIGHTS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0019_review_record_backfill"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [
        migrations.AlterField(
            model_name="footerlink",
            name="url",
            field=models.CharField(
                help_text="A path on this site (/about/), a full http(s) address, or mailto:.",
                max_length=300,
                validators=[articles.fields.validate_footer_url],
                verbose_name="address",
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]
