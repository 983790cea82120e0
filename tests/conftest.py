import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Published schemas the tests validate against, vendored with their licences.
STANDARDS = Path(__file__).resolve().parent / "standards"
# The reference seed page sits beside the checkout, outside the project; CI
# always has it. Only the seed page's own tests read it.
SHARED = Path(os.environ.get("NEWSROOM_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "seed" / "000_c556b5a78493a709.txt"
SEED_JSON = SHARED / "seed" / "000_c556b5a78493a709.expected.json"

# The browser tests need Playwright (the e2e extra), which `make test` does not
# install; they are deselected there anyway (-m 'not e2e').
if importlib.util.find_spec("playwright") is None:
    collect_ignore = ["e2e"]


@pytest.fixture(scope="session")
def seed_text():
    if not SEED.exists():
        pytest.skip(
            f"the reference seed page is not beside this checkout ({SEED}); it is not part "
            "of the project (set NEWSROOM_SHARED to the shared/ folder to run its tests)"
        )
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_expected_json():
    if not SEED_JSON.exists():
        pytest.skip(f"the seed page's expected parse is not beside this checkout ({SEED_JSON})")
    return SEED_JSON.read_text(encoding="utf-8")


@pytest.fixture(scope="session", autouse=True)
def _role_groups(django_db_setup, django_db_blocker):
    """Read the role groups' permissions once, from the freshly migrated database."""
    from django.db import connection

    from tests import roles

    with django_db_blocker.unblock():
        # pytest-django sets up no database for a run whose tests need none
        # (the parser's, the syntax scans'): there is nothing to read then.
        if "auth_group" in connection.introspection.table_names():
            roles.snapshot()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: cached pages and counts outlive tests."""
    from django.core.cache import caches

    from articles.cache import reset_process_state

    for alias in ("default", "sessions"):
        caches[alias].clear()
    reset_process_state()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Keep every test's uploads in a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("boss", password="secret-pass-123")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def make_user(django_user_model, username, role=None, person_name=None):
    from django.contrib.auth.models import Group

    from people.models import Person

    user = django_user_model.objects.create_user(
        username, password="secret-pass-123", is_staff=True
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    Person.objects.create(name=person_name or username[:4], user=user)
    return user


@pytest.fixture
def people(db, django_user_model):
    """One account per role, each linked to the person it writes as."""
    return {
        "reporter": make_user(django_user_model, "reporter", "Reporter", "林晓"),
        "other_reporter": make_user(django_user_model, "other", "Reporter", "许诺"),
        "correspondent": make_user(django_user_model, "corr", "Correspondent", "周敏"),
        "photographer": make_user(django_user_model, "photo", "Photographer", "陈光"),
        "editor": make_user(django_user_model, "editor", "Editor", "苏文"),
        "desk_head": make_user(django_user_model, "deskhead", "Desk head", "何静"),
        "chief": make_user(django_user_model, "chief", "Chief editor", "高远"),
        "nobody": make_user(django_user_model, "nobody", None, "无名"),
    }
