"""三审: a section's copy needs one to three approvals, each on record with its level.

Existing copy keeps its place in the workflow: sections start at one level
(one editor's approval, as before), copy that was approved counts as having
passed it, and every approval already logged was a first review. The desk
head (部门主任, a group made by people.0004) gets the editor's permissions
and the second review; the chief editor the second and the final review.
"""

from django.db import migrations, models

PASSED = ["approved", "published", "withdrawn"]


def make_permissions(apps):
    # Permissions are normally made after migrate; the new ones are needed now.
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def forward(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    TransitionLog = apps.get_model("articles", "TransitionLog")
    Article.objects.filter(status__in=PASSED).update(review_level=1)
    TransitionLog.objects.filter(action="approve", article__isnull=False).update(level=1)

    make_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(*codenames):
        return Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)

    editor = Group.objects.filter(name="Editor").first()
    desk_head, _created = Group.objects.get_or_create(name="Desk head")
    if editor is not None:
        desk_head.permissions.add(*editor.permissions.all())
    desk_head.permissions.add(*perms("review_second"))
    chief, _created = Group.objects.get_or_create(name="Chief editor")
    chief.permissions.add(*perms("review_second", "review_final"))


def backward(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=["Desk head", "Chief editor"]):
        group.permissions.remove(
            *group.permissions.filter(codename__in=["review_second", "review_final"])
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_search_index_without_pending_list"),
        ("people", "0004_desk_head_group"),
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
                ],
                "verbose_name": "article",
                "verbose_name_plural": "articles",
            },
        ),
        migrations.AddField(
            model_name="article",
            name="review_level",
            field=models.PositiveSmallIntegerField(
                default=0,
                editable=False,
                help_text="Approvals of the current round of review (三审); 0 until the first.",
                verbose_name="review levels passed",
            ),
        ),
        migrations.AddField(
            model_name="section",
            name="review_levels",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (1, "one level: first review"),
                    (2, "two levels: first and second review"),
                    (3, "three levels: first, second and final review (三审)"),
                ],
                default=1,
                help_text="How many approvals the section's copy needs: 初审 by an editor, 复审 by a desk head, 终审 by the chief editor.",
                verbose_name="review levels",
            ),
        ),
        migrations.AddField(
            model_name="transitionlog",
            name="level",
            field=models.PositiveSmallIntegerField(
                blank=True,
                choices=[(1, "first review"), (2, "second review"), (3, "final review")],
                null=True,
                verbose_name="review level",
            ),
        ),
        migrations.AddConstraint(
            model_name="section",
            constraint=models.CheckConstraint(
                condition=models.Q(("review_levels__gte", 1), ("review_levels__lte", 3)),
                name="section_review_levels_1_to_3",
            ),
        ),
        migrations.RunPython(forward, backward, elidable=False),
    ]
