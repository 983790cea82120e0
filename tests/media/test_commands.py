import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from media.models import Photo
from tests.factories import PhotoFactory
from tests.jobs import run_jobs

from .pictures import camera_exif, two_colour_jpeg

pytestmark = pytest.mark.django_db


def test_clean_photos_cleans_pictures_stored_before_cleaning_existed(
    people, django_capture_on_commit_callbacks
):
    raw = default_storage.save("photos/old.jpg", ContentFile(two_colour_jpeg(exif=camera_exif())))
    old = Photo.objects.create(image=raw, caption="旧图")
    broken = Photo.objects.create(
        image=default_storage.save("photos/broken.jpg", ContentFile(b"<html>")), caption="坏图"
    )
    out, err = StringIO(), StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("clean_photos", "--by", people["editor"].username, stdout=out, stderr=err)
    old.refresh_from_db()
    assert old.camera == "Canon EOS R5" and old.renditions_pending
    # The web sizes are made by a job, as for an upload.
    assert run_jobs() == 1
    old.refresh_from_db()
    assert old.renditions() and not old.renditions_pending
    assert (old.width, old.height) == (20, 40)
    with old.image.open("rb") as file:
        assert not Image.open(file).getexif()
    assert old.image.name != raw and not default_storage.exists(raw)
    assert f"photo {broken.pk}" in err.getvalue()
    assert "1 photos cleaned, 1 refused." in out.getvalue()
    out = StringIO()
    call_command("clean_photos", "--by", people["editor"].username, stdout=out, stderr=StringIO())
    assert "0 photos cleaned" in out.getvalue()


def test_clean_photos_renames_a_picture_still_under_its_camera_name(
    people, django_capture_on_commit_callbacks
):
    photo = PhotoFactory()
    with photo.image.open("rb") as file:
        legacy = default_storage.save("photos/2026/11/IMG_8735.jpg", ContentFile(file.read()))
    Photo.objects.filter(pk=photo.pk).update(image=legacy)
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "clean_photos", "--by", people["editor"].username, stdout=StringIO(), stderr=StringIO()
        )
    photo.refresh_from_db()
    assert "IMG_8735" not in photo.image.name
    assert photo.file_key and photo.file_key in photo.image.name
    assert not default_storage.exists(legacy)


def test_photos_stored_before_keys_get_the_key_their_renditions_carry():
    photo = PhotoFactory()
    key = photo.file_key
    Photo.objects.filter(pk=photo.pk).update(file_key="")
    migration = importlib.import_module("media.migrations.0004_photo_file_key_and_image_index")
    migration.keys_from_renditions(apps, None)
    photo.refresh_from_db()
    assert photo.file_key == key


def test_clean_photos_refreshes_the_pages_of_published_copy_and_needs_someone_who_may(
    people, django_capture_on_commit_callbacks
):
    from articles.models import Article
    from tests.factories import ArticleFactory, ArticlePhotoFactory

    photo = PhotoFactory()
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    ArticlePhotoFactory(article=article, photo=photo)
    with photo.image.open("rb") as file:
        legacy = default_storage.save("photos/2026/11/IMG_0001.jpg", ContentFile(file.read()))
    Photo.objects.filter(pk=photo.pk).update(image=legacy)
    version, stamped = photo.version, article.updated_at
    err = StringIO()
    call_command("clean_photos", "--by", people["reporter"].username, stdout=StringIO(), stderr=err)
    assert "摄影记者只能修改自己的图片" in err.getvalue()
    assert Photo.objects.get(pk=photo.pk).image.name == legacy  # refused: nothing changed
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "clean_photos", "--by", people["editor"].username, stdout=StringIO(), stderr=StringIO()
        )
    photo.refresh_from_db()
    article.refresh_from_db()
    assert photo.version > version  # a form opened before the change is stale
    assert article.updated_at > stamped  # API clients syncing fetch it again
