import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The shared reference material sits beside the checkout; CI always has it.
SHARED = Path(os.environ.get("NEWSROOM_SHARED", ROOT.parent / "shared"))
SEED = SHARED / "seed" / "000_c556b5a78493a709.txt"
SEED_JSON = SHARED / "seed" / "000_c556b5a78493a709.expected.json"


@pytest.fixture(scope="session")
def seed_text():
    if not SEED.exists():
        pytest.fail(f"the seed page is missing: {SEED} (set NEWSROOM_SHARED to the shared/ folder)")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_expected_json():
    if not SEED_JSON.exists():
        pytest.fail(f"the expected parse is missing: {SEED_JSON}")
    return SEED_JSON.read_text(encoding="utf-8")


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
