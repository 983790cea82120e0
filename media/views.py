"""Uploaded pictures, to whoever may see them.

Every stored file of a photo (its picture and its renditions) is served here,
at MEDIA_URL, and nowhere else: to anyone once the photo appears on copy
readers may see, and until then only to staff who may see photos. Whether
copy is public depends on the clock as well as on its state (a scheduled
publication becomes public at its time, with no write at all) and a
withdrawal takes it down at once, so the question is asked on each request,
of the same rule every public page uses (Photo.objects.on_published_copy()).

The bytes go out by whichever way the set-up has (README, "Photos"): nginx
sends the file itself after this check (MEDIA_ACCEL_REDIRECT), an S3 store
through a short-lived signed URL, or, for development and small sites,
Django streams it.
"""

import posixpath

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect
from django.utils.encoding import iri_to_uri
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

from .models import Photo

# The signatures of the formats we store; a file is served as what it is.
_SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]
_BY_EXTENSION = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}
# Longest stored name there is: photos/2026/11/<32 hex>_<7>.webp, renditions/…/1600w.webp.
_LONGEST_NAME = 100


def picture_type(head):
    """Return the image content type of a file starting with head, or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for signature, kind in _SIGNATURES if head.startswith(signature)), None)


def may_see_unpublished(user):
    return (
        user.is_active
        and user.is_staff
        and (user.has_perm("media.view_photo") or user.has_perm("media.change_photo"))
    )


@require_safe
def serve(request, path):
    """Serve a stored picture to whoever may see it; anything else is not found.

    Public (on published copy): cached by browsers and shared caches for as
    long as public pages are (PUBLIC_CACHE_TIMEOUT), so that a withdrawal
    takes it down as soon as it takes the pages down. Unpublished: for staff
    who may see photos, private to their browser; for anyone else, 404, the
    same answer as for a file that does not exist.
    """
    name = posixpath.normpath(path).lstrip("/")
    if len(name) > _LONGEST_NAME or name.startswith(".."):
        raise Http404
    photos = Photo.objects.with_file(name)
    # Public is asked first: a public picture touches no session (no Vary: Cookie).
    if photos.on_published_copy().exists():
        cache_control = f"public, max-age={settings.PUBLIC_CACHE_TIMEOUT}"
    elif photos.exists() and may_see_unpublished(request.user):
        cache_control = "private, max-age=60"
    else:
        raise Http404
    response = _deliver(request, name)
    response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _deliver(request, name):
    if settings.MEDIA_ACCEL_REDIRECT:
        # nginx sends the file from its internal location (README, "Photos").
        extension = name.rsplit(".", 1)[-1].lower()
        if extension not in _BY_EXTENSION:
            raise Http404
        response = HttpResponse(content_type=_BY_EXTENSION[extension])
        response["X-Accel-Redirect"] = iri_to_uri(f"{settings.MEDIA_ACCEL_REDIRECT}{name}")
        return response
    try:
        default_storage.path(name)
    except NotImplementedError:
        # An object store: the bucket is private, and this signed URL is short-lived.
        return redirect(default_storage.url(name))
    return _stream(request, name)


def _stream(request, name):
    """Stream a file from local storage, as what its bytes say it is, with Last-Modified."""
    try:
        modified = default_storage.get_modified_time(name).timestamp()
        file = default_storage.open(name, "rb")
    except OSError:  # gone since it was recorded, or a directory
        raise Http404 from None
    if not was_modified_since(request.META.get("HTTP_IF_MODIFIED_SINCE"), modified):
        file.close()
        return HttpResponseNotModified()
    content_type = picture_type(file.read(12))
    if content_type is None:
        file.close()
        raise Http404
    file.seek(0)
    response = FileResponse(file, content_type=content_type)
    response["Last-Modified"] = http_date(modified)
    return response
