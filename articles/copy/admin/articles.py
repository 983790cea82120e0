"""The copy desk's main page: articles, their bylines, photos, revisions and workflow panel.

Saves go through services.save_article, workflow steps through
articles.workflow; who may see and change which copy is asked of
articles.permissions. Workflow buttons belong to the article's own form, so a
step taken from a changed form saves what was typed first (or refuses and
keeps it).
"""

from typing import ClassVar, cast

from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, Max
from django.forms.formsets import all_valid
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import permissions, search, selectors, services, workflow
from articles.cache import ARTICLES, remembered
from articles.copy import revisions, tracking, working
from articles.copy.admin import diff
from articles.copy.admin.filters import (
    EditionDateFilter,
    EditionFilter,
    MineFilter,
    PersonFilter,
    PlacedFilter,
    TagFilter,
)
from articles.copy.admin.forms import ArticleAdminForm, ArticlePhotoForm
from articles.desk import presence
from articles.models import (
    Article,
    ArticlePhoto,
    Assignment,
    Byline,
    Comment,
    Correction,
    Edition,
    Page,
    ReviewLevel,
    TransitionLog,
)
from articles.search.tags import suggest_tags
from articles.site.views import ArticlePreviewView
from articles.wordcheck import admin as wordcheck
from media.admin import photo_thumbnail
from media.models import Photo
from newsroom.keys import clean_pk
from newsroom.paginators import EstimatedCountPaginator, KeyedPaginator
from newsroom.widgets import AutocompleteFields
from newsroom.writepath import (
    ParentRulesInline,
    ReadOnlyInline,
    WritePathAdmin,
    in_order,
    status_badge,
)
from people.admin import person_display
from people.models import Person, name_of


class ArticleChangeList(ChangeList):
    """A list of copy whose rows are read with what the list shows (list_columns), not whole."""

    def get_results(self, request):
        self.queryset = self.queryset.only(*self.model_admin.list_columns)
        super().get_results(request)

    def url_for_result(self, result):
        return result.nr_change_url  # set by ArticleListMixin.get_changelist_instance


class ArticleListMixin:
    """Columns shared by the article list and the desk queue."""

    # What the cells read of a row and its joins: the title (the body too, for
    # photo news titled by its caption), the review it awaits, the placement,
    # who filed it. The rest of the article (its other texts and stamps) is
    # left in the table.
    list_columns = [
        "kind",
        "headline",
        "web_headline",
        "body",
        "status",
        "review_level",
        "levels_needed",
        "char_count",
        "updated_at",
        "submitted_at",
        "page__number",
        "page__edition__date",
        "section__name",
        "section__review_levels",
        "created_by__username",
        "created_by__person__name",
    ]

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        # Who has each piece of the page open now: one read of the cache for the page.
        rows = list(changelist.result_list)
        present = presence.present_on([row.pk for row in rows], request.user)
        # Each row's link to its article: one reverse() for the page, not one a row
        # (the links differ by the key alone).
        key = "__key__"
        change = reverse(
            "admin:articles_article_change", args=[key], current_app=self.admin_site.name
        )
        for row in rows:
            row.nr_present = present.get(row.pk, "")
            row.nr_change_url = change.replace(key, str(quote(row.pk)))
        return changelist

    @admin.display(description=_("open now"))
    def present(self, obj):
        return getattr(obj, "nr_present", "") or ""

    def view_on_site(self, obj):
        # "View on site" opens the staff preview: it shows copy in any state.
        return reverse("articles:preview", args=[obj.pk])

    @admin.display(description=_("headline"), ordering="headline")
    def title(self, obj):
        return str(obj)

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        # The label from the enum: get_status_display() makes the choices hashable
        # again on every call, a sixth of the list's cells' time.
        return status_badge(obj.status, Article.Status(obj.status).label)

    @admin.display(description=_("edition / page"), ordering="page__edition__date")
    def placement(self, obj):
        if obj.page is None:
            return "—"
        return format_html(
            "{} {}",
            obj.page.edition.date.isoformat(),
            gettext("Page %(number)s") % {"number": obj.page.number},
        )

    @admin.display(description=_("filed by"))
    def filed_by(self, obj):
        names = [b.person.name for b in obj.bylines.all()]
        if names:
            return " ".join(names)
        return name_of(obj.created_by) or "—"


