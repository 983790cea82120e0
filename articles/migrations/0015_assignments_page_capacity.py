"""选题 and 派稿: assignments (proposed, assigned, declined, filed), and each page's capacity in 字数.

Every role proposes stories and sees its own assignments; the object rules
(articles.permissions) say who changes, decides and withdraws which.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ROLES = ["Reporter", "Correspondent", "Photographer", "Editor", "Desk head", "Chief editor"]
CODES = ["add_assignment", "change_assignment", "delete_assignment", "view_assignment"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="articles", codename__in=CODES)
    for name in ROLES:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*group.permissions.filter(codename__in=CODES))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_comments_notifications"),
        ("people", "0004_desk_head_group"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="page",
            name="capacity",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="字数 the page holds, to plan and place copy against.",
                null=True,
                verbose_name="capacity",
            ),
        ),
        migrations.CreateModel(
            name="Assignment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "topic",
                    models.CharField(
                        help_text="选题: what the story is, in one line.",
                        max_length=200,
                        verbose_name="topic",
                    ),
                ),
                (
                    "notes",
                    models.TextField(
                        blank=True,
                        help_text="The angle, whom to talk to, what the desk wants.",
                        verbose_name="notes",
                    ),
                ),
                (
                    "deadline",
                    models.DateTimeField(
                        blank=True, db_index=True, null=True, verbose_name="deadline"
                    ),
                ),
                (
                    "target_chars",
                    models.PositiveIntegerField(
                        blank=True,
                        help_text="字数 the desk wants.",
                        null=True,
                        verbose_name="target length",
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("proposed", "proposed"),
                            ("accepted", "assigned"),
                            ("declined", "declined"),
                            ("filed", "filed"),
                        ],
                        db_index=True,
                        default="proposed",
                        max_length=16,
                        verbose_name="status",
                    ),
                ),
                (
                    "proposed_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="proposed at"),
                ),
                (
                    "decided_at",
                    models.DateTimeField(blank=True, null=True, verbose_name="decided at"),
                ),
                ("decision_note", models.TextField(blank=True, verbose_name="desk's note")),
                ("filed_at", models.DateTimeField(blank=True, null=True, verbose_name="filed at")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated at")),
                (
                    "version",
                    models.PositiveIntegerField(
                        default=1,
                        editable=False,
                        help_text="Raised by every change, so that a save from a stale form is refused.",
                        verbose_name="version",
                    ),
                ),
                (
                    "article",
                    models.OneToOneField(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="assignment",
                        to="articles.article",
                        verbose_name="draft",
                    ),
                ),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="decided by",
                    ),
                ),
                (
                    "edition",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="assignments",
                        to="articles.edition",
                        verbose_name="planned edition",
                    ),
                ),
                (
                    "page",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="assignments",
                        to="articles.page",
                        verbose_name="planned page",
                    ),
                ),
                (
                    "photographer",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="photo_assignments",
                        to="people.person",
                        verbose_name="photographer",
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="proposed by",
                    ),
                ),
                (
                    "reporters",
                    models.ManyToManyField(
                        blank=True,
                        related_name="assignments",
                        to="people.person",
                        verbose_name="reporters",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="assignments",
                        to="articles.section",
                        verbose_name="section",
                    ),
                ),
            ],
            options={
                "verbose_name": "assignment",
                "verbose_name_plural": "assignments",
                "ordering": ["deadline", "-pk"],
            },
        ),
        migrations.AddField(
            model_name="notification",
            name="assignment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="articles.assignment",
                verbose_name="assignment",
            ),
        ),
        migrations.RunPython(grant, revoke, elidable=False),
    ]
