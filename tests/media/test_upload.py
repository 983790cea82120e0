import datetime
import io
import zlib
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.forms import modelform_factory
from PIL import ExifTags, Image

from media.models import Photo
from tests.factories import with_renditions

from .pictures import camera_exif, picture_bytes, two_colour_jpeg, upload

pytestmark = pytest.mark.django_db

PhotoForm = modelform_factory(Photo, fields=["image", "caption", "alt_text", "taken_at"])


def submit(data, name="photo.jpg", **fields):
    """Submit a picture through the model form, as the admin does; return the form."""
    return PhotoForm({"caption": "图说", **fields}, {"image": upload(data, name)})


def refusal(data, name="photo.jpg"):
    form = submit(data, name)
    assert not form.is_valid()
    assert not Photo.objects.exists()
    return form.errors.as_data()["image"][0]


def test_svg_with_a_script_is_refused_as_markup():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    error = refusal(svg, "road.jpg")
    assert error.code == "markup"


def test_html_renamed_as_a_picture_is_refused_as_markup():
    assert refusal(b"\n<!DOCTYPE html><html><body>hi</body></html>", "road.png").code == "markup"


def test_a_script_renamed_as_a_picture_is_refused_as_text():
    assert refusal(b"document.cookie;\nfetch('https://example.com');\n", "road.jpg").code == "text"


def test_a_png_with_html_appended_and_named_jpg_is_refused_as_a_polyglot():
    data = picture_bytes("PNG") + b"<html><script>alert(document.cookie)</script></html>"
    assert refusal(data, "road.jpg").code == "polyglot"


def test_a_jpeg_with_a_script_appended_is_refused_as_a_polyglot():
    data = picture_bytes("JPEG") + b"\n<script>alert(1)</script>"
    assert refusal(data).code == "polyglot"


@pytest.mark.parametrize("cut", [0.5, 0.9])
def test_a_truncated_jpeg_is_refused(cut):
    data = two_colour_jpeg(size=(400, 300))
    assert refusal(data[: int(len(data) * cut)]).code == "truncated"


def test_a_jpeg_missing_only_its_end_marker_is_refused_as_truncated():
    assert refusal(picture_bytes("JPEG")[:-2]).code == "truncated"


def bomb(side):
    """A one-bit PNG of side × side pixels: a few kilobytes that decode to a huge picture."""
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    data = bomb(10_000)  # 100 megapixels in a few kilobytes
    assert len(data) < 100_000
    error = refusal(data, "bomb.png")
    assert error.code == "too_many_pixels"
    assert error.params["limit"] == "60"


def test_pillows_decompression_bomb_warning_counts_as_an_error(settings):
    settings.PHOTO_MAX_PIXELS = 10**9  # our own limit would let it through
    assert Image.MAX_IMAGE_PIXELS < 100_000_000
    assert refusal(bomb(10_000), "bomb.png").code == "too_many_pixels"


def test_pictures_over_the_pixel_limit_setting_are_refused(settings):
    settings.PHOTO_MAX_PIXELS = 1000
    assert refusal(picture_bytes("PNG", size=(40, 30))).code == "too_many_pixels"
    assert submit(picture_bytes("PNG", size=(40, 25))).is_valid()


def test_a_file_over_the_default_20_mb_is_refused():
    data = picture_bytes("JPEG") + b"\0" * (20 * 1024 * 1024)
    error = refusal(data)
    assert error.code == "too_large"
    assert error.params["limit"] == "20.0\xa0MB"


def test_an_animated_gif_is_refused_and_a_still_one_accepted():
    buffer = io.BytesIO()
    frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:])
    assert refusal(buffer.getvalue(), "moving.gif").code == "animated"
    assert submit(picture_bytes("GIF"), "still.gif").is_valid()


def test_other_picture_formats_are_refused():
    assert refusal(picture_bytes("BMP"), "road.bmp").code == "not_a_picture"
    assert refusal(picture_bytes("TIFF"), "road.jpg").code == "not_a_picture"


