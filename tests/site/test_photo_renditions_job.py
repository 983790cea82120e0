"""A photo's web sizes are made by a job: the upload answers at once, readers never wait."""

import datetime

import lxml.html
import pytest
import time_machine
from django.core.files.base import ContentFile
from django.utils import timezone

from articles import services
from articles.copy.tasks import make_photo_renditions, resume_missing_renditions
from articles.models import ArticlePhoto
from media.models import Photo
from tests.factories import PhotoFactory
from tests.jobs import queued, run_jobs
from tests.media.pictures import picture_bytes, upload

from .conftest import publish

pytestmark = pytest.mark.django_db


def pictures(client, article):
    doc = lxml.html.fromstring(client.get(article.get_absolute_url()).content.decode())
    return doc.cssselect("figure.photo img"), doc.cssselect("figure.photo source")


def test_an_upload_answers_before_its_web_sizes_and_readers_get_them_once_made(people, client):
    article = publish(headline="白鹭归来")
    photo = services.upload_photo(
        upload(picture_bytes(size=(1200, 800))),
        user=people["photographer"],
        caption="白鹭盘旋",
        alt_text="湿地上空的白鹭",
        credit=people["photographer"].person,
    )
    ArticlePhoto.objects.create(article=article, photo=photo)
    assert photo.renditions_pending and photo.renditions() == []
    assert [job.args_kwargs["args"] for job in queued(make_photo_renditions)] == [
        [photo.pk, photo.file_key]
    ]

    # Meanwhile readers get the stored picture itself, with its size.
    (img,), sources = pictures(client, article)
    assert img.get("src") == photo.image.url and sources == [] and img.get("srcset") is None
    assert (img.get("width"), img.get("height")) == ("1200", "800")

    version = photo.version
    assert run_jobs() == 1
    photo.refresh_from_db()
    assert not photo.renditions_pending and photo.version == version + 1
    assert {r.width for r in photo.renditions()} == {320, 640, 1024, 1200}
    # The page kept in the cache was dropped: it now offers the web sizes.
    (img,), (webp,) = pictures(client, article)
    assert img.get("src") != photo.image.url
    assert webp.get("type") == "image/webp"
    for srcset in (webp.get("srcset"), img.get("srcset")):
        assert srcset.count(photo.file_key) == 4


def test_the_job_run_twice_or_for_a_replaced_picture_writes_nothing_more(people):
    photo = services.upload_photo(upload(picture_bytes(size=(700, 500))), user=people["editor"])
    first_key = photo.file_key
    # Replaced before its job ran: the old job must not give the new picture the old sizes.
    photo.image = ContentFile(picture_bytes(size=(500, 700), color="red"), name="new.jpg")
    photo = services.save_photo(photo, user=people["editor"], base_version=photo.version)
    assert photo.file_key != first_key and photo.renditions_pending

    assert services.make_photo_renditions(photo.pk, first_key) is False
    photo.refresh_from_db()
    assert photo.renditions_pending
    assert services.make_photo_renditions(photo.pk, photo.file_key) is True
    photo.refresh_from_db()
    made, version = photo.rendition_files, photo.version
    assert {(r["width"], r["height"]) for r in made} == {(320, 448), (500, 700)}
    assert services.make_photo_renditions(photo.pk, photo.file_key) is False
    photo.refresh_from_db()
    assert (photo.rendition_files, photo.version) == (made, version)
    # A deleted photo's job finds nothing to do.
    Photo.objects.filter(pk=photo.pk).delete()
    assert services.make_photo_renditions(photo.pk, photo.file_key) is False


def test_the_sweep_enqueues_a_lost_renditions_job_again_but_not_for_ever():
    now = timezone.now()
    lost = PhotoFactory(renditions=False)
    fresh = PhotoFactory(renditions=False)
    given_up = PhotoFactory(renditions=False)
    made = PhotoFactory()
    Photo.objects.filter(pk=lost.pk).update(updated_at=now - datetime.timedelta(minutes=5))
    Photo.objects.filter(pk=given_up.pk).update(updated_at=now - datetime.timedelta(hours=2))
    Photo.objects.filter(pk=made.pk).update(updated_at=now - datetime.timedelta(minutes=5))

    assert resume_missing_renditions() == 1
    assert [job.args_kwargs["args"] for job in queued(make_photo_renditions)] == [
        [lost.pk, lost.file_key]
    ]
    run_jobs()
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.renditions() and fresh.renditions_pending
    with time_machine.travel(now + datetime.timedelta(minutes=10)):
        assert resume_missing_renditions() == 1  # fresh, now waiting too long


def test_the_same_picture_stored_again_keeps_its_web_sizes(people):
    photo = PhotoFactory(image__width=900, image__height=600)
    made = photo.rendition_files
    with photo.image.open("rb") as file:
        photo.image = ContentFile(file.read(), name="again.jpg")
    photo = services.save_photo(photo, user=people["editor"], base_version=photo.version)
    assert photo.rendition_files == made and not queued(make_photo_renditions)


def test_a_photo_waiting_for_its_web_sizes_is_not_given_in_full_to_the_admin_list(admin_client):
    photo = PhotoFactory(image__width=2400, image__height=1600, renditions=False)
    content = admin_client.get("/admin/media/photo/").content.decode()
    assert "正在生成网页尺寸" in content
    assert photo.image.url not in content
    with_sizes = PhotoFactory(image__width=900, image__height=600)
    content = admin_client.get("/admin/media/photo/").content.decode()
    assert with_sizes.renditions()[0].url.rsplit("/", 1)[0] in content


def test_photos_just_uploaded_are_shown_whole_on_the_describe_page_while_waiting(admin_client):
    """To caption a photo one must see it: the describe page shows the picture itself meanwhile."""
    waiting = PhotoFactory(renditions=False)
    made = PhotoFactory()
    doc = lxml.html.fromstring(
        admin_client.get(f"/admin/media/photo/describe/?ids={waiting.pk},{made.pk}").content
    )
    shown = [img.get("src") for img in doc.cssselect("#photo-describe-form img")]
    assert shown == [waiting.image.url, made.thumbnail_url(160)]
    assert made.thumbnail_url(160) != made.image.url
