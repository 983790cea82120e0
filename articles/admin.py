from django.contrib import admin
from django.db.models import Count, Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from people.admin import PersonAdmin as BasePersonAdmin
from people.models import Person

from .forms import ArticleAdminForm
from .models import Article, ArticlePhoto, Byline, Edition, Page, Section


class BylineInline(admin.TabularInline):
    model = Byline
    autocomplete_fields = ["person"]
    fields = ["person", "role", "position"]
    extra = 1


class ArticlePhotoInline(admin.TabularInline):
    model = ArticlePhoto
    autocomplete_fields = ["photo"]
    fields = ["photo", "caption", "position"]
    extra = 0


class EditionFilter(admin.SimpleListFilter):
    """The latest editions only: three years of dailies would not fit a sidebar."""

    title = _("edition")
    parameter_name = "edition"

    def lookups(self, request, model_admin):
        return [(str(e.pk), str(e)) for e in Edition.objects.order_by("-date")[:14]]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(page__edition_id=self.value())
        return queryset


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "kind", "status", "placement", "char_count", "updated_at"]
    list_filter = ["status", "kind", "section", EditionFilter]
    list_select_related = ["page__edition", "section"]
    search_fields = ["headline", "subheadline", "kicker", "bylines__person__name"]
    date_hierarchy = "created_at"
    autocomplete_fields = ["section", "page"]
    inlines = [BylineInline, ArticlePhotoInline]
    readonly_fields = [
        "status",
        "char_count",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "approved_at",
        "published_at",
    ]
    fieldsets = [
        (None, {"fields": ["kind", "section", "kicker", "headline", "subheadline"]}),
        (_("Copy"), {"fields": ["source", "body", "char_count", "summary", "tags"]}),
        (_("Placement"), {"fields": ["page", "position"]}),
        (
            _("Status"),
            {
                "fields": [
                    "status",
                    "created_by",
                    "created_at",
                    "updated_at",
                    "submitted_at",
                    "approved_at",
                    "published_at",
                ]
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def view_on_site(self, obj):
        # "View on site" opens the staff preview: it shows copy in any state.
        return reverse("articles:preview", args=[obj.pk])

    @admin.display(description=_("headline"), ordering="headline")
    def title(self, obj):
        return str(obj)

    @admin.display(description=_("edition / page"), ordering="page__edition__date")
    def placement(self, obj):
        if obj.page is None:
            return "—"
        return format_html(
            "{} {}",
            obj.page.edition.date.isoformat(),
            _("Page %(number)s") % {"number": obj.page.number},
        )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class PageInline(admin.TabularInline):
    model = Page
    autocomplete_fields = ["editor"]
    fields = ["number", "name", "editor"]
    extra = 0


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["date", "number", "status", "page_count", "article_count", "published_at"]
    list_filter = ["status"]
    date_hierarchy = "date"
    search_fields = ["date", "number"]
    inlines = [PageInline]
    readonly_fields = ["status", "signed_off_by", "signed_off_at", "published_at", "page_plan"]
    fields = ["date", "number", "page_plan", "status", "signed_off_by", "signed_off_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _page_count=Count("pages", distinct=True),
                _article_count=Count("pages__articles", distinct=True),
            )
        )

    @admin.display(description=_("pages"), ordering="_page_count")
    def page_count(self, obj):
        return obj._page_count

    @admin.display(description=_("articles"), ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count

    @admin.display(description=_("pages and their articles"))
    def page_plan(self, obj):
        if obj.pk is None:
            return "—"
        articles = Article.objects.order_by("position", "pk").prefetch_related("bylines__person")
        pages = obj.pages.select_related("editor").prefetch_related(
            Prefetch("articles", queryset=articles)
        )
        return render_to_string("admin/articles/edition/page_plan.html", {"pages": pages})


class PlacedArticleInline(admin.TabularInline):
    """The copy on a page, in order; placement itself is changed on the article."""

    model = Article
    fields = ["position", "title", "kind", "status", "char_count"]
    readonly_fields = ["title", "kind", "status", "char_count"]
    ordering = ["position", "pk"]
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("article on this page")
    verbose_name_plural = _("articles on this page")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("headline"))
    def title(self, obj):
        return str(obj)


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "edition", "number", "name", "editor", "article_count"]
    list_select_related = ["edition", "editor"]
    list_filter = ["name"]
    search_fields = ["name", "edition__date"]
    autocomplete_fields = ["edition", "editor"]
    inlines = [PlacedArticleInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_article_count=Count("articles"))

    @admin.display(description=_("articles"), ordering="_article_count")
    def article_count(self, obj):
        return obj._article_count


class PersonBylineInline(admin.TabularInline):
    """A person's credited work, shown on their page in the admin."""

    model = Byline
    fields = ["article_link", "role", "status", "edition_date"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name = _("credited article")
    verbose_name_plural = _("credited articles")

    def has_add_permission(self, request, obj=None):
        return False

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


# People never import articles; articles adds the credits to the person page.
admin.site.unregister(Person)


@admin.register(Person)
class PersonAdmin(BasePersonAdmin):
    inlines = [PersonBylineInline]
