import json

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from articles import workflow
from tests.conftest import STANDARDS
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    EditionFactory,
    PageFactory,
    PersonFactory,
)

NINJS_SCHEMA = STANDARDS / "ninjs-schema_2.2.json"
# ninjs refers to GeoJSON by URL for places; we send no places, and tests
# never touch the network, so a permissive local stand-in answers that $ref.
GEOJSON = "https://geojson.org/schema/GeoJSON.json"


@pytest.fixture(scope="session")
def ninjs_validator():
    if not NINJS_SCHEMA.exists():
        pytest.fail(f"the ninjs schema is missing: {NINJS_SCHEMA}")
    schema = json.loads(NINJS_SCHEMA.read_text(encoding="utf-8"))
    registry = Registry().with_resource(GEOJSON, Resource({}, specification=DRAFT202012))
    return Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


@pytest.fixture
def api(client, ninjs_validator):
    """GET an API URL; every ninjs document in a 200 answer is validated against IPTC's schema."""

    def get(url, **headers):
        response = client.get(url, headers=headers)
        if response.status_code == 200 and "openapi" not in url:
            data = response.json()
            for document in data["results"] if "results" in data else [data]:
                ninjs_validator.validate(document)
        return response

    return get


def publish(article, people):
    return workflow.transition(article, "publish_now", user=people["editor"])


def published_article(people, bylines=1, **fields):
    """Web news taken through the workflow: approved copy, then published at once."""
    article = ArticleFactory(status="approved", **fields)
    for position in range(bylines):
        BylineFactory(article=article, position=position)
    return publish(article, people)


def planned_edition(articles=1, pages=1, **edition_fields):
    """An edition being planned whose pages pass preflight."""
    edition = EditionFactory(**edition_fields)
    for number in range(1, pages + 1):
        page = PageFactory(edition=edition, number=number, name="要闻", editor=PersonFactory())
        for position in range(1, articles + 1):
            BylineFactory(article=ArticleFactory(page=page, position=position, status="approved"))
    return edition


def published_edition(people, **kwargs):
    edition = workflow.sign_off(planned_edition(**kwargs), user=people["chief"])
    return workflow.publish_edition(edition, user=people["chief"])


def uris(response):
    return [document["uri"] for document in response.json()["results"]]


def uri(article):
    return f"http://testserver/articles/{article.pk}/"
