"""Decode, check and clean picture files with Pillow; no models here.

Every picture file is treated as hostile until Pillow has decoded all of it:
`open_photo()` refuses what is not a still JPEG, PNG, WebP or GIF within the
size and pixel limits, and `clean_photo()` re-encodes what is kept, so what is
stored and served is Pillow's own output: upright, without EXIF, GPS, XMP or
comments, and without anything that was hidden after the picture's end.
"""

import datetime
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, JpegImagePlugin

# Pillow format -> the extension a stored file gets. MPO is how Pillow names
# the JPEGs some cameras write with a second, preview picture after the first.
EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}

# Markup a browser would act on, looked for where no picture data can be.
_MARKUP = re.compile(
    rb"<(?:!doctype|html|head|body|script|svg|iframe|object|embed|\?xml|\?php)", re.IGNORECASE
)
_TEXT_HEAD = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<")

MESSAGES = {
    "too_large": _("The file is %(size)s; files of up to %(limit)s are accepted."),
    "markup": _(
        "This file is SVG or HTML, not a photo. Only JPEG, PNG, WebP and GIF pictures are accepted."
    ),
    "text": _(
        "This file is text (such as a script), not a photo. Only JPEG, PNG, WebP and GIF "
        "pictures are accepted."
    ),
    "not_a_picture": _("This file is not a JPEG, PNG, WebP or GIF picture."),
    "too_many_pixels": _(
        "The picture is %(width)s × %(height)s pixels; pictures of up to %(limit)s megapixels "
        "are accepted."
    ),
    "animated": _("Animated pictures are not accepted; upload a still picture."),
    "truncated": _("The picture is incomplete: the file was cut short or is damaged."),
    "polyglot": _("The file has HTML or script hidden after the picture, so it was refused."),
}


def _refuse(code, **params):
    return ValidationError(MESSAGES[code], code=code, params=params)


def _read(file):
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    if hasattr(file, "seek"):
        file.seek(0)
    return data


def pixel_limit():
    """Return the most pixels a picture may have.

    Never more than Pillow's own decompression-bomb threshold: a picture that
    would make Pillow warn is refused like one over our setting.
    """
    return min(settings.PHOTO_MAX_PIXELS, Image.MAX_IMAGE_PIXELS)


def open_photo(file):
    """Return the decoded picture in file, or raise ValidationError saying why not.

    Checks, in order: file size, text files (SVG, HTML, scripts), the format
    (by content, never by name), the pixel count before anything is decoded,
    animation, a complete file, markup appended after the picture, and finally
    a full decode.
    """
    size = getattr(file, "size", None)
    if size is not None and size > settings.PHOTO_MAX_UPLOAD_SIZE:
        raise _refuse(
            "too_large",
            size=filesizeformat(size),
            limit=filesizeformat(settings.PHOTO_MAX_UPLOAD_SIZE),
        )
    data = _read(file)
    if len(data) > settings.PHOTO_MAX_UPLOAD_SIZE:
        raise _refuse(
            "too_large",
            size=filesizeformat(len(data)),
            limit=filesizeformat(settings.PHOTO_MAX_UPLOAD_SIZE),
        )
    head = data[:1024]
    if _TEXT_HEAD.match(head):
        raise _refuse("markup")
    if _looks_like_text(head):
        raise _refuse("text")
    try:
        # Only the four plugins we accept ever parse the file.
        image = Image.open(io.BytesIO(data), formats=["JPEG", "PNG", "WEBP", "GIF"])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # The warning arrives as an exception when warnings are errors (tests).
        raise _refuse("too_many_pixels", **_pixel_params(None)) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise _refuse("not_a_picture") from error
    width, height = image.size
    if width * height > pixel_limit():
        raise _refuse("too_many_pixels", **_pixel_params(image.size))
    if image.format != "MPO" and getattr(image, "n_frames", 1) > 1:
        raise _refuse("animated")
    end = _picture_end(image.format, data)
    if end is None:
        raise _refuse("truncated")
    if _MARKUP.search(data, end):
        # Other trailing bytes (a phone's motion-photo video) are dropped on
        # cleaning; markup there is an attempt to make the file a web page.
        raise _refuse("polyglot")
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise _refuse("truncated") from error
    return image


def _pixel_params(size):
    width, height = size or ("?", "?")
    return {"width": width, "height": height, "limit": f"{pixel_limit() / 1_000_000:g}"}


def _looks_like_text(head):
    if not head or b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # The 1 KiB cut may split a character; a binary file fails much earlier.
        try:
            text = head[:-3].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return all(ch.isprintable() or ch in "\t\r\n\f" for ch in text)


