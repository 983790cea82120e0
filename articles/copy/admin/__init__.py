"""Copy in the admin: articles, sections, tags, and copy's part of people's and photos' pages."""

from articles.copy.admin import articles, related  # noqa: F401 (registers the admin pages)
