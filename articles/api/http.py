"""HTTP for the API: JSON and problem responses, freshness, CORS."""

import functools
import hashlib
import json
from http import HTTPStatus

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views import defaults

from articles.cache import remembered, versions_tag
from newsroom.malformed import MalformedRequest
from newsroom.middleware import in_its_language

JSON = "application/json; charset=utf-8"
PROBLEM = "application/problem+json; charset=utf-8"
SAFE_METHODS = ("GET", "HEAD")
# Bump when the documents change shape, so no client keeps a stale copy.
FORMAT_VERSION = "ninjs-2.2/1"


class ApiError(Exception):
    """An answer other than 200, as an RFC 9457 problem document."""

    def __init__(self, status, detail, errors=None):
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors


def to_json(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def json_response(data, status=200, content_type=JSON):
    return HttpResponse(to_json(data), status=status, content_type=content_type)


def remembered_json_response(etag, build):
    """Answer with the JSON body of etag, built once and kept while the version stands.

    The weak ETag names everything a list's body depends on (the versions of
    its surrogate keys, the path and its parameters, the count and last
    change), so a body cached under it is the body build() would make.
    """
    body = remembered("body", etag, lambda: to_json(build()), keys=())
    return HttpResponse(body, content_type=JSON)


def problem_response(status, detail, errors=None):
    """Return an RFC 9457 problem document: JSON for every error the API gives."""
    problem = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": str(detail),
    }
    if errors:
        problem["errors"] = {name: [str(m) for m in messages] for name, messages in errors.items()}
    return json_response(problem, status=status, content_type=PROBLEM)


def etag_for(keys, *parts):
    """Return a weak ETag for the state parts describe and the versions of keys (cache.py)."""
    text = repr((FORMAT_VERSION, versions_tag(keys), *parts))
    return f'W/"{hashlib.sha256(text.encode()).hexdigest()[:32]}"'


def not_modified(request, etag, last_modified):
    """Return a 304 (or 412) answer if the client's copy is current, else None."""
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is not None:
        set_validators(response, etag, last_modified)
    return response


def set_validators(response, etag, last_modified):
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())


def _cors_origin(request):
    """Return the Access-Control-Allow-Origin value for request, or None."""
    return _allowed_origin(request.META)


def _allowed_origin(meta):
    origins = settings.API_CORS_ORIGINS
    if "*" in origins:
        return "*"
    origin = meta.get("HTTP_ORIGIN")
    return origin if origin in origins else None


def _add_cors(request, response):
    allowed = _cors_origin(request)
    if "*" not in settings.API_CORS_ORIGINS:
        # The answer depends on the Origin; shared caches must key on it.
        patch_vary_headers(response, ["Origin"])
    if allowed:
        response["Access-Control-Allow-Origin"] = allowed
        response["Access-Control-Expose-Headers"] = "ETag, Link"


def _preflight(request):
    response = HttpResponse(status=204)
    response["Allow"] = "GET, HEAD, OPTIONS"
    if _cors_origin(request):
        response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        # Conditional requests send these, which are not CORS-safelisted.
        response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        response["Access-Control-Max-Age"] = "86400"
    return response


def cors_vary(meta):
    """What the answer's CORS headers depend on, for the page cache's key (from request.META)."""
    return _allowed_origin(meta) or ""


def api_view(view):
    """Make view a read-only API endpoint: GET/HEAD, JSON errors, caching, CORS."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = _preflight(request)
        elif request.method not in SAFE_METHODS:
            response = problem_response(405, _("This API only reads: use GET."))
            response["Allow"] = "GET, HEAD, OPTIONS"
        else:
            try:
                response = view(request, *args, **kwargs)
            except ApiError as error:
                response = problem_response(error.status, error.detail, error.errors)
            except Http404:
                response = problem_response(404, _("Not found."))
            if response.status_code in (200, 304):
                response["Cache-Control"] = f"public, max-age={settings.API_CACHE_SECONDS}"
            elif response.status_code == 412:
                response = problem_response(412, _("The precondition failed."))
        _add_cors(request, response)
        return response

    return wrapper


def bad_request(request, exception):
    """Answer a malformed request (handler400): the API with a problem document, the rest with a page."""
    api_root = reverse("api:not-found", kwargs={"path": ""})
    if not request.path_info.startswith(api_root):
        # Malformed requests are refused before LocaleMiddleware (newsroom.malformed).
        with in_its_language(request):
            return defaults.bad_request(request, exception)
    errors = None
    if isinstance(exception, MalformedRequest) and exception.name:
        errors = {exception.name: [_("A NUL byte is not allowed in any value.")]}
    detail = _("The request cannot be read: it is malformed or too large.")
    return problem_response(400, detail, errors)
