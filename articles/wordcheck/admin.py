"""审校 in the admin: the word lists and their entries, import and export, the live check,
the hits on an article's page and the record of those verified (已核实).

Lists and entries are written through articles.wordcheck.services; who may
keep, see, check and verify is asked of articles.permissions.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles import permissions, services
from articles.models import Article, WordEntry, WordList, WordVerification
from articles.wordcheck import checking, files
from articles.wordcheck.matching import Hit
from articles.wordcheck.models import Category, Severity
from newsroom.writepath import WritePathAdmin
from people.admin import person_display

# The most text one live check reads (all fields together), in characters.
CHECK_MAX_CHARS = 200_000


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("file"),
        help_text=_(
            "Plain text (UTF-8, one entry a line: word, category, severity, replacement, note, "
            "separated by tabs) or Excel (.xlsx, the same columns, a header row optional)."
        ),
    )
    category = forms.ChoiceField(
        label=_("category"),
        choices=Category.choices,
        initial=Category.CAUTION,
        help_text=_("For lines that name none."),
    )
    severity = forms.ChoiceField(
        label=_("severity"),
        choices=Severity.choices,
        initial=Severity.WARN,
        help_text=_("For lines that name none."),
    )
    replace = forms.BooleanField(
        label=_("Replace the list"),
        required=False,
        help_text=_("Remove the entries the file does not hold; otherwise they are kept."),
    )


@admin.register(WordList)
class WordListAdmin(WritePathAdmin):
    change_form_template = "admin/articles/wordlist/change_form.html"
    list_display = ["name", "is_active", "entry_count", "updated_at", "updated_by_name", "tools"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    fields = ["name", "description", "is_active"]
    updated_by_name = person_display("updated_by", _("updated by"))

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_entries=Count("entries"))

    def has_add_permission(self, request):
        return permissions.why_not_keep_word_lists(request.user) is None

    def has_view_permission(self, request, obj=None):
        return permissions.may_see_word_lists(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.why_not_keep_word_lists(request.user) is None

    def has_delete_permission(self, request, obj=None):
        return permissions.why_not_delete_word_list(request.user, obj) is None

    def write(self, request, obj, form, formsets):
        services.save_word_list(obj, user=request.user, base_version=self.base_version(form))

    def delete(self, request, obj):
        services.delete_word_list(obj, user=request.user)

    @admin.display(description=_("entries"), ordering="_entries")
    def entry_count(self, obj):
        return obj._entries

    @admin.display(description=_("entries and files"))
    def tools(self, obj):
        entries = reverse("admin:articles_wordentry_changelist")
        export = reverse("admin:articles_wordlist_export", args=[obj.pk])
        return format_html(
            '<a href="{}?{}">{}</a> · <a href="{}?format=txt">{}</a> · '
            '<a href="{}?format=xlsx">{}</a>',
            entries,
            urlencode({"word_list__id__exact": obj.pk}),
            gettext("Entries"),
            export,
            gettext("Text"),
            export,
            gettext("Excel"),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("check/", view(self.check_view), name="articles_wordlist_check"),
            path(
                "<path:object_id>/import/", view(self.import_view), name="articles_wordlist_import"
            ),
            path(
                "<path:object_id>/export/", view(self.export_view), name="articles_wordlist_export"
            ),
            *super().get_urls(),
        ]

    def import_view(self, request, object_id):
        word_list = self.get_object(request, object_id)
        if word_list is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if permissions.why_not_keep_word_lists(request.user):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        problems = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            read = files.read_excel if upload.name.lower().endswith(".xlsx") else files.read_text
            # An oversized file is refused before it is read into memory.
            result = files.too_big(upload.size) or read(
                upload.read(),
                category=form.cleaned_data["category"],
                severity=form.cleaned_data["severity"],
            )
            problems = result.problems
            if result.ok and not result.rows:
                problems = [gettext("The file holds no entries.")]
            if not problems:
                try:
                    done = services.import_word_entries(
                        word_list,
                        result.rows,
                        user=request.user,
                        replace=form.cleaned_data["replace"],
                    )
                except permissions.Refused as refused:
                    problems = [refused.message]
                else:
                    self.message_user(
                        request,
                        gettext(
                            "%(list)s: %(created)s added, %(updated)s changed, %(unchanged)s "
                            "unchanged, %(removed)s removed."
                        )
                        % {
                            "list": word_list,
                            "created": done.created,
                            "updated": done.updated,
                            "unchanged": done.unchanged,
                            "removed": done.removed,
                        },
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(
                        reverse("admin:articles_wordlist_change", args=[word_list.pk])
                    )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": word_list,
            "title": gettext("Import entries into %(list)s") % {"list": word_list},
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/articles/wordlist/import.html", context)

    def export_view(self, request, object_id):
        word_list = self.get_object(request, object_id)
        if word_list is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not permissions.may_see_word_lists(request.user):
            raise PermissionDenied
        entries = list(word_list.entries.order_by("key"))
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(
                files.write_excel(entries, word_list.name),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            extension = "xlsx"
        else:
            response = HttpResponse(
                files.write_text(entries), content_type="text/plain; charset=utf-8"
            )
            extension = "txt"
        response["Content-Disposition"] = (
            f'attachment; filename="wordlist-{word_list.pk}.{extension}"'
        )
        response["Cache-Control"] = "private, no-store"
        return response

    def check_view(self, request):
        """The article form's live check: {"texts": {name: text}} in, each text's hits out."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not permissions.may_check_words(request.user):
            raise PermissionDenied
        try:
            texts = json.loads(request.body or b"{}").get("texts", {})
        except (ValueError, AttributeError):
            return HttpResponseBadRequest(gettext("Send the texts to check as JSON."))
        if not isinstance(texts, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in texts.items()
        ):
            return HttpResponseBadRequest(gettext("Send the texts to check as JSON."))
        if sum(len(text) for text in texts.values()) > CHECK_MAX_CHARS:
            return HttpResponseBadRequest(gettext("Too much text to check at once."))
        hits = checking.check_texts(texts)
        response = JsonResponse(
            {
                "hits": {
                    name: [_hit_json(hit, texts[name]) for hit in found]
                    for name, found in hits.items()
                }
            }
        )
        response["Cache-Control"] = "private, no-store"
        return response