def assignment_of(article):
    """The assignment (派稿) article was created for, with its planned page, or None."""
    return (
        Assignment.objects.filter(article=article)
        .select_related("page__edition", "edition", "decided_by__person")
        .first()
    )


class CopyRows(ParentRulesInline, AutocompleteFields):
    """Rows that are part of the copy: changed only by those who may change the copy now."""

    extra = 0
    parent_rule = staticmethod(permissions.can_edit_article)


class BylineInline(CopyRows, admin.TabularInline):
    model = Byline
    autocomplete_fields = ["person"]
    fields = ["person", "role", "position"]
    extra = 1

    def get_queryset(self, request):
        # Each row is titled by its byline (记者 林晓): the person with it, not a query a row.
        return super().get_queryset(request).select_related("person")

    # Each cell carries its own label, shown when a phone stacks the row.
    template = "admin/edit_inline/tabular_labelled.html"


class ArticlePhotoInline(CopyRows, admin.StackedInline):
    """The copy's photos: picked from the photo desk or uploaded from the article's own form.

    Changed by whoever may change the copy, and by the photo desk on copy on
    the desk (the photo desk's step: the words stay read-only for them).
    """

    model = ArticlePhoto
    parent_rule = staticmethod(permissions.can_illustrate)
    form = ArticlePhotoForm
    autocomplete_fields = ["photo"]
    fields = ["picture", "photo", *ArticlePhotoForm.NEW_PHOTO_FIELDS, "caption", "position"]
    readonly_fields = ["picture"]
    classes = ["nr-photos"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("photo")
            .prefetch_related("photo__credits__person")
        )

    def get_fields(self, request, obj=None):
        if not self.has_change_permission(request, obj):
            # Read only: the photo as it prints, not the boxes of a new upload.
            return ["picture", "caption", "position"]
        return super().get_fields(request, obj)

    @admin.display(description=_("photo as printed"))
    def picture(self, use):
        """The picture, its caption for this use and its credit: what the page will print."""
        if use is None or not use.photo_id:
            return "—"
        photo = use.photo
        return format_html(
            '<span class="nr-photo-use">{}<span class="nr-photo-caption">{}</span>'
            '<span class="nr-photo-credit">{}</span></span>',
            photo_thumbnail(photo, 160),
            use.caption or photo.caption or gettext("no caption yet"),
            photo.credit_line or gettext("no credit yet"),
        )

    def get_formset(self, request, obj=None, **kwargs):
        # The person filing is offered as the one who took a new picture (the
        # user's person, read once a request: the page's other panels ask too).
        person = getattr(request.user, "person", None)
        kwargs["form"] = type("ArticlePhotoForm", (self.form,), {"default_credit": person})
        return super().get_formset(request, obj, **kwargs)


class CorrectionInline(ReadOnlyInline):
    model = Correction
    fields: ClassVar[tuple[str, ...]] = ("created_at", "created_by_name", "text")
    readonly_fields = fields
    created_by_name = person_display("created_by", _("corrected by"))

    def has_view_permission(self, request, obj=None):
        return True  # corrections are public anyway


class TransitionLogInline(ReadOnlyInline):
    model = TransitionLog
    fields: ClassVar[tuple[str, ...]] = ("at", "actor_name", "step", "note")
    readonly_fields = fields
    verbose_name_plural = _("workflow log")
    actor_name = person_display("actor", _("by"))

    def has_view_permission(self, request, obj=None):
        return True  # the filer sees why copy came back

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor__person")

    @admin.display(description=_("step"))
    def step(self, obj):
        return str(obj)


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def post_comment(article, data, *, user):
    """Add the comment (or reply) a page posted (data: _comment new or a comment's id)."""
    target = data.get("_comment", "")
    parent = None
    if target.isdigit():
        parent = get_object_or_404(Comment, pk=target, article=article)
    text = data.get(f"reply_{target}" if parent else "comment_text", "")
    services.add_comment(article, user=user, text=text, parent=parent)
    return gettext("Your comment is posted.")


