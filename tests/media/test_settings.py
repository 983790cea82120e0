import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def settings_of(code, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("PHOTO_", "MEDIA_"))}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"from newsroom import settings as s; print({code})"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
    )


def test_upload_limits_default_to_20_mb_and_60_megapixels_and_come_from_the_environment():
    code = "s.PHOTO_MAX_UPLOAD_SIZE, s.PHOTO_MAX_PIXELS"
    assert settings_of(code).stdout.strip() == "20971520 60000000"
    changed = settings_of(code, PHOTO_MAX_UPLOAD_MB="8", PHOTO_MAX_MEGAPIXELS="40")
    assert changed.stdout.strip() == "8388608 40000000"


def test_media_on_local_disk_by_default():
    result = settings_of("s.STORAGES['default']['BACKEND']")
    assert result.stdout.strip() == "django.core.files.storage.FileSystemStorage"


def test_s3_media_without_a_bucket_refuses_to_start():
    result = settings_of("1", MEDIA_STORAGE="s3")
    assert result.returncode != 0
    assert "MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_an_unknown_media_storage_refuses_to_start():
    result = settings_of("1", MEDIA_STORAGE="ftp")
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be local or s3" in result.stderr


def test_the_nginx_location_must_be_a_path_prefix():
    result = settings_of("1", MEDIA_ACCEL_REDIRECT="protected-media")
    assert result.returncode != 0
    assert "MEDIA_ACCEL_REDIRECT must start and end with /" in result.stderr
    ok = settings_of("s.MEDIA_ACCEL_REDIRECT", MEDIA_ACCEL_REDIRECT="/protected-media/")
    assert ok.stdout.strip() == "/protected-media/"


def test_s3_pictures_are_kept_private_and_reached_through_short_lived_signed_urls():
    code = "s.STORAGES['default']['OPTIONS']['querystring_auth'], s.STORAGES['default']['OPTIONS']['querystring_expire']"
    result = settings_of(code, MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="paper")
    assert result.stdout.strip() == "True 300"