@pytest.mark.parametrize(
    ("format", "name", "stored"),
    [
        ("JPEG", "road.jpg", ".jpg"),
        ("PNG", "road.png", ".png"),
        ("WEBP", "road.webp", ".webp"),
        ("GIF", "road.gif", ".gif"),
        ("PNG", "road.jpg", ".png"),  # named after what it is, not what it was called
    ],
)
def test_accepted_pictures_are_stored_under_their_real_format(format, name, stored):
    form = submit(picture_bytes(format), name)
    assert form.is_valid(), form.errors
    photo = form.save()
    assert photo.image.name.startswith("photos/") and photo.image.name.endswith(stored)
    assert (photo.width, photo.height) == (64, 48)
    with photo.image.open("rb") as file:
        assert Image.open(file).format == format


def test_exif_orientation_is_applied_and_gps_stripped_keeping_time_and_camera():
    data = two_colour_jpeg(size=(40, 20), exif=camera_exif(orientation=6), comment=b"secret note")
    photo = submit(data).save()
    assert (photo.width, photo.height) == (20, 40)
    with photo.image.open("rb") as file:
        stored = Image.open(file)
        stored.load()
    assert not stored.getexif()
    assert not stored.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "comment" not in stored.info and "exif" not in stored.info
    # Orientation 6 means "turn 90° clockwise": the red left half is now on top.
    red, blue = stored.convert("RGB").getpixel((10, 5)), stored.convert("RGB").getpixel((10, 35))
    assert red[0] > 200 and red[2] < 60
    assert blue[2] > 200 and blue[0] < 60
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    assert photo.taken_at == datetime.datetime(2022, 2, 12, 9, 30, tzinfo=shanghai)
    assert photo.camera == "Canon EOS R5"


def test_a_taken_at_typed_by_the_editor_wins_over_the_camera():
    form = submit(two_colour_jpeg(exif=camera_exif()), taken_at="2022-02-14 08:00")
    photo = form.save()
    assert photo.taken_at.date() == datetime.date(2022, 2, 14)


def test_renditions_carry_no_exif_either():
    photo = with_renditions(submit(two_colour_jpeg(exif=camera_exif())).save())
    assert photo.renditions()
    for rendition in photo.renditions():
        with photo.image.storage.open(rendition.name, "rb") as file:
            assert not Image.open(file).getexif()


def test_pictures_saved_from_code_are_cleaned_too():
    """The demo and importers store pictures without a form; GPS still never reaches storage."""
    photo = Photo(caption="图说")
    photo.image.save("gps.jpg", ContentFile(two_colour_jpeg(exif=camera_exif())), save=False)
    photo.save()
    photo.refresh_from_db()
    assert (photo.width, photo.height) == (20, 40)
    assert photo.camera == "Canon EOS R5"
    assert photo.renditions_pending  # made by a job (test_renditions_job.py)
    with photo.image.open("rb") as file:
        assert not Image.open(file).getexif()


def test_code_cannot_store_a_file_that_is_not_a_picture():
    photo = Photo(caption="图说")
    with pytest.raises(ValidationError):
        photo.image.save("x.jpg", ContentFile(b"<svg onload=alert(1)>"), save=True)
    assert not Photo.objects.exists()


def png_with_garbage_pixels():
    """A PNG whose chunks are all in order, with valid checksums, but whose pixels cannot be decoded."""
    data = picture_bytes("PNG", size=(64, 48))
    start = data.index(b"IDAT") - 4
    length = int.from_bytes(data[start : start + 4], "big")
    # Keep the zlib header; every deflate block after it is of the reserved type 3.
    garbage = data[start + 8 : start + 10] + b"\xff" * (length - 2)
    chunk = b"IDAT" + garbage
    return (
        data[:start]
        + length.to_bytes(4, "big")
        + chunk
        + zlib.crc32(chunk).to_bytes(4, "big")
        + data[start + 12 + length :]
    )


def test_a_picture_whose_structure_is_intact_but_whose_pixels_are_garbage_is_refused():
    """Only decoding every pixel finds it: its header, chunks and end marker are all in order."""
    data = png_with_garbage_pixels()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (64, 48)  # looks like a picture
    assert refusal(data, "road.png").code == "truncated"