def comment_threads(article):
    """Return article's comments as threads (each with its replies), oldest first."""
    comments = list(
        article.comments.select_related("created_by__person", "revision").order_by(
            "created_at", "pk"
        )
    )
    replies = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [
        {"comment": comment, "replies": replies.get(comment.pk, [])}
        for comment in comments
        if comment.parent_id is None
    ]


def preview_response(request, article):
    """Render article (saved inside the preview's transaction) as the staff preview does."""
    view = ArticlePreviewView()
    view.setup(request, pk=article.pk)
    view.object = view.get_object()
    response = view.render_to_response(view.get_context_data(object=view.object))
    # Rendered now, before the transaction that holds the copy is rolled back.
    return response.render()


def _position(value):
    return int(value) if value.isdigit() and 0 < int(value) < 1000 else None


def take_step(article, data, *, user, base_version=None):
    """Take the workflow step a panel posted (data: _workflow, workflow_note, …); return a message."""
    step = data.get("_workflow", "")
    if step == "place":
        page_id = clean_pk(Page, data.get("workflow_page"))
        page = Page.objects.filter(pk=page_id).first() if page_id else None
        if page is None:
            raise workflow.TransitionRefused(gettext("Choose a page to place the copy on."))
        position = _position(data.get("workflow_position", ""))
        workflow.place(article, user=user, page=page, position=position, base_version=base_version)
        return gettext("Placed on %(page)s.") % {"page": page}
    if step == "unplace":
        workflow.unplace(article, user=user, base_version=base_version)
        return gettext("Taken off the page.")
    article = workflow.transition(
        article, step, user=user, note=data.get("workflow_note", ""), base_version=base_version
    )
    if step == "approve" and article.status == Article.Status.SUBMITTED:
        return gettext("%(level)s passed; the copy now awaits %(next)s.") % {
            "level": ReviewLevel(article.review_level).label,
            "next": workflow.review_progress(article),
        }
    return STEP_DONE.get(step, STEP_DONE["approve"])()


# What each step did, in words the newsroom uses (one verb per step).
STEP_DONE = {
    "submit": lambda: gettext("Submitted: the copy is with the desk."),
    "unsubmit": lambda: gettext("Submission withdrawn: the copy is a draft again."),
    "return": lambda: gettext("Returned to the filer with your note."),
    "resubmit": lambda: gettext("Resubmitted: the copy is with the desk again."),
    "approve": lambda: gettext("Approved: the copy may be placed on a page."),
    "reopen": lambda: gettext("Reopened: the copy is back in review, from the first level."),
    "spike": lambda: gettext("Spiked: the copy will not run."),
    "publish_now": lambda: gettext("Published on the web."),
    "withdraw": lambda: gettext("Withdrawn: readers now get a notice that it was taken down."),
}


class CopySearch(search.Ranked):
    """The admin's search by relevance: copy in every state, newest by id as the list is.

    As a reader's search (search.Ranked): the newest CANDIDATES matches
    ranked, then the rest newest first, read a page at a time. Copy has no
    date every piece bears in order (drafts are not published), so the
    newest matches are looked for among the highest FIRST_SPAN ids first,
    then in a span sized from what that held, then in all time.
    """

    # About a month of a city daily's copy: a word in one piece in twenty has
    # its newest 200 matches there.
    FIRST_SPAN = 4000
    order = (F("pk").desc(),)
    # The primary key gives this order: PostgreSQL would walk it (search.query).
    all_time_along_indexes = False
    top = 0  # the highest id, when the window was chosen
    matched: int | None = None  # how many match, when the pager has counted them

    def keys(self, start: int, stop: int, count: int) -> list[int]:
        """Return the keys of the matches from start to stop, of count (KeyedPaginator)."""
        self.matched = count
        return cast(list[int], self[start:stop])

    def first_window(self) -> int | None:
        if self.matched is not None and self.matched <= search.query.CANDIDATES:
            return None  # every match is a candidate: no window to look in first

        # Kept while published copy stands, and for the day (as the public
        # window's floor is): copy filed since only widens the window by its
        # own ids, and any window finds the newest matches when it holds enough.
        def highest() -> int:
            return Article.objects.aggregate(top=Max("pk"))["top"] or 0

        self.top = remembered("copy-search-top", timezone.localdate(), highest, keys=[ARTICLES])
        return self.FIRST_SPAN if self.top > self.FIRST_SPAN else None

    def within(self, matches, window):
        floor = self.top - window
        # The GIN index answers with the word and the id (migration 0031); the
        # articles' side is read from the same id on, not whole.
        return matches.filter(search_document__article_id__gte=floor, pk__gte=floor)

    def wider(self, window, found):
        # As a reader's search widens its month, in ids: all time past the first.
        return search.query.wider_window(window, found, widest=self.top - 1)


