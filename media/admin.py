from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from newsroom.keys import clean_pks
from newsroom.widgets import AutocompleteFields
from newsroom.writepath import (
    AdminExtension,
    ExtensibleAdmin,
    ParentRulesInline,
    Refused,
)
from people.models import name_of

from .forms import PhotoDescribeFormSet, PhotoUploadForm
from .models import Photo, PhotoCredit

# Picture formats by the names people know them by.
FORMAT_NAMES = {"webp": "WebP", "jpeg": "JPEG", "png": "PNG", "gif": "GIF"}


RENDITIONS_PENDING = _("Making the web sizes…")


def photo_thumbnail(photo, width=96, *, while_pending=False):
    """Return a small picture of photo for admin lists, or a note that it has none yet.

    While its web sizes are being made a list shows a note, never the full
    picture (it may be 60 megapixels, fifty times over); while_pending shows
    the picture itself, scaled down, where people must see it to describe
    it (the photos just uploaded, a handful).
    """
    if not photo.image:
        return format_html('<span class="photo-missing">{}</span>', Photo.Missing.IMAGE.label)
    if photo.renditions_pending and not while_pending:
        return format_html('<span class="photo-pending">{}</span>', RENDITIONS_PENDING)
    return format_html(
        '<img src="{}" alt="{}" width="{}" loading="lazy">',
        photo.thumbnail_url(width),
        photo.alt_text,
        width,
    )


class PhotoCreditInline(ParentRulesInline, AutocompleteFields, admin.TabularInline):
    """The photographers credited (摄), in printed order; changed with the photo."""

    model = PhotoCredit
    autocomplete_fields = ["person"]
    extra = 1

    def parent_rule(self, user, photo):
        return PhotoAdmin.extension.may_change(user, photo)


class PhotoAdminExtension(AdminExtension):
    """What an app printing photos adds to their admin: AdminExtension, and the photographer's desk.

    The desk (upload several, describe several) writes every photo through
    write_photo and lists those describable_photos allows.
    """

    def write_photo(self, request, photo, *, credits=None, base_version=None):
        raise Refused(gettext("Nothing writes photos yet: no write path is installed."))

    def describable_photos(self, request, queryset):
        return queryset


class NeedsAttentionFilter(admin.SimpleListFilter):
    """Photos still lacking something before they may be published."""

    title = _("needs attention")
    parameter_name = "needs"
    filters = {
        "any": "incomplete",
        Photo.Missing.IMAGE.value: "awaiting_image",
        Photo.Missing.CAPTION.value: "without_caption",
        Photo.Missing.ALT_TEXT.value: "without_alt_text",
        Photo.Missing.CREDIT.value: "without_credit",
    }

    def lookups(self, request, model_admin):
        return [("any", _("anything missing")), *Photo.Missing.choices]

    def queryset(self, request, queryset):
        if self.value() in self.filters:
            return getattr(queryset, self.filters[self.value()])()
        return queryset


