"""The model and form fields of a photo's picture file."""

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.utils.encoding import filepath_to_uri

from .images import CONTENT_TYPES, EXTENSIONS, clean_photo, open_photo
from .renditions import content_key


def media_url(name):
    """Return the site's URL of a stored file: media.views.serve decides who may have it.

    Never the storage's own URL: an S3 object's URL would bypass the check
    (and a signed one would expire inside a cached page).
    """
    return f"{settings.MEDIA_URL}{filepath_to_uri(name)}"


class PhotoFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        """Store the picture cleaned, under a name no one can guess.

        Every way a picture reaches storage through the field comes here: an
        admin upload, `photo.image.save(name, content)` from code, the demo.
        What is stored is Pillow's re-encoding (upright, no EXIF or GPS), never
        the bytes that were sent, named by a hash of itself and its real
        format's extension: never the camera's IMG_8735.jpg, which anyone
        could try. Raises ValidationError for what is not a picture we accept.
        Its web renditions are made later, by a job (the write path enqueues
        it): resizing a big picture takes seconds a request should not wait.
        """
        photo = clean_photo(content)
        key = content_key(photo.data)
        clean = ContentFile(photo.data, name=f"{key}.{photo.extension}")
        clean.content_type = photo.content_type  # used by S3-compatible storages
        super().save(clean.name, clean, save=False)
        picture_stored = getattr(self.instance, "picture_stored", None)
        if picture_stored is not None:
            picture_stored(photo, key)
        if save:
            self.instance.save()

    # Templates read this function attribute; mypy knows none on functions.
    save.alters_data = True  # type: ignore[attr-defined]

    @property
    def url(self):
        self._require_file()
        return media_url(self.name)


class PhotoFileField(forms.ImageField):
    """An upload field that decodes the whole file and says plainly why it refuses one."""

    # Not forms.ImageField's check of the file's name: a picture is what its
    # bytes are (a camera's IMG_1234, a browser's photo.jpg_large), and it is
    # stored under its real format's extension whatever it was called.
    default_validators = []

    def to_python(self, data):
        # Skip forms.ImageField's check: open_photo() does all of it, with clearer messages.
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        image = open_photo(upload)
        upload.content_type = CONTENT_TYPES[EXTENSIONS[image.format]]
        return upload

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ",".join(sorted(set(CONTENT_TYPES.values())))
        return attrs


class PhotoImageField(models.ImageField):
    """An ImageField whose files are cleaned on the way into storage."""

    attr_class = PhotoFieldFile

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PhotoFileField, **kwargs})
