"""A photo's files: unguessable names, public only while on published copy, staff see the rest."""

import datetime
import re

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles import workflow
from articles.models import Article, ArticlePhoto
from media.models import Photo
from tests.factories import ArticleFactory, PhotoFactory

from .pictures import picture_bytes, upload

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 27, 8, 0, tzinfo=datetime.UTC)


def files_of(photo):
    return [photo.image.url, *(rendition.url for rendition in photo.renditions())]


def on_copy(photo, **article):
    """Use photo on an article (a draft unless told otherwise)."""
    copy = ArticleFactory(**article)
    ArticlePhoto.objects.create(article=copy, photo=photo)
    return copy


def published(**kwargs):
    return {"status": Article.Status.PUBLISHED, "published_at": timezone.now(), **kwargs}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_original_is_stored_under_a_name_no_one_can_guess(people):
    """A camera's IMG_8735.jpg is tried by anyone; a hash of the picture is not."""
    response = client_for(people["photographer"]).post(
        reverse("admin:media_photo_upload"), {"images": [upload(picture_bytes(), "IMG_8735.jpg")]}
    )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert "IMG_8735" not in photo.image.name
    assert re.fullmatch(r"photos/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", photo.image.name)
    assert all(photo.file_key in rendition.name for rendition in photo.renditions())


def test_the_files_of_a_photo_on_a_draft_are_not_public(client, people):
    photo = PhotoFactory()
    on_copy(photo)
    for url in files_of(photo):
        assert client.get(url).status_code == 404
        assert client_for(people["nobody"]).get(url).status_code == 404


def test_staff_who_may_see_photos_see_unpublished_ones_privately(people):
    photo = PhotoFactory()
    on_copy(photo)
    for role in ["editor", "reporter", "photographer"]:
        for url in files_of(photo):
            response = client_for(people[role]).get(url)
            assert response.status_code == 200
            assert response["Cache-Control"] == "private, max-age=60"


def test_a_photo_becomes_public_with_its_copy_and_leaves_with_it(
    client, people, django_capture_on_commit_callbacks
):
    photo = PhotoFactory()
    article = on_copy(photo, **published())
    for url in files_of(photo):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=600"
        assert "Cookie" not in response.get("Vary", "")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(article, "withdraw", user=people["editor"], note="当事人要求撤稿")
    assert all(client.get(url).status_code == 404 for url in files_of(photo))


def test_a_scheduled_photo_is_public_from_its_publication_time_and_not_before(client):
    photo = PhotoFactory()
    on_copy(photo, **published(published_at=NOW + datetime.timedelta(hours=2)))
    with time_machine.travel(NOW, tick=False):
        assert client.get(photo.image.url).status_code == 404
    with time_machine.travel(NOW + datetime.timedelta(hours=2), tick=False):
        assert client.get(photo.image.url).status_code == 200


def test_a_photo_on_a_draft_and_on_published_copy_is_public(client):
    photo = PhotoFactory()
    on_copy(photo)
    on_copy(photo, **published())
    assert client.get(photo.image.url).status_code == 200


def test_a_public_picture_costs_one_query(client, django_assert_num_queries):
    photo = PhotoFactory()
    on_copy(photo, **published())
    with django_assert_num_queries(1):
        assert client.get(photo.image.url).status_code == 200


def test_served_pictures_have_their_real_content_type_and_nosniff(client):
    photo = PhotoFactory(image__format="PNG", image__filename="road.jpg")
    on_copy(photo, **published())
    response = client.get(photo.image.url)
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    for rendition in photo.renditions():
        assert client.get(rendition.url)["Content-Type"] == rendition.content_type


def test_an_unchanged_picture_is_answered_not_modified(client):
    photo = PhotoFactory()
    on_copy(photo, **published())
    first = client.get(photo.image.url)
    again = client.get(photo.image.url, headers={"if-modified-since": first["Last-Modified"]})
    assert again.status_code == 304


def test_a_file_that_belongs_to_no_photo_is_never_served(client, settings, people):
    """Whatever got into the media folder some other way stays there, even for staff."""
    for name, data in [
        ("photos/page.html", b"<html><script>alert(1)</script></html>"),
        ("photos/logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
        ("photos/real.jpg", picture_bytes("JPEG")),
    ]:
        default_storage.save(name, ContentFile(data))
        assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404
        assert client_for(people["editor"]).get(f"{settings.MEDIA_URL}{name}").status_code == 404


def test_missing_files_and_paths_outside_the_media_folder_are_not_served(client, settings):
    assert client.get(f"{settings.MEDIA_URL}photos/none.jpg").status_code == 404
    assert client.get(f"{settings.MEDIA_URL}../pyproject.toml").status_code in (400, 404)


def test_behind_nginx_django_checks_and_nginx_sends_the_file(client, settings):
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    draft_photo, public_photo = PhotoFactory(), PhotoFactory()
    on_copy(draft_photo)
    on_copy(public_photo, **published())
    response = client.get(public_photo.image.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{public_photo.image.name}"
    assert response["Content-Type"] == "image/jpeg"
    assert response.content == b""
    refused = client.get(draft_photo.image.url)
    assert refused.status_code == 404
    assert "X-Accel-Redirect" not in refused


class SignedUrlStorage(FileSystemStorage):
    """Stands in for an S3 bucket: no local path, and URLs that are signed."""

    def path(self, name):
        raise NotImplementedError

    def url(self, name):
        return f"https://paper.s3.example.com/media/{name}?X-Amz-Signature=abc&X-Amz-Expires=300"


def test_on_an_object_store_django_checks_and_redirects_to_a_signed_url(client, settings):
    photo = PhotoFactory()
    draft_photo = PhotoFactory()
    on_copy(photo, **published())
    on_copy(draft_photo)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "tests.media.test_serving.SignedUrlStorage",
            "OPTIONS": {"location": settings.MEDIA_ROOT},
        },
    }
    response = client.get(photo.image.url)
    assert response.status_code == 302
    assert response.url.startswith("https://paper.s3.example.com/media/photos/")
    assert "X-Amz-Signature" in response.url
    assert client.get(draft_photo.image.url).status_code == 404
    # Pages and the API point at the site, never at the bucket.
    assert photo.image.url.startswith(settings.MEDIA_URL)
    assert all(r.url.startswith(settings.MEDIA_URL) for r in photo.renditions())
