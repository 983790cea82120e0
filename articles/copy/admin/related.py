"""Sections, tags, people and photos as the newsroom sees them beside its copy.

people and media own their admin pages and never import articles; copy
extends them through their documented hook (ExtensibleAdmin.extend) with what
concerns copy (credited work, uses on articles) and routes their saves
through the write path, which knows the copy they are printed on. taggit's
tag page is replaced: its merge and inline work on generic tagged items.
"""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from taggit.admin import TagAdmin as BaseTagAdmin
from taggit.models import Tag

from articles import permissions, services
from articles.models import Article, ArticlePhoto, Byline, Section
from articles.selectors import public_people
from media.admin import PhotoAdmin, PhotoAdminExtension
from media.models import PhotoCredit
from newsroom.widgets import AutocompleteFields
from newsroom.writepath import (
    AdminExtension,
    ParentRulesInline,
    ReadOnlyInline,
    VersionedForm,
    WritePathAdmin,
    in_order,
    kept_rows,
)
from people.admin import PersonAdmin


@admin.register(Section)
class SectionAdmin(WritePathAdmin):
    list_display = ["name", "slug", "position", "review_levels"]
    list_editable = ["position", "review_levels"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["desk_heads", "editors"]
    form = forms.ModelForm

    def write(self, request, obj, form, formsets):
        def people(name):
            chosen = form.cleaned_data.get(name) if name in form.fields else None
            return None if chosen is None else list(chosen)

        services.save_section(
            obj, user=request.user, desk_heads=people("desk_heads"), editors=people("editors")
        )

    def delete(self, request, obj):
        services.delete_section(obj, user=request.user)


class PersonBylineInline(ReadOnlyInline):
    """A person's credited work, shown on their page in the admin (only copy the viewer may see)."""

    model = Byline
    fields = ["article_link", "role", "status", "edition_date"]
    readonly_fields = fields
    verbose_name = _("credited article")
    verbose_name_plural = _("credited articles")

    def get_queryset(self, request):
        visible = permissions.visible_articles(request.user, Article.objects.all())
        return (
            super()
            .get_queryset(request)
            .filter(article__in=visible)
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


class PhotoUseInline(ParentRulesInline, AutocompleteFields, admin.TabularInline):
    """Attach a photo to copy from the photo's own page (the photographer's way).

    Shows only the copy the viewer may see, and offers only the copy whose
    photos they may change; services.save_photo checks every changed use.
    """

    model = ArticlePhoto
    fk_name = "photo"
    autocomplete_fields = ["article"]
    fields = ["article", "caption", "position"]
    extra = 0
    verbose_name = _("use in an article")
    verbose_name_plural = _("used in articles")

    def get_queryset(self, request):
        visible = permissions.visible_articles(request.user, Article.objects.all())
        return super().get_queryset(request).filter(article__in=visible)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "article":
            kwargs["queryset"] = permissions.illustratable_articles(
                request.user, Article.objects.all()
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    parent_rule = staticmethod(permissions.can_change_photo)


admin.site.unregister(Tag)  # taggit's own, replaced below


@admin.register(Tag)
class TagAdmin(WritePathAdmin, BaseTagAdmin):
    # taggit's own inline and merge page work on its generic tagged items,
    # which this project does not use (articles tag through TaggedArticle):
    # the merge would change nothing of the copy and skip the write path.
    inlines = []
    actions = []
    form = forms.ModelForm

    def get_urls(self):
        return [url for url in super().get_urls() if url.name != "taggit_tag_merge_tags"]

    def write(self, request, obj, form, formsets):
        services.save_tag(obj, user=request.user)

    def delete(self, request, obj):
        services.delete_tag(obj, user=request.user)


class PersonRules(AdminExtension):
    """Copy's part of a person's page: their credited work, and the write path of their name."""

    form = VersionedForm
    inlines = (PersonBylineInline,)

    def view_on_site(self, obj):
        # A person has a public page once some of their work is published.
        return obj.get_absolute_url() if public_people().filter(pk=obj.pk).exists() else None

    def readonly_fields(self, request, obj, fields):
        if not permissions.can_link_account(request.user):
            return [*fields, "user"]
        return fields

    def write(self, admin, request, obj, form, formsets):
        services.save_person(obj, user=request.user, base_version=admin.base_version(form))

    def delete(self, admin, request, obj):
        services.delete_person(obj, user=request.user)


PersonAdmin.extend(PersonRules())


class PhotoAdminForm(VersionedForm):
    correction = forms.CharField(
        label=_("Correction note (更正)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "This photo is on published copy: say what was wrong and what changed. "
            "Readers see this note under each article that prints it."
        ),
    )


class PhotoRules(PhotoAdminExtension):
    """Copy's part of a photo's page: its uses on copy, corrections, and the write path."""

    form = PhotoAdminForm
    inlines = (PhotoUseInline,)

    def inlines_for(self, request, obj, inlines):
        # A photo is attached to copy once it exists.
        return inlines if obj is not None else [i for i in inlines if i is not PhotoUseInline]

    def fieldsets(self, request, obj, fieldsets):
        # A box to write a correction in: only for who may change the photo.
        if (
            obj is not None
            and self.may_change(request.user, obj)
            and permissions.photo_printed_on(obj)[0]
        ):
            return [*fieldsets, (_("Correction"), {"fields": ["correction"]})]
        return fieldsets

    def may_change(self, user, obj):
        return permissions.can_change_photo(user, obj)

    def why_not_delete(self, user, obj):
        return permissions.why_not_delete_photo(user, obj)

    def write(self, admin, request, obj, form, formsets):
        credits = formsets.get(PhotoCredit)
        services.save_photo(
            obj,
            user=request.user,
            credits=None if credits is None else [c.person for c in in_order(credits)],
            uses=_uses(formsets.get(ArticlePhoto)),
            base_version=admin.base_version(form),
            correction=form.cleaned_data.get("correction", ""),
        )

    def delete(self, admin, request, obj):
        services.delete_photo(obj, user=request.user)

    def write_photo(self, request, photo, *, credits=None, base_version=None):
        services.save_photo(photo, user=request.user, credits=credits, base_version=base_version)

    def describable_photos(self, request, queryset):
        return permissions.changeable_photos(request.user, queryset)


PhotoAdmin.extend(PhotoRules())


def _uses(formset):
    """What the photo's page says of its uses: {article: OnCopy, or None to take it off}.

    Only the copy the form showed (and the rows added) is named: a use on
    copy the viewer may not see is not theirs to change.
    """
    if formset is None:
        return None
    uses = {use.article: None for use in formset.deleted_objects}
    for use in kept_rows(formset):
        uses[use.article] = services.OnCopy(use.caption, use.position)
    return uses
