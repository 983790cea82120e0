"""Refuse requests carrying NUL bytes, before any view or database sees them.

No address, parameter, form field or header of this site ever needs a NUL
byte, and PostgreSQL can neither store nor compare text containing one: the
driver raises ValueError, which every view would have to catch (a slug, a
filter, a username, a search term, a session cookie…). Refusing it here, once,
answers every such request with the site's 400 page (the API's problem
document under the API, see articles.api.http.bad_request) instead of a 500.
"""

from django.core.exceptions import BadRequest

NUL = "\x00"


class MalformedRequest(BadRequest):
    """A request this site cannot read; `where` says which part, `name` which parameter."""

    def __init__(self, where, name=""):
        super().__init__(f"NUL byte in the {where}{f' ({name})' if name else ''}")
        self.where, self.name = where, name


def _nul_in(querydict):
    """Return the first name in querydict whose name or a value holds a NUL byte, or None."""
    for key, values in querydict.lists():
        if NUL in key or any(NUL in str(value) for value in values):
            return key
    return None


def check(request):
    """Raise MalformedRequest if any part of request holds a NUL byte."""
    if NUL in request.path_info:
        raise MalformedRequest("path")
    if (name := _nul_in(request.GET)) is not None:
        raise MalformedRequest("query string", name)
    for key, value in request.META.items():
        if key.startswith("HTTP_") and NUL in str(value):
            raise MalformedRequest("header", key.removeprefix("HTTP_").replace("_", "-").title())
    if request.method == "POST":
        if (name := _nul_in(request.POST)) is not None:
            raise MalformedRequest("form", name)
        for key, files in request.FILES.lists():
            if any(NUL in str(upload.name) for upload in files):
                raise MalformedRequest("form", key)


class MalformedRequestMiddleware:
    """Answer 400 to malformed requests: the site's own page, or the API's problem document."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Raised, not returned: handled like any BadRequest (handler400), and
        # logged as a warning, never as a server error.
        check(request)
        return self.get_response(request)
