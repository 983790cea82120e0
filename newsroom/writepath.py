"""What every app's write path and its admin pages share: refusals, versioned forms, doors.

Every admin class that changes data is a WritePathAdmin: its saves and
deletes call the app's write path (a service), which applies the rules; the
class itself holds none. A refusal from the service (Refused) rolls the whole
request back and shows the form again with what the user typed and why it was
refused.

An app's admin page may be extended by an app that depends on it, through
ExtensibleAdmin.extend() (people's and media's pages by articles): this
module knows no app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Refused(PermissionDenied):
    """A change that may not be made; the message says why, and nothing was changed.

    field names the form field the refusal is about, if any, so that a form
    shown again can put the message next to it.
    """

    def __init__(self, message: StrOrPromise, field: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field = message, field

    def __str__(self) -> str:
        return str(self.message)


def refuse_unless(reason: StrOrPromise | None, field: str | None = None) -> None:
    """Raise Refused(reason) if there is one."""
    if reason:
        raise Refused(reason, field)


class VersionedForm(forms.ModelForm):
    """A model form that carries the version it was opened at, for the stale-form check."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version


def _refused_form(form_class, refusal):
    """Return form_class showing refusal as an error, so the typed values are shown again."""

    class RefusedForm(form_class):
        def clean(self):
            cleaned = super().clean()
            field = refusal.field if refusal.field in self.fields else None
            self.add_error(field, refusal.message)
            return cleaned

    RefusedForm.__name__ = form_class.__name__
    return RefusedForm


class WritePathAdmin(admin.ModelAdmin):
    """A ModelAdmin whose every save and delete goes through the write path.

    Subclasses implement write(request, obj, form, formsets) and delete(request,
    obj) by calling their service with what the form and its inlines say
    (formsets by model; kept_rows() reads one), and name the rules their
    pages follow: change_rule(user, obj) says whether obj may be changed now,
    delete_rule(user, obj) why it may not be deleted (None when it may).
    """

    form: type[forms.ModelForm[Any]] = VersionedForm
    change_rule: Callable[[Any, Any], bool] | None = None
    delete_rule: Callable[[Any, Any], object] | None = None

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or self.change_rule is None:
            return allowed
        return allowed and self.change_rule(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or self.delete_rule is None:
            return allowed
        return allowed and self.delete_rule(request.user, obj) is None

    def write(self, request, obj, form, formsets):
        raise NotImplementedError

    def delete(self, request, obj):
        raise NotImplementedError

    def base_version(self, form):
        return form.cleaned_data.get("base_version") if "base_version" in form.fields else None

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        names = {name for _title, options in fieldsets for name in options["fields"]}
        if obj is not None and "base_version" not in names and hasattr(obj, "version"):
            # The hidden version travels with every change form.
            title, options = fieldsets[-1]
            fieldsets = [
                *fieldsets[:-1],
                (title, {**options, "fields": [*options["fields"], "base_version"]}),
            ]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_write_refusal", None)
        return _refused_form(form, refusal) if refusal else form

    def save_model(self, request, obj, form, change):
        """Written with the related rows, in save_related, through the write path."""

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            # commit=False reads the rows into the lists the change history is
            # written from (new_objects, changed_objects…) and writes nothing:
            # write() hands the rows to the write path as explicit values.
            formset.save(commit=False)
        self.write(request, form.instance, form, {f.model: f for f in formsets})

    def delete_model(self, request, obj):
        self.delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete(request, obj)

    def message_user(self, request, message, *args, **kwargs):
        # Django joins two sentences with a space ("…已新建。 可在下方继续编辑。");
        # Chinese runs them on.
        if isinstance(message, str) and "。 " in message:
            text = message.replace("。 ", "。")
            message = mark_safe(text) if isinstance(message, SafeData) else text
        super().message_user(request, message, *args, **kwargs)

    def get_actions(self, request):
        # Bulk deletion would bypass the rules of each object's state.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            if request.method != "POST" or getattr(request, "_write_refusal", None):
                raise
            # Everything the request wrote was rolled back with the refusal: show
            # the form again, with what the user typed and why it was refused.
            request._write_refusal = refused
        for upload in request.FILES.values():
            upload.seek(0)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except Refused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except Refused as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
            return HttpResponseRedirect(request.path)


def kept_rows(formset):
    """Return the rows of an inline formset as the user left them, in order: none deleted or blank.

    Each is its form's instance with the typed values set (not saved).
    """
    if formset is None:
        return []
    return [
        form.instance
        for form in formset.forms
        if getattr(form, "cleaned_data", None) and not form.cleaned_data.get("DELETE")
    ]


def in_order(formset):
    """The kept rows of an ordered inline (a position field), by position, then as shown."""
    return sorted(kept_rows(formset), key=lambda row: row.position)


def status_badge(status, label):
    return format_html('<span class="nr-badge nr-badge--{}">{}</span>', status, label)


class ParentRulesInline:
    """An inline whose rows change only while the user may change the object they belong to.

    parent_rule(user, parent) is the permissions function that says so.
    """

    parent_rule: Callable[[Any, Any], bool] | None = None

    def _parent_open(self, request, obj):
        return obj is None or self.parent_rule(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_open(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_open(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_open(request, obj)


class ReadOnlyInline(admin.TabularInline):
    """Rows shown beside an object, never changed here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AdminExtension:
    """What an app adds to the admin page of an app it depends on: the documented hook.

    people and media own their admin pages, and know nothing of copy; articles,
    which prints people's names and photos, extends them (ExtensibleAdmin.extend)
    with its inlines, its rules and its write path. Every method has the
    answer of an app with no extension, except writing: with no write path
    there is no save.
    """

    form: type[forms.ModelForm[Any]] | None = None
    inlines: tuple[type[admin.options.InlineModelAdmin[Any, Any]], ...] = ()

    def write(self, admin, request, obj, form, formsets):
        raise Refused(gettext("Nothing writes this yet: no write path is installed."))

    def delete(self, admin, request, obj):
        raise Refused(gettext("Nothing writes this yet: no write path is installed."))

    def may_change(self, user, obj):
        return True

    def why_not_delete(self, user, obj):
        return None

    def readonly_fields(self, request, obj, fields):
        return fields

    def fieldsets(self, request, obj, fieldsets):
        return fieldsets

    def inlines_for(self, request, obj, inlines):
        return inlines

    def view_on_site(self, obj):
        return None


class ExtensibleAdmin(WritePathAdmin):
    """A WritePathAdmin that an app depending on this one extends, instead of replacing it."""

    extension = AdminExtension()

    @classmethod
    def extend(cls, extension):
        """Install extension (an AdminExtension) on this admin class: one per class."""
        cls.extension = extension
        if extension.form is not None:
            cls.form = extension.form
        cls.inlines = [*cls.base_inlines, *extension.inlines]

    base_inlines = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.base_inlines = tuple(cls.__dict__.get("inlines", cls.base_inlines))

    def change_rule(self, user, obj):
        return self.extension.may_change(user, obj)

    def delete_rule(self, user, obj):
        return self.extension.why_not_delete(user, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return self.extension.readonly_fields(request, obj, fields)

    def get_fieldsets(self, request, obj=None):
        return self.extension.fieldsets(request, obj, super().get_fieldsets(request, obj))

    def get_inlines(self, request, obj):
        return self.extension.inlines_for(request, obj, super().get_inlines(request, obj))

    def view_on_site(self, obj):
        return self.extension.view_on_site(obj)

    def write(self, request, obj, form, formsets):
        self.extension.write(self, request, obj, form, formsets)

    def delete(self, request, obj):
        self.extension.delete(self, request, obj)
