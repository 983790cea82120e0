"""The site settings: what the public footer says about the paper (one row)."""

from django import forms
from django.contrib import admin

from articles import services
from articles.models import FooterLink, SiteSettings
from articles.site.services import Link
from newsroom.writepath import WritePathAdmin, kept_rows


class FooterLinkInline(admin.TabularInline):
    model = FooterLink
    fields = ["label", "url", "position"]
    extra = 1


@admin.register(SiteSettings)
class SiteSettingsAdmin(WritePathAdmin):
    form = forms.ModelForm
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

    def write(self, request, obj, form, formsets):
        links = sorted(kept_rows(formsets.get(FooterLink)), key=lambda link: link.position)
        services.save_site_settings(
            obj, user=request.user, links=[Link(link.label, link.url) for link in links]
        )
