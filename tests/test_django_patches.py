"""The places where Django's own code is mended stand on code that has not changed.

people/accounts.py names a group by its role (Group.__str__, which the admin
prints in places no hook reaches), newsroom/admin_input.py wraps two admin
methods (a malformed autocomplete value, a year beyond any date) and
newsroom/lookups.py replaces the `__in` lookup's handling of its values on
integer columns, because the admin and the ORM offer no hook for these.
newsroom/middleware.py builds django-csp's policy once per process, makes
the messages storage only when it is used and chooses the language without
reading one from paths that never carry it (public pages render faster),
re-stating what those middlewares' methods do. newsroom/handlers.py is the
WSGI handler get_wsgi_application() makes, resolving each path once.
Each test records the source of the code
the mend relies on: when a Django release changes it, the test fails and
says what to read again, instead of the mend going wrong in silence.
"""

import hashlib
import inspect

import pytest
from csp.middleware import CSPMiddleware
from django.contrib.admin import widgets
from django.contrib.admin.views.main import ChangeList
from django.contrib.messages.middleware import MessageMiddleware
from django.core.handlers.base import BaseHandler
from django.core.wsgi import get_wsgi_application
from django.db.models.lookups import In
from django.middleware.locale import LocaleMiddleware

from people.accounts import DJANGO_GROUP_STR

# (where, the code relied on, its source's digest in Django 5.2.19, what to re-read)
RELIED_ON = [
    (
        "Group.__str__",
        lambda: DJANGO_GROUP_STR,
        "1c7f83dc7877aa8e",
        "people/accounts.py role_name",
    ),
    (
        "AutocompleteMixin.optgroups",
        lambda: inspect.unwrap(widgets.AutocompleteMixin.optgroups),
        "141bb09e6a88d3bd",
        "newsroom/admin_input.py _autocomplete_optgroups",
    ),
    (
        "ChangeList.get_filters",
        lambda: inspect.unwrap(ChangeList.get_filters),
        "abf6051676f5ccae",
        "newsroom/admin_input.py _change_list_filters",
    ),
    (
        "CSPMiddleware.process_response (django-csp 4.0)",
        lambda: CSPMiddleware.process_response,
        "fa72a0cd0d633c49",
        "newsroom/middleware.py ContentSecurityPolicyMiddleware",
    ),
    (
        "MessageMiddleware.process_request",
        lambda: MessageMiddleware.process_request,
        "7f4834ba26ee0583",
        "newsroom/middleware.py LazyMessageMiddleware",
    ),
    (
        "MessageMiddleware.process_response",
        lambda: MessageMiddleware.process_response,
        "04469c9493c90e26",
        "newsroom/middleware.py LazyMessageMiddleware",
    ),
    (
        "LocaleMiddleware.process_request",
        lambda: LocaleMiddleware.process_request,
        "d9d2626c77dcfe26",
        "newsroom/middleware.py LocaleMiddleware",
    ),
    (
        "LocaleMiddleware.process_response",
        lambda: LocaleMiddleware.process_response,
        "fb2abee032d2e473",
        "newsroom/middleware.py LocaleMiddleware",
    ),
    (
        "BaseHandler.resolve_request",
        lambda: BaseHandler.resolve_request,
        "ff178c3d63eebcd3",
        "newsroom/handlers.py WSGIHandler.resolve_request",
    ),
    (
        "get_wsgi_application",
        lambda: get_wsgi_application,
        "17a7f18dc90c01b5",
        "newsroom/wsgi.py (it builds newsroom.handlers.WSGIHandler as this does)",
    ),
    (
        "In.process_rhs",
        lambda: In.process_rhs,
        "272cd81bf4e99168",
        "newsroom/lookups.py _OutOfRangeDropped",
    ),
]


def digest(function):
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()[:16]


@pytest.mark.parametrize("where, code, expected, mend", RELIED_ON, ids=[r[0] for r in RELIED_ON])
def test_the_django_code_a_mend_relies_on_is_unchanged(where, code, expected, mend):
    assert digest(code()) == expected, (
        f"Django's {where} changed: read {mend} against it again (is the mend still "
        "needed, still right?), then record the new digest here."
    )


def test_the_mends_are_installed_once():
    assert widgets.AutocompleteMixin.optgroups.newsroom_mended
    assert ChangeList.get_filters.newsroom_mended
