"""The role groups with their permissions as the migrations made them, to put back after a flush.

A transactional test (the live-server ones) empties every table when it
ends, and the groups, made by data migrations, do not come back. The
permissions are read from the freshly migrated test database once per
session (tests/conftest.py), so that every migration's grants are restored,
whichever migration made them.
"""

from django.contrib.auth.models import Group, Permission

SNAPSHOT: dict[str, list[tuple[str, str]]] = {}


def snapshot():
    """Remember each group's permissions as they stand (the migrated database's)."""
    SNAPSHOT.clear()
    for group in Group.objects.prefetch_related("permissions__content_type"):
        SNAPSHOT[group.name] = sorted(
            (p.content_type.app_label, p.codename) for p in group.permissions.all()
        )


def restore():
    """Give the role groups the permissions the migrations gave them."""
    assert SNAPSHOT, "the role groups were not read from the migrated database"
    for name, codes in SNAPSHOT.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app, codename=codename)
                for app, codename in codes
            ]
        )
