import pytest
from django.core.files.base import ContentFile
from django.template import Context, Template
from PIL import Image

from media.models import Photo
from tests.factories import PhotoFactory, with_renditions

from .pictures import picture_bytes

pytestmark = pytest.mark.django_db


def photo_of(size, format="JPEG", **options):
    photo = Photo(caption="图说", alt_text="山间公路")
    photo.image.save("road.jpg", ContentFile(picture_bytes(format, size=size, **options)))
    return with_renditions(photo)


def stored(photo, rendition):
    with photo.image.storage.open(rendition.name, "rb") as file:
        image = Image.open(file)
        image.load()
    return image


def test_a_large_picture_gets_each_web_width_in_webp_and_jpeg():
    photo = photo_of((2000, 1000))
    renditions = photo.renditions()
    assert [(r.width, r.height, r.content_type) for r in renditions] == [
        (320, 160, "image/webp"),
        (320, 160, "image/jpeg"),
        (640, 320, "image/webp"),
        (640, 320, "image/jpeg"),
        (1024, 512, "image/webp"),
        (1024, 512, "image/jpeg"),
        (1600, 800, "image/webp"),
        (1600, 800, "image/jpeg"),
    ]
    for rendition in renditions:
        image = stored(photo, rendition)
        assert image.size == (rendition.width, rendition.height)
        assert image.format == {"image/webp": "WEBP", "image/jpeg": "JPEG"}[rendition.content_type]
        assert rendition.url == photo.image.storage.url(rendition.name)


def test_no_rendition_is_larger_than_the_picture():
    photo = photo_of((500, 300))
    assert sorted({(r.width, r.height) for r in photo.renditions()}) == [(320, 192), (500, 300)]
    tiny = photo_of((64, 48))
    assert {(r.width, r.height) for r in tiny.renditions()} == {(64, 48)}


def test_renditions_are_made_once_and_reused_for_the_same_picture():
    first = photo_of((800, 600))
    storage = first.image.storage
    made = {r.name: storage.get_modified_time(r.name) for r in first.renditions()}
    second = photo_of((800, 600))
    assert [r.name for r in second.renditions()] == list(made)
    assert {r.name: storage.get_modified_time(r.name) for r in second.renditions()} == made
    other = photo_of((800, 600), color="red")
    assert not {r.name for r in other.renditions()} & set(made)


def test_a_transparent_png_keeps_its_alpha_in_webp_and_is_flattened_on_white_in_jpeg():
    photo = photo_of((100, 50), "PNG", alpha=True, color=(0, 0, 0, 0))
    webp, jpeg = photo.renditions()
    assert stored(photo, webp).mode == "RGBA"
    assert stored(photo, jpeg).convert("RGB").getpixel((5, 5)) == (255, 255, 255)


def test_a_photo_without_its_picture_has_no_renditions():
    assert Photo.objects.create(caption="图说").renditions() == []


def render(template, **context):
    return Template("{% load photos %}" + template).render(Context(context))


def test_picture_tag_gives_webp_and_jpeg_srcsets_sizes_dimensions_and_alt():
    photo = photo_of((2000, 1000))
    html = render(
        '{% picture photo sizes="(min-width: 60em) 40em, 100vw" css_class="lead" loading="eager" %}',
        photo=photo,
    )
    url = {(r.width, r.format): r.url for r in photo.renditions()}
    webp_srcset = ", ".join(f"{url[w, 'webp']} {w}w" for w in (320, 640, 1024, 1600))
    jpeg_srcset = ", ".join(f"{url[w, 'jpeg']} {w}w" for w in (320, 640, 1024, 1600))
    sizes = 'sizes="(min-width: 60em) 40em, 100vw"'
    assert html.strip().startswith("<picture>") and html.strip().endswith("</picture>")
    assert f'<source type="image/webp" srcset="{webp_srcset}" {sizes}>' in html
    assert f'<img src="{url[1024, "jpeg"]}" srcset="{jpeg_srcset}" {sizes}' in html
    assert 'width="1024" height="512" alt="山间公路" class="lead" loading="eager"' in html


def test_picture_tag_escapes_alt_text_and_renders_nothing_without_a_picture():
    photo = PhotoFactory(alt_text='"><script>')
    assert 'alt="&quot;&gt;&lt;script&gt;"' in render("{% picture photo %}", photo=photo)
    waiting = Photo.objects.create(caption="图说")
    assert render("{% picture photo %}", photo=waiting).strip() == ""
    assert render("{% picture photo %}", photo=None).strip() == ""