@admin.register(Article)
class ArticleAdmin(AutocompleteFields, ArticleListMixin, WritePathAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    list_display = [
        "title",
        "kind",
        "status_badge",
        "placement",
        "filed_by",
        "char_count",
        "updated_at",
        "present",
    ]
    list_filter = [
        MineFilter,
        "status",
        "kind",
        "section",
        PlacedFilter,
        EditionFilter,
        EditionDateFilter,
        PersonFilter,
        TagFilter,
    ]
    list_select_related = ["page__edition", "section", "created_by__person"]
    # "N of M" needs a second COUNT(*) of the whole table on every load; the
    # filtered count the pages need is enough.
    show_full_result_count = False
    # ... and at a million articles even that count stops at 10,000 rows.
    paginator = EstimatedCountPaginator
    # Each row is eight cells of Python; 50 rows are a screen or two, and half
    # the page's time of Django's 100.
    list_per_page = 50
    # Searched with the Chinese search engine (articles/search.py), see below.
    search_fields = ["headline"]
    search_help_text = _("Words in the headline, text, captions, bylines or tags.")
    date_hierarchy = "created_at"
    autocomplete_fields = ["section"]
    inlines = [BylineInline, ArticlePhotoInline, CorrectionInline, TransitionLogInline]
    # What the workflow sets, shown but never editable here.
    workflow_fields = [
        "status_badge",
        "placement",
        "created_by_name",
        "created_at",
        "updated_by_name",
        "updated_at",
        "submitted_at",
        "approved_at",
        "published_at",
    ]
    readonly_fields = ["char_count", *workflow_fields]
    created_by_name = person_display("created_by", _("created by"))
    updated_by_name = person_display("updated_by", _("updated by"))

    class Media:
        js = [
            "newsroom/tag-suggestions.js",
            "newsroom/article-form.js",
            "newsroom/wordcheck.js",
            "newsroom/autosave.js",
            "newsroom/presence.js",
        ]

    def construct_change_message(self, request, form, formsets, add=False):
        """The history says in words what the save changed (苏文修改了正文第3段), not field names."""
        before = getattr(request, "_revision_before", None)
        if not add and before is not None:
            pair = list(form.instance.revisions.filter(number__gte=before).order_by("-number")[:2])
            if len(pair) == 2 and pair[1].number == before:
                words = tracking.in_words(pair[1].content, pair[0].content, user=request.user)
                if words:
                    return words
        return super().construct_change_message(request, form, formsets, add)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        query = search.parse(search_term)
        if query.problem:
            self.message_user(request, query.problem, messages.INFO)
        # Results come by relevance unless a column was chosen to sort by.
        by_rank = ORDER_VAR not in request.GET
        if connection.vendor != "postgresql" or not query:
            return search.search(queryset, query, by_rank=by_rank), False
        results = search.matching(queryset, query, exact=True)
        if not by_rank:
            return results, False
        # The pages come from CopySearch, which ranks only the newest matches
        # (get_paginator); the queryset is sorted the same way, for the list
        # Django reads whole when the matches fit one page (or "show all").
        ranked = CopySearch(
            queryset,
            query,
            load=lambda rows: rows.prefetch_related(None).values_list("pk", flat=True),
        )
        request._copy_search = ranked
        return results.order_by(*ranked.ordering()), False

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        ranked = getattr(request, "_copy_search", None)
        if ranked is None:
            return super().get_paginator(
                request, queryset, per_page, orphans, allow_empty_first_page
            )
        return KeyedPaginator(
            queryset,
            per_page,
            orphans,
            allow_empty_first_page,
            keys=ranked.keys,
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline) and obj.pk is None and request.method == "GET":
            # New copy from a reporter or correspondent: their own byline is filled in.
            person = Person.objects.filter(user=request.user).first()
            if person is not None and permissions.files_copy(request.user):
                correspondent = permissions.is_correspondent(request.user.pk)
                role = Byline.Role.CORRESPONDENT if correspondent else Byline.Role.REPORTER
                kwargs["initial"] = [{"person": person.pk, "role": role, "position": 1}]
        return kwargs

    def get_inlines(self, request, obj):
        if obj is None:  # nothing to log or correct yet
            return [BylineInline, ArticlePhotoInline]
        return self.inlines

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (
                None,
                {
                    "fields": [
                        "kind",
                        "section",
                        "kicker",
                        "headline",
                        "subheadline",
                        "web_headline",
                    ]
                },
            ),
            (_("Copy"), {"fields": ["source", "body", "char_count", "summary", "tags"]}),
        ]
        if obj is None:
            return fieldsets  # new copy: nothing in the workflow yet
        if obj.status == Article.Status.PUBLISHED and self.has_change_permission(request, obj):
            # A box to write a correction in: only for who may correct the copy.
            fieldsets.append((_("Correction"), {"fields": ["correction"]}))
        fieldsets.append((_("Workflow"), {"fields": ["base_version", *self.workflow_fields]}))
        return fieldsets

    def get_queryset(self, request):
        # The bylines with their people in one query (selectors.bylines), not two.
        queryset = super().get_queryset(request).prefetch_related(selectors.bylines())
        return permissions.visible_articles(request.user, queryset)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (obj is None or permissions.can_view_article(request.user, obj))

    # The form saves for those who may change the copy, and for the photo
    # desk, who change only its photos (get_readonly_fields, write).
    change_rule = staticmethod(permissions.can_work_on_article)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request, obj)
        return permissions.can_work_on_article(request.user, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not permissions.can_edit_article(request.user, obj):
            fields += [name for name in ArticleAdminForm.Meta.fields if name not in fields]
        return fields

    delete_rule = staticmethod(permissions.why_not_delete_article)

    def write(self, request, obj, form, formsets):
        correction = form.cleaned_data.get("correction", "")
        if getattr(request, "_preview", False) and not correction.strip():
            # A preview of published copy shows where the correction note goes.
            correction = gettext("(your correction note)")
        bylines, photos = formsets.get(Byline), formsets.get(ArticlePhoto)
        if obj.pk and not permissions.can_edit_article(request.user, obj):
            # The photo desk's step: the copy's photos only, the copy staying on the desk.
            if photos is not None:
                request._revision_before = revisions.latest_number(obj)
                services.illustrate_article(
                    obj,
                    user=request.user,
                    photos=self.photos_as_typed(request, photos),
                    base_version=self.base_version(form),
                )
            return
        if obj.pk:  # the history words the change against the revision before it
            request._revision_before = revisions.latest_number(obj)
        services.save_article(
            obj,
            user=request.user,
            bylines=None
            if bylines is None
            else [services.Credit(b.person, b.role) for b in in_order(bylines)],
            photos=None if photos is None else self.photos_as_typed(request, photos),
            tags=form.cleaned_data["tags"] if "tags" in form.cleaned_data else None,
            base_version=self.base_version(form),
            correction=correction,
        )

    def delete(self, request, obj):
        services.delete_article(obj, user=request.user)

    def photos_as_typed(self, request, formset):
        """The copy's photos as its rows say, in order; a picture uploaded in a row becomes a photo.

        A preview stores nothing: its rows with new pictures are left out.
        """
        uses = []
        for row in sorted(
            (f for f in formset.forms if getattr(f, "cleaned_data", None)),
            key=lambda f: f.cleaned_data.get("position") or 0,
        ):
            data = row.cleaned_data
            if data.get("DELETE"):
                continue
            photo = data.get("photo")
            if (upload := data.get("upload")) and not row.instance.pk:
                if getattr(request, "_preview", False):
                    # The preview stores no file: the new picture shows as its caption and
                    # credit (a photo without its picture yet), rolled back with the rest.
                    photo = services.save_photo(
                        Photo(
                            caption=data.get("new_caption", "").strip(),
                            alt_text=data.get("alt_text", "").strip(),
                        ),
                        user=request.user,
                        credits=[data["credit"]] if data.get("credit") else [],
                    )
                    uses.append(services.Use(photo, data.get("caption", "")))
                    continue
                photo = services.upload_photo(
                    upload,
                    user=request.user,
                    caption=data.get("new_caption", ""),
                    alt_text=data.get("alt_text", ""),
                    credit=data.get("credit"),
                )
                row.instance.photo = photo  # the change history names the row by its photo
            uses.append(services.Use(photo or row.instance.photo, data.get("caption", "")))
        return uses

    def response_change(self, request, obj):
        if request.POST.get("_comment"):
            # A comment posted from the article's own form: what was typed is saved by now.
            self.message_user(request, post_comment(obj, request.POST, user=request.user))
            return HttpResponseRedirect(change_url(obj) + "#comments")
        if not request.POST.get("_workflow"):
            return super().response_change(request, obj)
        # A step pressed on the article's own form: what was typed is saved by
        # now (or the save was refused and nothing happens). A refused step
        # rolls the save back too, and the form comes back as typed.
        message = take_step(obj, request.POST, user=request.user)
        self.message_user(request, message, messages.SUCCESS)
        self._word_warnings(request, obj, request.POST.get("_workflow", ""))
        return self._after_step(request, obj)

    def _word_warnings(self, request, article, step):
        """审校: what the word lists find in copy just submitted (articles.wordcheck)."""
        for warning in wordcheck.step_warnings(article, step):
            self.message_user(request, warning, messages.WARNING)

    def _after_step(self, request, article):
        if self.has_view_or_change_permission(request, article):
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
        return HttpResponseRedirect(reverse("admin:articles_article_changelist"))

    # --- the workflow panel -------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/workflow/",
                view(self.workflow_view),
                name="articles_article_workflow",
            ),
            path(
                "add/preview/",
                view(self.preview_view),
                name="articles_article_add_preview",
            ),
            path(
                "<path:object_id>/preview/",
                view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "<path:object_id>/comment/",
                view(self.comment_view),
                name="articles_article_comment",
            ),
            path(
                "add/working-copy/",
                view(self.working_copy_view),
                name="articles_article_add_working_copy",
            ),
            path(
                "<path:object_id>/working-copy/",
                view(self.working_copy_view),
                name="articles_article_working_copy",
            ),
            path(
                "<path:object_id>/presence/",
                view(self.presence_view),
                name="articles_article_presence",
            ),
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<path:object_id>/revisions/<int:number>/restore/",
                view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), **self.autosave_context(request, None)}
        return super().add_view(request, form_url, extra_context)

    def get_object(self, request, object_id, from_field=None):
        # A GET reads the copy once: change_view's panels and Django's form
        # get the same object (a POST reads it again inside its transaction).
        if request.method != "GET" or from_field is not None:
            return super().get_object(request, object_id, from_field)
        kept = request.__dict__.setdefault("_articles_read", {})
        if object_id not in kept:
            # With what the page prints beside the copy: its section (the review
            # it awaits), who created it and who changed it last, by name.
            queryset = self.get_queryset(request).select_related(
                "section", "created_by__person", "updated_by__person"
            )
            try:
                kept[object_id] = queryset.get(pk=self.opts.pk.to_python(object_id))
            except (Article.DoesNotExist, ValidationError, ValueError):
                kept[object_id] = None  # as Django's get_object answers
        return kept[object_id]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if obj is not None:
            extra_context.update(self.workflow_context(request, obj))
            extra_context.update(wordcheck.article_context(request, obj))
            extra_context.update(self.autosave_context(request, obj))
            extra_context["presence_url"] = reverse(
                "admin:articles_article_presence", args=[obj.pk]
            )
            extra_context["presence"] = presence.others_in(obj, request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        # 留痕 in words, whichever door made the change (the form, the photo's page, an import).
        obj = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if obj is not None and permissions.may_see_revisions(request.user, obj):
            extra_context.update(original=obj, tracked_changes=tracking.tracked_changes(obj))
        return super().history_view(request, object_id, extra_context)

    def presence_view(self, request, object_id):
        """A heartbeat from the open form: note who is in the piece; answer who else is (JSON)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, object_id)
        if article is None:
            return JsonResponse({"error": gettext("No such article.")}, status=404)
        if request.POST.get("leave"):
            presence.leave(article, request.user)
            return JsonResponse({"others": [], "taken_over": ""})
        response = JsonResponse(
            presence.beat(
                article,
                request.user,
                editing=permissions.can_work_on_article(request.user, article),
                take_over=bool(request.POST.get("take_over")),
            )
        )
        add_never_cache_headers(response)
        return response

    # --- autosave: the person's working copy ---------------------------------

    def autosave_context(self, request, obj):
        """What the form needs to keep what is typed, and the working copy it may offer back."""
        if permissions.why_not_keep_working_copy(request.user, obj) is not None:
            return {}
        url = (
            reverse("admin:articles_article_working_copy", args=[obj.pk])
            if obj
            else reverse("admin:articles_article_add_working_copy")
        )
        context = {"autosave_url": url, "autosave_fields": " ".join(working.KEPT_FIELDS)}
        kept = working.working_copy_of(request.user, obj)
        if kept is None or request.method == "POST":
            return context
        differences = working.differences(kept, obj)
        if differences:
            context["working_copy"] = {
                "saved_at": kept.saved_at,
                "differences": [
                    (label, tracking.char_diff(old, new)) for label, old, new in differences
                ],
                "fields": kept.fields,
                # Restored, the form keeps the version the text was typed at: if
                # someone saved since, the save is refused as stale, text kept.
                "base_version": kept.base_version if obj is not None else None,
                "stale": obj is not None
                and kept.base_version is not None
                and kept.base_version != obj.version,
            }
        return context

    def working_copy_view(self, request, object_id=None):
        """Keep what the form's author typed (autosave), or discard it: JSON for the page's script."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = None
        if object_id is not None:
            article = self.get_object(request, object_id)
            if article is None:
                return JsonResponse({"error": gettext("No such article.")}, status=404)
        try:
            if request.POST.get("discard"):
                services.discard_working_copy(user=request.user, article=article)
            else:
                base_version = request.POST.get("base_version", "")
                services.keep_working_copy(
                    user=request.user,
                    article=article,
                    fields=request.POST,
                    base_version=int(base_version) if base_version.isdigit() else None,
                )
        except permissions.Refused as refused:
            return JsonResponse({"error": str(refused.message)}, status=403)
        response = JsonResponse({"kept": not request.POST.get("discard")})
        add_never_cache_headers(response)
        return response

    def workflow_context(self, request, obj):
        user = request.user
        transitions = workflow.allowed_transitions(user, obj)
        may_place = permissions.may_place(user, obj)
        pages = []
        if may_place:
            pages = Page.objects.filter(edition__status=Edition.Status.PLANNING).select_related(
                "edition"
            )
        suggestions = []
        may_see_revisions = permissions.may_see_revisions(user, obj)
        editable = permissions.can_edit_article(user, obj)
        if editable:
            names = [byline.person.name for byline in obj.bylines.all()]
            current = set(obj.tags.names())
            suggestions = [
                tag
                for tag in suggest_tags(obj.headline, obj.body, exclude=names)
                if tag not in current
            ]
        brief = assignment_of(obj)
        return {
            "tag_suggestions": suggestions,
            # The desk's brief travels with the draft it created: what was asked, how long,
            # by when, for which page (the place button starts on that page).
            "brief": brief,
            "planned_page_id": brief.page_id if brief else None,
            "workflow_transitions": transitions,
            "workflow_status": status_badge(obj.status, obj.get_status_display()),
            "workflow_return": workflow.last_return(obj)
            if obj.status == Article.Status.RETURNED
            else None,
            "workflow_pages": pages,
            "workflow_may_place": may_place,
            # Buttons post the article's own form when the user may change
            # it (saving what was typed first); otherwise the panel's view.
            "workflow_saves_form": editable and self.has_change_permission(request, obj),
            "workflow_note": request.POST.get("workflow_note", ""),
            "workflow_may_unplace": permissions.may_unplace(user, obj),
            "workflow_may_see_revisions": may_see_revisions,
            # 留痕: what was changed since the copy was filed, by whom, at which level.
            "tracked_changes": tracking.tracked_changes(obj) if may_see_revisions else [],
            "comment_threads": comment_threads(obj),
            "may_comment": permissions.why_not_comment(user, obj) is None,
            "comment_text": request.POST.get("comment_text", ""),
            "latest_revision": obj.revisions.order_by("-number")
            .values_list("number", flat=True)
            .first(),
        }

    def workflow_view(self, request, object_id):
        """Steps taken from a read-only view of the copy: nothing typed to keep."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, object_id)
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        base_version = request.POST.get("base_version", "")
        try:
            message = take_step(
                article,
                request.POST,
                user=request.user,
                base_version=int(base_version) if base_version.isdigit() else None,
            )
        except permissions.Refused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
            self._word_warnings(request, article, request.POST.get("_workflow", ""))
        article.refresh_from_db()
        return self._after_step(request, article)

    def comment_view(self, request, object_id):
        """Comments posted from a read-only view of the copy: nothing typed to keep."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, object_id)
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        try:
            message = post_comment(article, request.POST, user=request.user)
        except permissions.Refused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(change_url(article) + "#comments")

    def preview_view(self, request, object_id=None):
        """The article form as it stands, unsaved, shown as readers would see it (in a new tab).

        The form is saved through the write path inside a transaction that is
        then rolled back: the page shows exactly what a save would make
        (joined paragraphs, bylines, tags, the copy's photos), and nothing is
        kept. Pictures uploaded in the form are not stored for a preview.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = None
        if object_id is not None:
            article = self.get_object(request, object_id)
            if article is None:
                return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
            if not self.has_change_permission(request, article):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        form = self.get_form(request, article, change=article is not None)(
            request.POST, request.FILES, instance=article
        )
        formsets, _inlines = self._create_formsets(
            request, form.instance, change=article is not None
        )
        problems = []
        with transaction.atomic():
            request._preview = True
            if form.is_valid() and all_valid(formsets):
                try:
                    # As the change form saves: the form (unsaved), then the write path.
                    self.save_form(request, form, change=article is not None)
                    self.save_related(request, form, formsets, change=article is not None)
                except permissions.Refused as refused:
                    problems.append(refused.message)
                else:
                    response = preview_response(request, form.instance)
            else:
                problems = [*form.non_field_errors()]
                problems += [
                    f"{form.fields[name].label}: {' '.join(errors)}"
                    for name, errors in form.errors.items()
                    if name in form.fields
                ]
                problems += [
                    " ".join(str(e) for e in [*f.non_field_errors(), *f.errors.values()])
                    for formset in formsets
                    for f in formset.forms
                    if f.errors
                ]
                problems += [str(e) for formset in formsets for e in formset.non_form_errors()]
            # Whatever the preview wrote goes: nothing of it is kept.
            transaction.set_rollback(True)
        if problems:
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": gettext("The preview could not be made"),
                "problems": problems,
            }
            response = TemplateResponse(
                request, "admin/articles/article/preview_problems.html", context, status=400
            )
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def revisions_view(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not permissions.may_see_revisions(request.user, article):
            raise PermissionDenied
        history = list(article.revisions.select_related("created_by__person").order_by("number"))
        rows, previous = [], None
        for revision in history:
            rows.append(
                {
                    "revision": revision,
                    "changes": diff.changes(previous, revision.content),
                }
            )
            previous = revision.content
        rows.reverse()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": gettext("Revisions of “%(article)s”") % {"article": article},
            "rows": rows,
            "may_restore": permissions.can_edit_article(request.user, article),
            "needs_correction": article.status == Article.Status.PUBLISHED,
        }
        return TemplateResponse(request, "admin/articles/article/revisions.html", context)

    def restore_view(self, request, object_id, number):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, object_id)
        if article is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        revision = get_object_or_404(article.revisions, number=number)
        try:
            services.restore_revision(
                revision, user=request.user, correction=request.POST.get("correction", "")
            )
        except permissions.Refused as refused:
            self.message_user(request, refused.message, messages.ERROR)
            back = "revisions" if permissions.may_see_revisions(request.user, article) else "change"
            return HttpResponseRedirect(
                reverse(f"admin:articles_article_{back}", args=[article.pk])
            )
        self.message_user(
            request,
            gettext("Revision %(number)s restored as a new revision.") % {"number": number},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
