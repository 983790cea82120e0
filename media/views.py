import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

# The signatures of the formats we store; a file is served as what it is.
_SIGNATURES = [
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]


def picture_type(head):
    """Return the image content type of a file starting with head, or None."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for signature, kind in _SIGNATURES if head.startswith(signature)), None)


@require_safe
def serve(request, path):
    """Serve an uploaded picture with its real content type; anything else is not found.

    For development and small sites (SERVE_MEDIA). The type comes from the
    file's bytes, never its name, and nosniff with a sandboxing CSP keeps a
    browser from treating any upload as a page, so nothing uploaded is ever
    served as HTML or SVG.
    """
    path = posixpath.normpath(path).lstrip("/")
    try:
        file = default_storage.open(path, "rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError, PermissionError):
        raise Http404 from None
    content_type = picture_type(file.read(12))
    if content_type is None:
        file.close()
        raise Http404
    file.seek(0)
    response = FileResponse(file, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if path.startswith("renditions/"):
        # Named by content: a rendition's URL never changes what it shows.
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
