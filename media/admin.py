from django.contrib import admin
from django.db.models import Prefetch
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Photo, PhotoCredit


class PhotoCreditInline(admin.TabularInline):
    model = PhotoCredit
    autocomplete_fields = ["person"]
    extra = 1


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit", "dimensions", "taken_at", "updated_at"]
    list_display_links = ["thumbnail", "__str__"]
    search_fields = ["caption", "alt_text", "photographers__name"]
    inlines = [PhotoCreditInline]
    readonly_fields = ["preview", "width", "height", "created_at", "updated_at"]
    fields = ["image", "preview", "caption", "alt_text", "taken_at", "width", "height"]

    def get_queryset(self, request):
        credits = PhotoCredit.objects.select_related("person")
        return super().get_queryset(request).prefetch_related(Prefetch("credits", queryset=credits))

    @admin.display(description=_("picture"))
    def thumbnail(self, obj):
        if not obj.image:
            return format_html('<span class="photo-missing">{}</span>', _("awaiting picture"))
        return format_html(
            '<img src="{}" alt="{}" width="96" loading="lazy">', obj.image.url, obj.alt_text
        )

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.image:
            return _("awaiting picture")
        return format_html(
            '<img src="{}" alt="{}" style="max-width:480px;height:auto">',
            obj.image.url,
            obj.alt_text,
        )

    @admin.display(description=_("credit"))
    def credit(self, obj):
        return obj.credit_line

    @admin.display(description=_("size"))
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}" if obj.width else "—"