def _picture_end(format, data):
    """Return the offset just past the picture's own end marker, or None if it has none."""
    if format in ("JPEG", "MPO"):
        return _jpeg_end(data)
    if format == "PNG":
        return _png_end(data)
    if format == "WEBP":
        riff_size = int.from_bytes(data[4:8], "little")
        end = 8 + riff_size + (riff_size & 1)
        return end if end <= len(data) else None
    if format == "GIF":
        return _gif_end(data)
    return None


def _jpeg_end(data):
    pos = 2  # after SOI
    n = len(data)
    while pos + 1 < n:
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:  # EOI
            return pos + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            pos += 2
            continue
        if pos + 4 > n:
            return None
        pos += 2 + int.from_bytes(data[pos + 2 : pos + 4], "big")
        if marker == 0xDA:  # SOS: entropy-coded data runs to the next real marker
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= n:
                    return None
                following = data[pos + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7:
                    pos += 2
                elif following == 0xFF:
                    pos += 1
                else:
                    break
    return None


def _png_end(data):
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        pos += 12 + length
        if kind == b"IEND":
            return pos if pos <= len(data) else None
    return None


def _gif_end(data):
    n = len(data)
    pos = 13
    if n < pos:
        return None
    if data[10] & 0x80:  # global colour table
        pos += 3 * 2 ** ((data[10] & 0x07) + 1)
    while pos < n:
        block = data[pos]
        if block == 0x3B:  # trailer
            return pos + 1
        if block == 0x21:  # extension: label, then sub-blocks
            pos += 2
        elif block == 0x2C:  # image descriptor, local colour table, LZW code size
            if pos + 10 > n:
                return None
            flags = data[pos + 9]
            pos += 10
            if flags & 0x80:
                pos += 3 * 2 ** ((flags & 0x07) + 1)
            pos += 1
        else:
            return None
        while pos < n and data[pos]:
            pos += data[pos] + 1
        pos += 1
    return None


@dataclass
class CleanPhoto:
    """A picture ready to store: Pillow's encoding of it, and what EXIF told about it."""

    image: Image.Image
    data: bytes
    extension: str
    taken_at: datetime.datetime | None
    camera: str

    @property
    def content_type(self):
        return CONTENT_TYPES[self.extension]


def clean_photo(file):
    """Return the picture in file upright and re-encoded without its metadata.

    Raises ValidationError as `open_photo()` does. The ICC colour profile and
    GIF/PNG transparency are kept; EXIF (GPS included), XMP, comments and text
    chunks are not.
    """
    image = open_photo(file)
    extension = EXTENSIONS[image.format]
    # "keep" reuses the camera's quantisation tables when the pixels are not
    # turned, so the stored JPEG loses next to nothing to the re-encoding.
    keep = isinstance(image, JpegImagePlugin.JpegImageFile)
    exif = image.getexif()
    taken_at, camera = _exif_facts(exif)
    orientation = exif.get(ExifTags.Base.Orientation, 1)
    if orientation in range(2, 9):
        image, keep = ImageOps.exif_transpose(image), False
    # Pillow writes some of .info back (a JPEG's comment, for one): keep only
    # what affects how the picture looks.
    image.info = {k: v for k, v in image.info.items() if k in ("icc_profile", "transparency")}
    buffer = io.BytesIO()
    options = {"icc_profile": image.info.get("icc_profile")}
    if extension == "jpg":
        options.update(quality="keep" if keep else 92, subsampling="keep" if keep else 0)
        if not keep and image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(buffer, "JPEG", **options)
    elif extension == "png":
        image.save(buffer, "PNG", **options)
    elif extension == "webp":
        image.save(buffer, "WEBP", quality=92, method=4, **options)
    else:
        image.save(buffer, "GIF")
    return CleanPhoto(
        image=image, data=buffer.getvalue(), extension=extension, taken_at=taken_at, camera=camera
    )


def _exif_text(value):
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    return str(value or "").replace("\x00", "").strip()


def _exif_facts(exif):
    """Return (taken_at, camera) from EXIF; a damaged EXIF block gives neither."""
    try:
        details = exif.get_ifd(ExifTags.IFD.Exif)
        when = _exif_text(
            details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
        )
        make = _exif_text(exif.get(ExifTags.Base.Make))
        model = _exif_text(exif.get(ExifTags.Base.Model))
        offset = _exif_text(details.get(ExifTags.Base.OffsetTimeOriginal))
    except Exception:  # EXIF written by anything at all; never worth refusing a photo over
        return None, ""
    camera = model if make and model.lower().startswith(make.lower()) else f"{make} {model}"
    return _exif_datetime(when, offset), camera.strip()[:100]


def _exif_datetime(value, offset):
    try:
        naive = datetime.datetime.strptime(value, "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if offset:
        try:
            return datetime.datetime.strptime(f"{value} {offset}", "%Y:%m:%d %H:%M:%S %z")
        except ValueError:
            pass
    # Cameras keep local time without a zone: the paper's own is the best guess.
    return timezone.make_aware(naive, timezone.get_default_timezone())
