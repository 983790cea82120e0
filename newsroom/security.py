"""Logging in: who is asking (the client address as the load balancer saw it), the form, throttling."""

import ipaddress
import json

from axes.utils import reset
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model, login
from django.core import signing
from django.core.cache import cache
from django.core.mail import send_mail
from django.core.validators import MaxLengthValidator
from django.http import HttpResponseNotAllowed, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from . import tasks
from .background import enqueue_on_commit


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


def locked_out(request, original_response=None, credentials=None):
    """Answer a login refused by django-axes: 429, in the admin's look and language.

    A lock is for one account from one address (AXES_LOCKOUT_PARAMETERS), so
    nobody elsewhere can lock a person out; attempts while it lasts do not
    extend it; and the page offers the way back: an unlock link sent to the
    account's own e-mail address (unlock_request), or the desk head or chief
    editor, who may unlock logins in the admin.
    """
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
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


# --- the way back from a lock: a link to the account's own e-mail address ---------------

UNLOCK_SALT = "newsroom.security.unlock"
UNLOCK_LINK_MINUTES = 30


class UnlockForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)


def unlock_request(request):
    """Send an unlock link to the account's own e-mail address; say the same whatever the name.

    The answer never tells whether the account exists or has an address. At
    most one link per account per cool-off, so the page cannot flood a mailbox.
    """
    form = UnlockForm(request.POST or None)
    sent = False
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if (
            user is not None
            and user.email
            and cache.add(
                f"newsroom:unlock-mail:{user.pk}", 1, settings.AXES_COOLOFF_TIME.total_seconds()
            )
        ):
            token = signing.dumps(user.get_username(), salt=UNLOCK_SALT)
            link = request.build_absolute_uri(reverse("unlock-login", args=[token]))
            # The link is made here (the request knows the address it came to);
            # the mail server is the job's to wait on (newsroom/tasks.py).
            enqueue_on_commit(tasks.send_unlock_email, user.pk, link)
        sent = True
    context = {
        "form": form,
        "sent": sent,
        "title": _("Unlock your login"),
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
    }
    return render(request, "admin/unlock_request.html", context)


def send_unlock_link(user_id, link):
    """E-mail link to the account's own address, in the newsroom's language; the job's work."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            _("[%(paper)s] Unlock your login") % {"paper": settings.NEWSPAPER_NAME},
            _(
                "Someone (perhaps you) was refused a login to your account after too many "
                "wrong passwords. To log in again now, open this link within %(minutes)s "
                "minutes:\n\n%(link)s\n\nIf it was not you, tell the desk: your password "
                "is being guessed."
            )
            % {"minutes": UNLOCK_LINK_MINUTES, "link": link},
            None,
            [user.email],
        )


def unlock(request, token):
    """Open a locked login from the link sent to the account's own address, then log in."""
    try:
        username = signing.loads(token, salt=UNLOCK_SALT, max_age=UNLOCK_LINK_MINUTES * 60)
    except signing.BadSignature:
        messages.error(
            request, _("The unlock link is not valid or has expired; ask for a new one.")
        )
        return redirect("unlock-request")
    reset(username=username)
    messages.success(request, _("Your login is unlocked: log in now."))
    return redirect("admin:login")


# --- a login that expired while a form was open ----------------------------------------


@never_cache
def staff_session(request):
    """Say whether the session still holds, or log its person back in, for an open form (JSON).

    GET answers {"authenticated": …, "csrf_token": …}: a page about to post
    asks first, and takes the current token (a login in another tab changed
    it). POST {"username", "password"} logs in again as the admin's login
    form does (django-axes counting failures) and answers the new token, so
    that the page then posts what was typed, nothing lost.
    """
    if request.method == "GET":
        return JsonResponse(
            {"authenticated": request.user.is_authenticated, "csrf_token": get_token(request)}
        )
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return JsonResponse({"error": _("Nothing to log in with.")}, status=400)
    form = LoginForm(
        request,
        data={"username": str(data.get("username", "")), "password": str(data.get("password", ""))},
    )
    if not form.is_valid():
        return JsonResponse({"error": _("The password is not right.")}, status=403)
    login(request, form.get_user())
    return JsonResponse({"authenticated": True, "csrf_token": get_token(request)})
