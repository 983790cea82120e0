import pytest

from articles import services
from media.models import Photo, format_credit
from tests.factories import (
    ArticlePhotoFactory,
    PersonFactory,
    PhotoCreditFactory,
    PhotoFactory,
)

pytestmark = pytest.mark.django_db


def test_credit_line_prints_photographers_in_order_then_she():
    photo = PhotoFactory()
    PhotoCreditFactory(photo=photo, person=PersonFactory(name="李学军"), position=1)
    PhotoCreditFactory(photo=photo, person=PersonFactory(name="宋卫东"), position=0)
    assert photo.credit_line == "宋卫东 李学军 摄"
    assert format_credit([]) == ""


def test_credits_given_to_the_write_path_replace_the_credit_in_the_given_order(people):
    photo = PhotoFactory()
    PhotoCreditFactory(photo=photo, person__name="王硕")
    song, li = PersonFactory(name="宋卫东"), PersonFactory(name="李学军")
    services.save_photo(photo, user=people["editor"], credits=[li, song])
    photo.refresh_from_db()
    assert photo.credit_line == "李学军 宋卫东 摄"


def test_a_caption_given_on_an_article_overrides_the_photos_own():
    use = ArticlePhotoFactory(photo__caption="照片本身的图说", caption="本文中的图说")
    assert use.display_caption == "本文中的图说"
    use.caption = ""
    assert use.display_caption == "照片本身的图说"


def complete_photo(**fields):
    photo = PhotoFactory(**fields)
    PhotoCreditFactory(photo=photo)
    return photo


def test_missing_names_each_gap_by_code_and_message():
    assert complete_photo().missing() == []
    waiting = Photo.objects.create()
    assert waiting.missing() == ["image", "caption", "alt_text", "credit"]
    assert [str(item.label) for item in waiting.missing()] == [
        "等待图片",
        "缺图说",
        "缺替代文字",
        "缺摄影署名",
    ]
    assert complete_photo(caption="").missing() == [Photo.Missing.CAPTION]
    assert complete_photo(alt_text="").missing() == [Photo.Missing.ALT_TEXT]
    assert PhotoFactory().missing() == [Photo.Missing.CREDIT]


def test_missing_counts_a_caption_given_for_one_use():
    photo = complete_photo(caption="")
    assert photo.missing(caption="本文中的图说") == []
    assert photo.missing(caption="") == [Photo.Missing.CAPTION]


def test_incomplete_lists_photos_lacking_anything_and_leaves_complete_ones_out():
    complete = complete_photo()
    gaps = {
        "image": Photo.objects.create(caption="图说", alt_text="公路"),
        "caption": complete_photo(caption=""),
        "alt_text": complete_photo(alt_text=""),
        "credit": PhotoFactory(),
    }
    PhotoCreditFactory(photo=gaps["image"])
    assert set(Photo.objects.incomplete()) == set(gaps.values())
    assert complete not in Photo.objects.incomplete()
    assert list(Photo.objects.awaiting_image()) == [gaps["image"]]
    assert list(Photo.objects.without_caption()) == [gaps["caption"]]
    assert list(Photo.objects.without_alt_text()) == [gaps["alt_text"]]
    assert list(Photo.objects.without_credit()) == [gaps["credit"]]
    for photo in Photo.objects.all():
        assert (photo in gaps.values()) == bool(photo.missing())


def test_a_photo_news_picture_stops_awaiting_once_attached():
    photo = Photo.objects.create(caption="阳曲县农村公路", alt_text="公路")
    PhotoCreditFactory(photo=photo, person__name="宋卫东")
    assert photo.missing() == [Photo.Missing.IMAGE]
    assert photo in Photo.objects.awaiting_image()
    photo.image = PhotoFactory.build().image
    photo.save()
    assert photo.missing() == []
    assert not Photo.objects.incomplete().exists()


def test_missing_reads_prefetched_credits_without_queries(django_assert_num_queries):
    for _ in range(3):
        complete_photo()
    photos = list(Photo.objects.prefetch_related("credits"))
    with django_assert_num_queries(0):
        assert [photo.missing() for photo in photos] == [[], [], []]
