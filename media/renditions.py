"""Web renditions of a photo: WebP and JPEG at a few widths, made once and kept in storage.

Renditions are named after a hash of the cleaned picture, so a name never
points at two different pictures (caches and CDNs may keep them for ever) and
the same picture uploaded twice reuses what was made the first time.
"""

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image

# Extension -> (Pillow format, content type), in the order browsers should try them.
FORMATS = {"webp": ("WEBP", "image/webp"), "jpg": ("JPEG", "image/jpeg")}


@dataclass(frozen=True)
class Rendition:
    """One stored rendition: what an API or a template needs to point at it."""

    name: str
    url: str
    width: int
    height: int
    content_type: str

    @property
    def format(self):
        return self.content_type.removeprefix("image/")


def widths_for(width):
    """Return the rendition widths for a picture this wide; none is wider than the picture.

    A picture narrower than the largest web size also gets a rendition at its
    own width, so wide screens still get all of it.
    """
    sizes = sorted(settings.PHOTO_RENDITION_WIDTHS)
    widths = [size for size in sizes if size < width]
    if width <= sizes[-1]:
        widths.append(width)
    return widths


def content_key(data):
    """Return the name under which the renditions of these picture bytes are kept."""
    return hashlib.sha256(data).hexdigest()[:32]


def render_stored(name: str, key: str, storage: Storage) -> list[dict[str, Any]]:
    """Make the renditions of the picture stored under name; return their records.

    The stored picture is already clean (upright, in a format we accept, no
    larger than PHOTO_MAX_PIXELS), so it is decoded as it is.
    """
    with storage.open(name, "rb") as file:
        image = Image.open(file)
        image.load()
    return make_renditions(image, key, storage)


def make_renditions(image, key, storage):
    """Store the renditions of a cleaned picture and return their records.

    Each record is a dict with name, width, height and content_type. A file
    already in storage under its name is not made again.
    """
    records = []
    base = None
    for width in widths_for(image.width):
        height = max(1, round(image.height * width / image.width))
        resized = None
        for extension, (format, content_type) in FORMATS.items():
            name = f"renditions/{key[:2]}/{key}/{width}w.{extension}"
            if not storage.exists(name):
                if resized is None:
                    base = base or _for_web(image)
                    resized = _resize(base, width, height)
                content = ContentFile(_encode(resized, format), name=name)
                # django-storages sends this as the object's Content-Type.
                content.content_type = content_type
                name = storage.save(name, content)
            records.append(
                {"name": name, "width": width, "height": height, "content_type": content_type}
            )
    return records


def _for_web(image):
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    converted = image.convert("RGBA" if has_alpha else "RGB")
    converted.info = (
        {"icc_profile": image.info["icc_profile"]} if "icc_profile" in image.info else {}
    )
    return converted


def _resize(image, width, height):
    if (width, height) == image.size:
        return image
    # reducing_gap shrinks by whole factors first: fast on a 60-megapixel picture,
    # with no visible difference.
    resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    resized.info = image.info
    return resized


def _encode(image, format):
    buffer = io.BytesIO()
    icc_profile = image.info.get("icc_profile")
    if format == "JPEG":
        if image.mode == "RGBA":
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        image.save(
            buffer,
            "JPEG",
            quality=settings.PHOTO_JPEG_QUALITY,
            optimize=True,
            progressive=True,
            icc_profile=icc_profile,
        )
    else:
        image.save(
            buffer, "WEBP", quality=settings.PHOTO_WEBP_QUALITY, method=4, icc_profile=icc_profile
        )
    return buffer.getvalue()
