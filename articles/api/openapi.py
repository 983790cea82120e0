"""The OpenAPI 3.1 description of the API, at /api/v1/openapi.json.

Query parameters come from the same FilterSets the views use, so the
description cannot offer a filter the API refuses or hide one it accepts.
The document schema describes the subset of ninjs 2.2 the API writes; the
tests check every answer against it and against IPTC's own schema.
"""

import django_filters

from articles.api import filters

PARAMETER_DESCRIPTIONS = {
    "section": "Section slug, the `literal` of a subject with `rel` section.",
    "tag": "Tag slug, the `literal` of a subject with `rel` tag (tags are Chinese words).",
    "person": "Person slug, the `literal` of a bylined person in `people`.",
    "kind": "Kind of copy, the `literal` of the genre.",
    "published_after": "Published on or after this day (Asia/Shanghai).",
    "published_before": "Published on or before this day (Asia/Shanghai).",
    "edition": "Only what ran in the published edition of this date.",
    "updated_since": (
        "Incremental sync: what changed at or after this time (RFC 3339), including "
        "withdrawn articles as `pubstatus: canceled` without their content. Encode `+` as "
        "`%2B`. Use with `ordering=updated` and ask next time from the newest `versioncreated`."
    ),
    "ordering": "Order by publication or update time; `-` for newest first. Default `-published`.",
    "date_after": "Editions of this date or later.",
    "date_before": "Editions of this date or earlier.",
    "page": "Page number, from 1.",
    "page_size": f"Items per page, {filters.DEFAULT_PAGE_SIZE} unless given.",
}


def _parameter_schema(filter_):
    if isinstance(filter_, django_filters.OrderingFilter):
        return {"type": "string", "enum": [value for value, _label in filter_.extra["choices"]]}
    if isinstance(filter_, django_filters.ChoiceFilter):
        return {"type": "string", "enum": [value for value, _label in filter_.extra["choices"]]}
    if isinstance(filter_, django_filters.IsoDateTimeFilter):
        return {"type": "string", "format": "date-time"}
    if isinstance(filter_, django_filters.DateFilter | django_filters.DateFromToRangeFilter):
        return {"type": "string", "format": "date"}
    # Django refuses NUL characters in text with 400.
    return {"type": "string", "pattern": "^[^\\u0000]*$"}


def _query_parameters(filterset_class):
    parameters = [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": PARAMETER_DESCRIPTIONS[name],
            "schema": _parameter_schema(filter_),
        }
        for name, filter_ in filters.parameters(filterset_class)
    ]
    parameters += [
        {
            "name": "page",
            "in": "query",
            "required": False,
            "description": PARAMETER_DESCRIPTIONS["page"],
            "schema": {"type": "integer", "minimum": 1},
        },
        {
            "name": "page_size",
            "in": "query",
            "required": False,
            "description": PARAMETER_DESCRIPTIONS["page_size"],
            "schema": {"type": "integer", "minimum": 1, "maximum": filters.MAX_PAGE_SIZE},
        },
    ]
    return parameters


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _array(items):
    return {"type": "array", "items": items}


def _object(properties, required=()):
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema


STRING = {"type": "string"}
URI = {"type": "string", "format": "uri"}
DATE_TIME = {"type": "string", "format": "date-time"}
ENTITY = _object({"name": STRING, "rel": STRING, "literal": STRING})
ROLE_VALUE = _object({"role": STRING, "value": STRING}, required=["value"])

