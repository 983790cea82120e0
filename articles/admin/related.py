"""Sections, tags, people and photos as the newsroom sees them beside its copy."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from taggit.admin import TagAdmin as BaseTagAdmin
from taggit.models import Tag

from media.admin import PhotoAdmin as BasePhotoAdmin
from media.models import Photo
from people.admin import PersonAdmin as BasePersonAdmin
from people.models import Person

from .. import workflow
from ..cache import SECTIONS, content_changed, section_key
from ..models import (
    Article,
    ArticlePhoto,
    Byline,
    Section,
)
from ..selectors import public_people
from ..services import printed_content_changed
from .common import ReadOnlyInline


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"name", "slug"} & set(form.changed_data):
            printed_content_changed(obj.articles.all(), keys=[SECTIONS, section_key(obj.pk)])
        elif change and "position" in form.changed_data:
            content_changed(keys=[SECTIONS])  # the order of the section bar


class PersonBylineInline(ReadOnlyInline):
    """A person's credited work, shown on their page in the admin."""

    model = Byline
    fields = ["article_link", "role", "status", "edition_date"]
    readonly_fields = fields
    verbose_name = _("credited article")
    verbose_name_plural = _("credited articles")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("article__page__edition")
            .order_by("-article__created_at")
        )

    @admin.display(description=_("article"))
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article)

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.article.get_status_display()

    @admin.display(description=_("edition"))
    def edition_date(self, obj):
        return obj.article.page.edition.date if obj.article.page else "—"


class PhotoUseInline(admin.TabularInline):
    """Attach a photo to articles from the photo's own page (the photographer's way)."""

    model = ArticlePhoto
    fk_name = "photo"
    autocomplete_fields = ["article"]
    fields = ["article", "caption", "position"]
    extra = 0
    verbose_name = _("use in an article")
    verbose_name_plural = _("used in articles")


# people, media and taggit never import articles; articles extends their admin
# pages with what concerns articles.


# people, media and taggit never import articles; articles extends their admin
# pages with what concerns articles.
admin.site.unregister(Person)
admin.site.unregister(Photo)
admin.site.unregister(Tag)


@admin.register(Tag)
class TagAdmin(BaseTagAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"name", "slug"} & set(form.changed_data):
            printed_content_changed(Article.objects.filter(tags=obj))


@admin.register(Person)
class PersonAdmin(BasePersonAdmin):
    inlines = [*BasePersonAdmin.inlines, PersonBylineInline]

    def view_on_site(self, obj):
        # A person has a public page once some of their work is published.
        return obj.get_absolute_url() if public_people().filter(pk=obj.pk).exists() else None

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            printed_content_changed(Article.objects.filter(bylines__person=obj))


@admin.register(Photo)
class PhotoAdmin(BasePhotoAdmin):
    inlines = [*BasePhotoAdmin.inlines, PhotoUseInline]

    def get_inlines(self, request, obj):
        # A photo is attached to articles once it exists.
        return self.inlines if obj is not None else BasePhotoAdmin.inlines

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or request.user.has_perm(workflow.PERM_EDIT_ANY):
            return allowed
        # Photographers change their own pictures: uploaded by them or credited.
        user = request.user
        return obj.created_by_id == user.pk or obj.credits.filter(person__user=user).exists()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Captions, alt text and credits are printed with the articles using the photo.
        printed_content_changed(Article.objects.filter(article_photos__photo=form.instance))
