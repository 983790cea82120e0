import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.factories import PhotoFactory

from .pictures import picture_bytes

pytestmark = pytest.mark.django_db


def test_served_pictures_have_their_real_content_type_and_nosniff(client):
    photo = PhotoFactory(image__format="PNG", image__filename="road.jpg")
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    for rendition in photo.renditions():
        response = client.get(rendition.url)
        assert response["Content-Type"] == rendition.content_type
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "immutable" in response["Cache-Control"]


def test_a_file_that_is_not_a_picture_is_never_served(client, settings):
    """Whatever got into the media folder some other way stays there."""
    for name, data in [
        ("photos/page.html", b"<html><script>alert(1)</script></html>"),
        ("photos/page.jpg", b"<html><script>alert(1)</script></html>"),
        ("photos/logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>'),
    ]:
        default_storage.save(name, ContentFile(data))
        assert client.get(f"{settings.MEDIA_URL}{name}").status_code == 404
    default_storage.save("photos/real.jpg", ContentFile(picture_bytes("JPEG")))
    assert client.get(f"{settings.MEDIA_URL}photos/real.jpg")["Content-Type"] == "image/jpeg"


def test_missing_files_and_paths_outside_the_media_folder_are_not_served(client, settings):
    assert client.get(f"{settings.MEDIA_URL}photos/none.jpg").status_code == 404
    assert client.get(f"{settings.MEDIA_URL}../pyproject.toml").status_code in (400, 404)
