"""The site settings: what the public footer says about the paper (one row)."""

from django.contrib import admin, messages

from ..models import FooterLink, SiteSettings
from ..site.footer import save_site_settings
from ..workflow import TransitionRefused


class FooterLinkInline(admin.TabularInline):
    model = FooterLink
    fields = ["label", "url", "position"]
    extra = 1


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    inlines = [FooterLinkInline]
    fieldsets = [
        (None, {"fields": ["name"]}),
        (
            "ICP / 公安备案 / 举报",
            {"fields": ["icp_number", "police_number", "report_phone", "report_email"]},
        ),
        (None, {"fields": ["contact"]}),
    ]

    def has_add_permission(self, request):
        # One row: the list opens it, and there is nothing to add once it exists.
        return super().has_add_permission(request) and not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # The links are saved with it in save_related; the public pages are
        # refreshed once both are in (save_site_settings, below).
        self._pending = obj

    def save_related(self, request, form, formsets, change):
        def save_links():
            for formset in formsets:
                formset.instance = form.instance
                formset.save()

        try:
            save_site_settings(form.instance, user=request.user, save_links=save_links)
        except TransitionRefused as refused:
            self.message_user(request, refused.message, messages.ERROR)
