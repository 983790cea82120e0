"""The read-only syndication API: published content as IPTC ninjs 2.2.

Plain Django views rather than a framework: the output shape is fixed by an
external standard, not by our models, the API only reads, and every HTTP
detail it must get right (allowlisted filters answering 400, conditional
GET, CORS, problem+json errors) is a few lines here either way.

    urls.py      routes, included under /api/v1/ by newsroom/urls.py
    views.py     thin views: validate, check freshness, build, answer
    queries.py   the querysets the views start from (loading recipes: articles.selectors)
    filters.py   the django-filter allowlist of query parameters
    ninjs.py     Article and Edition as ninjs documents
    http.py      JSON and problem responses, ETag/Last-Modified, CORS
    openapi.py   the OpenAPI description, built from the same allowlist
"""