NINJS = _object(
    {
        "name": {"type": "string", "description": "Set on associations only."},
        "uri": URI,
        "standard": _object({"name": STRING, "version": STRING, "schema": URI}),
        "type": {"type": "string", "enum": ["text", "picture", "composite"]},
        "representationtype": {"type": "string", "enum": ["full", "partial"]},
        "profile": {"type": "string", "enum": ["edition", "page"]},
        "version": STRING,
        "firstcreated": DATE_TIME,
        "versioncreated": DATE_TIME,
        "contentcreated": DATE_TIME,
        "pubstatus": {"type": "string", "enum": ["usable", "canceled"]},
        "language": STRING,
        "copyrightholder": STRING,
        "title": STRING,
        "by": {"type": "string", "description": "The byline as printed: 本报讯(记者 司勇)."},
        "genres": _array(_object({"literal": STRING})),
        "headlines": _array(
            _object(
                {
                    "role": {"type": "string", "enum": ["main", "subheadline", "kicker"]},
                    "value": STRING,
                },
                required=["value"],
            )
        ),
        "people": _array(ENTITY),
        "subjects": _array(ENTITY),
        "descriptions": _array(ROLE_VALUE),
        "bodies": _array(
            _object(
                {
                    "role": STRING,
                    "contenttype": STRING,
                    "charcount": {"type": "integer"},
                    "value": STRING,
                },
                required=["value"],
            )
        ),
        "renditions": _array(
            _object(
                {
                    "name": STRING,
                    "href": URI,
                    "contenttype": STRING,
                    "width": {"type": "integer"},
                    "height": {"type": "integer"},
                },
                required=["name"],
            )
        ),
        "altids": _array(ROLE_VALUE),
        "associations": _array(_ref("Association")),
    },
    required=["uri"],
)


def _page_of(item_schema):
    return _object(
        {
            "count": {"type": "integer", "minimum": 0},
            "next": {"type": ["string", "null"], "format": "uri"},
            "previous": {"type": ["string", "null"], "format": "uri"},
            "results": _array(item_schema),
        },
        required=["count", "next", "previous", "results"],
    )


PROBLEM = _object(
    {
        "type": STRING,
        "title": STRING,
        "status": {"type": "integer"},
        "detail": STRING,
        "errors": {"type": "object", "additionalProperties": _array(STRING)},
    },
    required=["type", "title", "status", "detail"],
)

_VALIDATORS = {
    "ETag": {"schema": STRING, "description": "Send back as If-None-Match; 304 if unchanged."},
    "Last-Modified": {"schema": STRING},
    "Cache-Control": {"schema": STRING},
}


def _problem(description):
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref("Problem")}},
    }


def _operation(operation_id, summary, schema, *, parameters=(), errors=()):
    responses = {
        "200": {
            "description": "OK",
            "headers": _VALIDATORS,
            "content": {"application/json": {"schema": schema}},
        },
        "304": {"description": "Not modified since the ETag or date the client sent."},
    }
    for status, description in errors:
        responses[status] = _problem(description)
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "parameters": list(parameters),
            "responses": responses,
        }
    }


BAD_QUERY = ("400", "A query parameter that is not accepted, or a value that is not valid.")


def openapi_document():
    """Return the OpenAPI description of the API as a dict."""
    date = {
        "name": "date",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "format": "date"},
    }
    article_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Newsroom syndication API",
            "version": "1",
            "description": (
                "Published articles as IPTC ninjs 2.2 documents, and the manifests of published "
                "editions. Read-only; errors are RFC 9457 problem documents."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/articles/": _operation(
                "listArticles",
                "Published articles, newest first",
                _page_of(_ref("Ninjs")),
                parameters=_query_parameters(filters.ArticleFilter),
                errors=[BAD_QUERY, ("404", "A page past the last.")],
            ),
            "/articles/{id}/": _operation(
                "getArticle",
                "One published article",
                _ref("Ninjs"),
                parameters=[article_id],
                errors=[
                    BAD_QUERY,
                    ("404", "No published article has this id."),
                    ("410", "The article was withdrawn."),
                ],
            ),
            "/editions/": _operation(
                "listEditions",
                "Published editions, newest first",
                _page_of(_ref("Ninjs")),
                parameters=_query_parameters(filters.EditionFilter),
                errors=[BAD_QUERY, ("404", "A page past the last.")],
            ),
            "/editions/{date}/": _operation(
                "getEdition",
                "A published edition: its pages in order, each with its articles",
                _ref("Ninjs"),
                parameters=[date],
                errors=[BAD_QUERY, ("404", "No edition of this date is published.")],
            ),
            "/openapi.json": {
                "get": {
                    "operationId": "getOpenApi",
                    "summary": "This description",
                    "responses": {
                        "200": {
                            "description": "OK",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "304": {"description": "Not modified."},
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "Ninjs": NINJS,
                "Association": {
                    "allOf": [_ref("Ninjs")],
                    "required": ["name", "uri"],
                },
                "Problem": PROBLEM,
            }
        },
    }
