"""Small pictures made in memory for the photo tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image


def picture_bytes(format="JPEG", size=(64, 48), color="green", **options):
    buffer = io.BytesIO()
    mode = "RGBA" if format in ("PNG", "WEBP") and options.pop("alpha", False) else "RGB"
    Image.new(mode, size, color).save(buffer, format, **options)
    return buffer.getvalue()


def two_colour_jpeg(size=(40, 20), exif=None, **options):
    """A JPEG whose left half is red and right half blue, to see which way it was turned."""
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, exif=exif or Image.Exif(), **options)
    return buffer.getvalue()


def camera_exif(orientation=6):
    """EXIF as a phone writes it: turned, with the time, the camera and where it was taken."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "Canon EOS R5"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2022:02:12 09:30:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 52.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (112.0, 33.0, 0.0)
    return exif


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)
