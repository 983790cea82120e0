"""Logging in: who is asking (the client address as the load balancer saw it), the form, throttling."""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db.models import Sum
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request):
    """Return the client's address, trusting TRUSTED_PROXY_COUNT proxies in front of us.

    Each proxy appends the address it was called from to X-Forwarded-For, so
    the client is the entry that many places from the right; anything further
    left was written by the client and proves nothing. Used by django-axes to
    count failed logins per address.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies and _is_address(forwarded[-proxies]):
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _is_address(text):
    # A proxy count set higher than the real one would hand us what the client
    # wrote; django-axes stores the address in an inet column, which refuses junk.
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class LoginThrottle(AxesDatabaseHandler):
    """django-axes' database handler, counting failures per account across addresses too.

    Per (account, address), AXES_FAILURE_LIMIT wrong passwords lock that pair
    (AXES_LOCKOUT_PARAMETERS). Many addresses would each get as many guesses
    at the same account, so AXES_ACCOUNT_FAILURE_LIMIT wrong passwords for
    one account from all addresses together, within the cool-off time, lock
    the account from everywhere. That limit is higher: reaching it takes
    several addresses, since a locked pair's further guesses are refused
    unrecorded, and it locks the owner out too until the cool-off passes or
    `manage.py axes_reset_username` unlocks.
    """

    def get_failures(self, request, credentials=None):
        failures = super().get_failures(request, credentials)
        username = get_client_username(request, credentials)
        if username is None:
            return failures
        account = AccessAttempt.objects.filter(
            username=username, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(total=Sum("failures_since_start"))["total"]
        if (account or 0) >= settings.AXES_ACCOUNT_FAILURE_LIMIT:
            request.newsroom_account_locked = True  # for the page locked_out() shows
            return max(failures, get_failure_limit(request, credentials))
        return failures


def locked_out(request, original_response=None, credentials=None):
    """Answer a login refused by django-axes: 429, in the admin's look and language."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    account = getattr(request, "newsroom_account_locked", False)
    context = {
        "account_locked": account,
        "failure_limit": settings.AXES_ACCOUNT_FAILURE_LIMIT
        if account
        else settings.AXES_FAILURE_LIMIT,
        "minutes": minutes,
        "title": _("Too many failed logins"),
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
    }
    response = render(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


class LoginForm(AdminAuthenticationForm):
    """The admin's login form, refusing a username no account can have before authenticating.

    Django sets the username field's max_length after the field is built, so
    it is never checked: a username of 10,000 characters went on to
    authentication, and django-axes' record of the failure overflowed its
    column (a 500 on PostgreSQL).
    """

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
