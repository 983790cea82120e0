"""The floor: the cheapest Django page there is, for side-by-side throughput ratios.

The reference floor the performance issue measures against, vendored (the
same settings and view, formatted by ruff) so that `make bench` measures the
same way in any clone; `benchmark --floor PATH` runs another floor instead.

gunicorn floor:application -w 2 -b 127.0.0.1:8001 --no-control-socket   (run from tests/perf/)
Same Django version and middleware as a startproject default, DEBUG off.
"""

from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="floor-not-secret",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
)

import django  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

django.setup()


def ok(request):
    return HttpResponse(b"ok")


urlpatterns = [path("", ok)]
application = get_wsgi_application()
