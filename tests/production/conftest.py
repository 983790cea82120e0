import importlib

from django.contrib.auth.models import Group, Permission


def restore_roles():
    """Give the role groups their permissions, as migration articles.0004 does.

    A transactional test empties every table when it ends, and the groups,
    made by a data migration, do not come back; a test that needs the roles
    and may run after one puts them back first.
    """
    roles = importlib.import_module("articles.migrations.0004_role_permissions").ROLES
    for name, codes in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in (code.split(".") for code in codes)
            ]
        )
