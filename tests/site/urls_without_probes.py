"""A URL configuration without the probes, for tests/site/test_handler.py."""

from django.urls import include, path

urlpatterns = [path("", include("articles.site.urls"))]
