"""Each person's notifications: the list (its count is in the header), opening one, e-mail on or off.

Everyone in the newsroom has an inbox and sees only their own; nothing here
changes anything but whether a notification was read and whether it is
e-mailed (articles.services).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import services
from articles.desk import notifications
from articles.models import Notification, NotificationSettings
from people.models import name_of


class ReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "unread"

    def lookups(self, request, model_admin):
        return [("1", _("unread")), ("0", _("read"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(read_at=None)
        if self.value() == "0":
            return queryset.exclude(read_at=None)
        return queryset


class KindFilter(admin.SimpleListFilter):
    """By the kind of news (not "kind", which the newsroom reads as a story's 体裁)."""

    title = _("type of notification")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return Notification.Kind.choices

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class SettingsForm(forms.Form):
    email = forms.BooleanField(
        label=_("Send my notifications by e-mail too"),
        required=False,
        help_text=_("They are always listed here, with their count at the top of every page."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Tell me when"),
        choices=Notification.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Untick what you do not want to hear about: it is neither listed nor e-mailed."
        ),
    )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What happened to one's copy and assignments; opening one marks it read."""

    change_list_template = "admin/articles/notification/change_list.html"
    list_display = ["what", "kind_name", "by", "created_at", "email"]
    list_display_links = None
    list_filter = [ReadFilter, KindFilter]
    list_select_related = ["actor__person", *notifications.LINKED]
    list_per_page = 50
    actions = None
    show_full_result_count = False

    def get_urls(self):
        view = self.admin_site.admin_view
        info = self.opts.app_label, self.opts.model_name
        return [
            path("", view(self.changelist_view), name="{}_{}_changelist".format(*info)),
            path("<int:pk>/open/", view(self.open_view), name="{}_{}_open".format(*info)),
            path("read/", view(self.read_all_view), name="{}_{}_read".format(*info)),
            path("settings/", view(self.settings_view), name="{}_{}_settings".format(*info)),
        ]

    def get_queryset(self, request):
        mine = super().get_queryset(request).filter(recipient=request.user)
        return notifications.with_visibility(mine, request.user)

    # Everyone in the newsroom has an inbox of their own: no model permission needed.
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        allowed = request.user.is_active and request.user.is_staff
        return allowed and (obj is None or obj.recipient_id == request.user.pk)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("what happened"))
    def what(self, obj):
        url = reverse("admin:articles_notification_open", args=[obj.pk])
        text = notifications.message(obj, visible=obj.is_visible)
        if obj.read_at is None:
            return format_html('<a href="{}" class="nr-unread"><strong>{}</strong></a>', url, text)
        return format_html('<a href="{}">{}</a>', url, text)

    @admin.display(description=_("e-mail"))
    def email(self, obj):
        """Whether its e-mail left: sent, failed (with why), or failed once and to be tried again."""
        if obj.emailed_at:
            return gettext("sent")
        if obj.email_failed_at:
            return format_html(
                '<span class="nr-email-failed">{}</span>',
                gettext("not sent: %(why)s") % {"why": obj.email_error},
            )
        if obj.email_error:
            return gettext("not sent yet, to be tried again: %(why)s") % {"why": obj.email_error}
        return "—"

    @admin.display(description=_("type of notification"))
    def kind_name(self, obj):
        return notifications.kind_label(obj)

    @admin.display(description=_("by"))
    def by(self, obj):
        return name_of(obj.actor) or "—"

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "unread": self.get_queryset(request).filter(read_at=None).exists(),
            "email_on": notifications.wants_email(request.user),
            "has_email": bool(request.user.email),
        }
        return super().changelist_view(request, extra_context)

    def open_view(self, request, pk):
        """Mark one's own notification read and go to what it is about."""
        notification = get_object_or_404(self.get_queryset(request), pk=pk)
        services.mark_read(request.user, [notification])
        if not notification.is_visible:
            self.message_user(request, gettext("You may no longer see that copy."), messages.INFO)
            return HttpResponseRedirect(reverse("admin:articles_notification_changelist"))
        return HttpResponseRedirect(notifications.link(notification))

    def read_all_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        count = services.mark_read(request.user)
        self.message_user(
            request,
            gettext("%(count)s notifications marked read.") % {"count": count},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_notification_changelist"))

    def settings_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        current = NotificationSettings.objects.filter(user=request.user).first()
        muted = set(current.muted_kinds) if current else set()
        form = SettingsForm(
            request.POST if request.method == "POST" else None,
            initial={
                "email": current.email if current else True,
                "kinds": [kind for kind in Notification.Kind.values if kind not in muted],
            },
        )
        if request.method == "POST" and form.is_valid():
            wanted = set(form.cleaned_data["kinds"])
            services.save_notification_settings(
                request.user,
                email=form.cleaned_data["email"],
                muted_kinds=[kind for kind in Notification.Kind.values if kind not in wanted],
            )
            self.message_user(
                request,
                gettext("E-mail notifications are on.")
                if form.cleaned_data["email"]
                else gettext("E-mail notifications are off."),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:articles_notification_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("How you are notified"),
            "form": form,
            "email": request.user.email,
        }
        return TemplateResponse(request, "admin/articles/notification/settings.html", context)