@admin.register(Photo)
class PhotoAdmin(ExtensibleAdmin):
    """Photos, and the photographer's desk: upload several pictures, then describe them.

    Photos are printed on copy, so every save goes through the write path of
    the app that prints them, installed with PhotoAdmin.extend() (articles),
    which knows the copy a photo is on; this app knows no copy.
    """

    extension = PhotoAdminExtension()
    list_display = [
        "thumbnail",
        "title",
        "credit",
        "needs",
        "dimensions",
        "taken_at",
        "updated_at",
    ]
    list_display_links = ["thumbnail", "title"]
    list_filter = [NeedsAttentionFilter, "created_at"]
    search_fields = ["caption", "alt_text", "photographers__name"]
    inlines = [PhotoCreditInline]
    readonly_fields = [
        "preview",
        "width",
        "height",
        "camera",
        "rendition_list",
        "created_by_name",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["image", "preview", "caption", "alt_text"]}),
        (
            _("About the picture"),
            {"fields": ["taken_at", "camera", "width", "height", "rendition_list"]},
        ),
        (_("Record"), {"fields": ["created_by_name", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        credits = PhotoCredit.objects.select_related("person")
        return super().get_queryset(request).prefetch_related(Prefetch("credits", queryset=credits))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("upload/", view(self.upload_view), name="media_photo_upload"),
            path("describe/", view(self.describe_view), name="media_photo_describe"),
            *super().get_urls(),
        ]

    def write_photo(self, request, photo, *, credits=None, base_version=None):
        """Save photo, credited to credits (People, in order), through the write path."""
        self.extension.write_photo(request, photo, credits=credits, base_version=base_version)

    def describable_photos(self, request, queryset):
        """Return the photos of queryset that request's user may describe."""
        return self.extension.describable_photos(request, queryset)

    @admin.display(description=_("created by"))
    def created_by_name(self, obj):
        return name_of(obj.created_by) or "—"

    @admin.display(description=_("picture"))
    def thumbnail(self, obj):
        return photo_thumbnail(obj)

    @admin.display(description=_("caption"), ordering="caption")
    def title(self, obj):
        return str(obj)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.image:
            return Photo.Missing.IMAGE.label
        return format_html(
            '<img src="{}" alt="{}" style="max-width:480px;height:auto"><br>{}',
            obj.thumbnail_url(640),
            obj.alt_text,
            obj.credit_line,
        )

    @admin.display(description=_("credit"))
    def credit(self, obj):
        return obj.credit_line

    @admin.display(description=_("needs"))
    def needs(self, obj):
        return "、".join(str(item.label) for item in obj.missing()) or "—"

    @admin.display(description=_("size"))
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}" if obj.width else "—"

    @admin.display(description=_("web sizes"))
    def rendition_list(self, obj):
        return format_html_join(
            ", ",
            '<a href="{}">{}×{} {}</a>',
            (
                (r.url, r.width, r.height, FORMAT_NAMES.get(r.format, r.format))
                for r in obj.renditions()
            ),
        ) or (RENDITIONS_PENDING if obj.renditions_pending else "—")

    def upload_view(self, request):
        """The photographer's desk: several pictures at once, then a page to describe them."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = PhotoUploadForm(
            request.POST if request.method == "POST" else None,
            request.FILES if request.method == "POST" else None,
            admin_site=self.admin_site,
        )
        if form.is_valid():
            with transaction.atomic():
                photos = []
                for photo, credits in form.photos():
                    self.write_photo(request, photo, credits=credits)
                    photos.append(photo)
            count = len(photos)
            self.message_user(
                request,
                ngettext(
                    "%(count)d photo uploaded. Give it a caption, alt text and credit.",
                    "%(count)d photos uploaded. Give each a caption, alt text and credit.",
                    count,
                )
                % {"count": count},
                messages.SUCCESS,
            )
            ids = ",".join(str(photo.pk) for photo in photos)
            return redirect(f"{reverse('admin:media_photo_describe')}?{urlencode({'ids': ids})}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Upload photos"),
            "form": form,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/media/photo/upload.html", context)

    def describe_view(self, request):
        """Caption, alt text and credit for several photos on one page."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        ids = clean_pks(Photo, request.GET.get("ids", ""))
        queryset = self.describable_photos(request, self.get_queryset(request))
        queryset = queryset.filter(pk__in=ids).order_by("pk")
        formset = PhotoDescribeFormSet(
            request.POST if request.method == "POST" else None,
            queryset=queryset,
            form_kwargs={"admin_site": self.admin_site},
        )
        if request.method == "POST" and formset.is_valid():
            try:
                with transaction.atomic():
                    for form in formset.forms:
                        if form.has_changed():
                            self.write_photo(
                                request,
                                form.instance,
                                credits=form.credits,
                                base_version=form.cleaned_data.get("base_version"),
                            )
            except PermissionDenied as refused:
                # Nothing was saved; the form keeps what was typed.
                self.message_user(request, str(refused), messages.ERROR)
            else:
                self.message_user(request, _("The photos were described."), messages.SUCCESS)
                changelist = reverse("admin:media_photo_changelist")
                return redirect(f"{changelist}?{urlencode({'needs': 'any'})}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Describe the photos"),
            "formset": formset,
            "rows": [
                (form, photo_thumbnail(form.instance, 160, while_pending=True)) for form in formset
            ],
            "media": self.media + formset.media,
        }
        return TemplateResponse(request, "admin/media/photo/describe.html", context)
