from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from newsroom.keys import clean_pk

from ..bodytext import normalize_body
from ..models import Article


def _tag_names(values):
    """Return {value: tag name} for the values that are ids of tags; the rest are typed names."""
    ids = {value: clean_pk(Tag, value) for value in values}
    names = dict(
        Tag.objects.filter(pk__in=[i for i in ids.values() if i]).values_list("pk", "name")
    )
    return {value: names[i] for value, i in ids.items() if i in names}


class TagAutocomplete(AutocompleteSelectMultiple):
    """The admin's autocomplete, letting the editor also type a tag that is new."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-tags"] = "true"  # select2: accept typed values
        attrs["data-token-separators"] = '[",", "，", "、"]'
        return attrs

    def optgroups(self, name, value, attr=None):
        # Values are tag ids, or the names of tags typed new (kept on a refused save).
        values = [str(v) for v in value if str(v)]
        known = _tag_names(values)
        options = [
            self.create_option(name, v, known.get(v, v), True, i) for i, v in enumerate(values)
        ]
        return [(None, options, 0)]


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Tags picked by id or typed by name; cleans to the list of tag names."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(queryset=Tag.objects.all(), **kwargs)

    def clean(self, value):
        values = [str(v).strip() for v in value or [] if str(v).strip()]
        known = _tag_names(values)
        names = [known.get(v, v) for v in values]
        too_long = [name for name in names if len(name) > 100]
        if too_long:
            raise ValidationError(
                _("A tag is at most 100 characters long: %(tag)s") % {"tag": too_long[0][:30]}
            )
        if self.required and not names:
            raise ValidationError(self.error_messages["required"], code="required")
        return list(dict.fromkeys(names))

    def prepare_value(self, value):
        if isinstance(value, Tag):
            return value.pk
        if isinstance(value, list | tuple):
            return [self.prepare_value(v) for v in value]
        return value


class ArticleAdminForm(forms.ModelForm):
    # The version the form was opened at; a save from an older one is refused.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    correction = forms.CharField(
        label=_("Correction note (更正)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Published copy: say what was wrong and what changed. Readers see this note."),
    )

    class Meta:
        model = Article
        fields = [
            "kind",
            "section",
            "kicker",
            "headline",
            "subheadline",
            "source",
            "body",
            "summary",
            "tags",
            "page",
            "position",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["base_version"].initial = self.instance.version
        if "tags" in self.fields:
            field = self.fields["tags"]
            self.fields["tags"] = TagChoiceField(
                label=field.label,
                help_text=_("Pick tags, or type a new one and press Enter."),
                widget=TagAutocomplete(Article._meta.get_field("tags"), admin.site),
            )

    def clean_body(self):
        return normalize_body(self.cleaned_data.get("body", ""))

    def stale_message(self):
        current = Article.objects.select_related("updated_by").get(pk=self.instance.pk)
        who = current.updated_by.get_username() if current.updated_by else _("someone")
        return _(
            "%(user)s saved this article at %(time)s, after you opened it. Nothing was "
            "overwritten: your text is still in the form below. Copy what you need, then "
            "reload the page to see their version."
        ) % {
            "user": who,
            "time": formats.date_format(timezone.localtime(current.updated_at), "H:i:s"),
        }

    def needs_correction(self):
        """Return whether this change alters the text of published copy."""
        text_fields = {"kicker", "headline", "subheadline", "source", "body", "summary"}
        return self.instance.status == Article.Status.PUBLISHED and bool(
            text_fields & set(self.changed_data)
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            # Lock the row for the rest of the admin's transaction, so that the
            # version read here is still the version when the save happens.
            current = (
                Article.objects.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if cleaned.get("base_version") != current:
                raise ValidationError(self.stale_message(), code="stale")
            if self.needs_correction() and not cleaned.get("correction", "").strip():
                self.add_error("correction", _("Changing published copy needs a correction note."))
        kind = cleaned.get("kind", getattr(self.instance, "kind", None))
        if "headline" in self.fields and kind != Article.Kind.PHOTO:
            if not cleaned.get("headline", "").strip():
                self.add_error("headline", _("A headline is required, except for photo news."))
        return cleaned