def _utf16(text: str, index: int) -> int:
    """An offset in text as a browser counts it (UTF-16 code units)."""
    return len(text[:index].encode("utf-16-le")) // 2


def _hit_json(hit: Hit, text: str) -> dict:
    entry = hit.entry
    wide = any(ord(char) > 0xFFFF for char in text)
    return {
        "start": _utf16(text, hit.start) if wide else hit.start,
        "end": _utf16(text, hit.end) if wide else hit.end,
        "found": hit.found,
        "word": entry.word,
        "category": str(Category(entry.category).label),
        "severity": entry.severity,
        "severity_label": str(Severity(entry.severity).label),
        "replacement": entry.replacement,
        "note": entry.note,
        "list": entry.list_name,
    }


@admin.register(WordEntry)
class WordEntryAdmin(WritePathAdmin):
    form = forms.ModelForm
    list_display = ["word", "category", "severity", "replacement", "note", "word_list"]
    list_filter = ["word_list", "severity", "category"]
    list_select_related = ["word_list"]
    search_fields = ["word", "replacement", "note"]
    fields = ["word_list", "word", "category", "severity", "replacement", "note"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return permissions.why_not_keep_word_lists(request.user) is None

    def has_view_permission(self, request, obj=None):
        return permissions.may_see_word_lists(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.why_not_keep_word_lists(request.user) is None

    def has_delete_permission(self, request, obj=None):
        return permissions.why_not_keep_word_lists(request.user) is None

    def write(self, request, obj, form, formsets):
        services.save_word_entry(obj, user=request.user)

    def delete(self, request, obj):
        services.delete_word_entry(obj, user=request.user)


@admin.register(WordVerification)
class WordVerificationAdmin(admin.ModelAdmin):
    """The record of hits verified (已核实): who, when, why, the word; read only."""

    list_display = ["verified_at", "verified_by_name", "word", "severity", "article_link", "reason"]
    list_filter = ["severity", "category"]
    list_select_related = ["verified_by__person", "article"]
    search_fields = ["word", "reason", "article__headline"]
    date_hierarchy = "verified_at"
    actions = None
    verified_by_name = person_display("verified_by", _("verified by"))

    def get_urls(self):
        view = self.admin_site.admin_view
        info = self.opts.app_label, self.opts.model_name
        return [
            path("", view(self.changelist_view), name="{}_{}_changelist".format(*info)),
            path(
                "<int:article_id>/verify/",
                view(self.verify_view),
                name="{}_{}_verify".format(*info),
            ),
        ]

    def get_queryset(self, request):
        visible = permissions.visible_articles(request.user, Article.objects.all())
        return super().get_queryset(request).filter(article__in=visible)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("article"))
    def article_link(self, obj):
        url = reverse("admin:articles_article_change", args=[obj.article_id])
        return format_html('<a href="{}">{}</a>', url, obj.article)

    def verify_view(self, request, article_id):
        """Mark a word of an article 已核实 with a reason (from the article's page)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        visible = permissions.visible_articles(request.user, Article.objects.all())
        article = get_object_or_404(visible, pk=article_id)
        try:
            verification = services.verify_word(
                article,
                user=request.user,
                key=request.POST.get("key", ""),
                reason=request.POST.get("reason", ""),
            )
        except permissions.Refused as refused:
            self.message_user(request, refused.message, messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("“%(word)s” is verified (已核实); the reason is on record.")
                % {"word": verification.word},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[article.pk]) + "#nr-wordcheck"
        )


# --- what the article's own page shows ------------------------------------------------


def article_context(request, article) -> dict:
    """The hits in saved copy, each with whether this user may verify it, and the record."""
    # The record is read once: for the table below and to clear the hits above.
    verified = list(article.word_verifications.select_related("verified_by__person").order_by("pk"))
    found = checking.findings(article, verifications=verified)
    user = request.user
    rows = [
        {
            "finding": finding,
            "may_verify": finding.verification is None
            and permissions.why_not_verify_word(user, article, finding.severity) is None,
        }
        for finding in found
    ]
    return {
        "wordcheck_rows": rows,
        "wordcheck_blocking": [f for f in found if f.is_blocking],
        "wordcheck_verified": verified,
        "wordcheck_verify_url": reverse(
            "admin:articles_wordverification_verify", args=[article.pk]
        ),
    }


def step_warnings(article, step) -> list[str]:
    """What the lists found in copy just submitted: the filer is told, the desk will see it."""
    if step not in {"submit", "resubmit"}:
        return []
    found = [f for f in checking.findings(article) if f.verification is None]
    if not found:
        return []
    blocking = [f for f in found if f.severity == Severity.BLOCK]
    head = ngettext(
        "The word lists found %(count)s place to look at:",
        "The word lists found %(count)s places to look at:",
        len(found),
    ) % {"count": len(found)}
    lines = [head, *(checking.describe(f) for f in found[:5])]
    if blocking:
        lines.append(
            gettext(
                "%(words)s must be removed, or verified by the chief editor, before the final "
                "review."
            )
            % {"words": checking.words(blocking)}
        )
    return [" ".join(lines)]
