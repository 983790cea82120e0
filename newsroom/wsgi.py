import os

import django
from django.conf import settings
from django.utils.module_loading import import_string

from newsroom.handlers import WSGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

# What get_wsgi_application() does, with Django's handler made to resolve
# each path once per process (newsroom/handlers.py).
django.setup(set_prefix=False)
application = WSGIHandler()

# What answers before Django builds a request (settings.WSGI_FRONT: the page
# cache's hits, articles/cache.py), named by path as middleware is.
for front in settings.WSGI_FRONT:
    application = import_string(front)(application)
