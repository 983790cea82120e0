import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# Fresh cached public pages are answered before Django builds a request
# (articles/cache.py): a hit costs one round trip to the cache and little else.
from articles.cache import serve_hits  # noqa: E402 (needs Django set up)

application = serve_hits(application)
