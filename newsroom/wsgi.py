import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

application = get_wsgi_application()

# What answers before Django builds a request (settings.WSGI_FRONT: the page
# cache's hits, articles/cache.py), named by path as middleware is.
for front in settings.WSGI_FRONT:
    application = import_string(front)(application)
