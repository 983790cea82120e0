"""The API's endpoints: validate the query, answer 304 if nothing changed, build, answer.

Every list is counted and its freshness checked in one aggregate query,
remembered while the versions of the list's surrogate keys stand, before any document is built: a client whose
copy is current usually costs no query; a page of documents costs a constant
number, however long.
"""

from math import ceil

from django.conf import settings
from django.db.models import Count, Max, prefetch_related_objects
from django.utils.translation import gettext as _

from articles.api import queries
from articles.api.filters import (
    DEFAULT_PAGE_SIZE,
    ArticleFilter,
    EditionFilter,
    PageForm,
    allowed_parameters,
)
from articles.api.http import (
    ApiError,
    api_view,
    etag_for,
    json_response,
    not_modified,
    remembered_json_response,
    set_validators,
)
from articles.api.ninjs import Documents
from articles.api.openapi import openapi_document
from articles.cache import ARTICLES, EDITIONS, add_keys, article_key, edition_key, remembered
from articles.models import Article
from articles.selectors import document_prefetches, for_documents


def base_url(request):
    """Return where URIs start: SITE_URL if set, else the host the request came to."""
    return settings.SITE_URL or request.build_absolute_uri("/")


def check_parameters(request, allowed):
    unknown = sorted(set(request.GET) - set(allowed))
    if not unknown:
        return
    if allowed:
        detail = _("Unknown query parameters: %(unknown)s. This endpoint accepts: %(allowed)s.")
    else:
        detail = _("Unknown query parameters: %(unknown)s. This endpoint takes none.")
    detail %= {"unknown": ", ".join(unknown), "allowed": ", ".join(allowed)}
    errors = {name: [_("Not a query parameter of this endpoint.")] for name in unknown}
    raise ApiError(400, detail, errors)


def filtered(request, filterset_class, queryset):
    check_parameters(request, allowed_parameters(filterset_class))
    filterset = filterset_class(request.GET, queryset=queryset)
    if not filterset.is_valid():
        raise ApiError(
            400, _("Some query parameters have values that are not valid."), filterset.errors
        )
    return filterset.qs


def paginated(request, queryset, *, load, render, keys, last_modified=None):
    """Answer with one page of queryset: count, next/previous links, results."""
    add_keys(request, *keys)
    form = PageForm(request.GET)
    if not form.is_valid():
        raise ApiError(400, _("Some query parameters have values that are not valid."), form.errors)
    number = form.cleaned_data["page"] or 1
    size = form.cleaned_data["page_size"] or DEFAULT_PAGE_SIZE

    params = sorted((k, v) for k, v in request.GET.lists() if k not in {"page", "page_size"})
    stats = remembered(
        f"stats:{request.path}",
        params,
        lambda: queryset.aggregate(count=Count("pk"), updated=Max("updated_at")),
        keys=keys,
    )
    count, last_page = stats["count"], max(1, ceil(stats["count"] / size))
    if number > last_page:
        raise ApiError(
            404,
            _("There is no page %(number)s; the last page is %(last)s.")
            % {"number": number, "last": last_page},
        )
    base = base_url(request)
    etag = etag_for(keys, base, request.path, sorted(request.GET.lists()), count, stats["updated"])
    last_modified = last_modified or stats["updated"]
    if response := not_modified(request, etag, last_modified):
        return response

    def link(page):
        query = request.GET.copy()
        query["page"] = page
        return f"{base.rstrip('/')}{request.path}?{query.urlencode()}"

    def build():
        items = list(load(queryset)[(number - 1) * size : number * size])
        return {
            "count": count,
            "next": link(number + 1) if number < last_page else None,
            "previous": link(number - 1) if number > 1 else None,
            "results": render(Documents(base), items),
        }

    response = remembered_json_response(etag, build)
    set_validators(response, etag, last_modified)
    return response


@api_view
def article_list(request):
    """Published articles, newest first, filtered; withdrawn ones too for sync clients."""
    published = Article.objects.published().order_by("-published_at", "-pk")
    return paginated(
        request,
        filtered(request, ArticleFilter, published),
        load=for_documents,
        render=lambda documents, items: [documents.article(a) for a in items],
        keys=[ARTICLES],
        last_modified=queries.last_public_change(),
    )


@api_view
def article_detail(request, pk):
    check_parameters(request, [])
    add_keys(request, article_key(pk))
    article = Article.objects.published().select_related("section").filter(pk=pk).first()
    if article is None:
        if Article.objects.withdrawn().filter(pk=pk).exists():
            raise ApiError(410, _("This article has been withdrawn."))
        raise ApiError(404, _("There is no published article with this id."))
    base = base_url(request)
    etag = etag_for([article_key(pk)], base, article.pk, article.version, article.updated_at)
    if response := not_modified(request, etag, article.updated_at):
        return response
    prefetch_related_objects([article], *document_prefetches())
    response = json_response(Documents(base).article(article))
    set_validators(response, etag, article.updated_at)
    return response


@api_view
def edition_list(request):
    """Published editions, newest first, each as a ninjs composite without its pages."""
    return paginated(
        request,
        filtered(request, EditionFilter, queries.published_editions()),
        load=lambda queryset: queryset,
        render=lambda documents, items: [documents.edition(e) for e in items],
        keys=[EDITIONS],
    )


@api_view
def edition_detail(request, date):
    """The edition's manifest: its pages in order, each with its published articles."""
    check_parameters(request, [])
    edition = queries.published_editions().filter(date=date).first()
    if edition is None:
        raise ApiError(404, _("There is no published edition of this date."))
    add_keys(request, edition_key(edition.pk))
    stats = (
        Article.objects.published()
        .filter(page__edition=edition)
        .aggregate(count=Count("pk"), updated=Max("updated_at"))
    )
    last_modified = max(filter(None, [edition.updated_at, stats["updated"]]))
    base = base_url(request)
    etag = etag_for(
        [edition_key(edition.pk)],
        base,
        edition.pk,
        edition.updated_at,
        stats["count"],
        stats["updated"],
    )
    if response := not_modified(request, etag, last_modified):
        return response
    response = json_response(Documents(base).edition(edition, queries.edition_pages(edition)))
    set_validators(response, etag, last_modified)
    return response


@api_view
def openapi(request):
    check_parameters(request, [])
    document = openapi_document()
    add_keys(request)  # changes only with a release
    etag = etag_for([], document)
    if response := not_modified(request, etag, None):
        return response
    response = json_response(document)
    set_validators(response, etag, None)
    return response


@api_view
def not_found(request, path=""):
    raise ApiError(404, _("There is no such API endpoint."))
