"""Helpers shared by the tests: people at work in the admin, copy made the way the newsroom makes it."""

from django.test import Client
from django.urls import reverse

CHANGE = "admin:articles_article_change"


def client_for(user):
    """A browser logged in as user."""
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse(CHANGE, args=[article.pk])


def form_data(article, **overrides):
    """What the article's change form posts, as its author would leave it."""
    data = {
        "kind": article.kind,
        "kicker": article.kicker,
        "headline": article.headline,
        "subheadline": article.subheadline,
        "web_headline": article.web_headline,
        "source": article.source,
        "body": article.body,
        "summary": article.summary,
        "base_version": str(article.version),
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "article_photos-TOTAL_FORMS": "0",
        "article_photos-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        "transitions-TOTAL_FORMS": "0",
        "transitions-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data
