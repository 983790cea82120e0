from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from articles.copy.bodytext import normalize_body
from articles.models import Article, ArticlePhoto
from media.fields import PhotoFileField
from media.models import Photo, PhotoCredit
from newsroom.keys import clean_pk
from newsroom.widgets import AutocompleteSelect
from newsroom.writepath import VersionedForm
from people.models import Person


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


class ArticleAdminForm(VersionedForm):
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
            "web_headline",
            "source",
            "body",
            "summary",
            "tags",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "tags" in self.fields:
            field = self.fields["tags"]
            self.fields["tags"] = TagChoiceField(
                label=field.label,
                help_text=_("Pick tags, or type a new one and press Enter."),
                widget=TagAutocomplete(Article._meta.get_field("tags"), admin.site),
            )

    def clean_body(self):
        return normalize_body(self.cleaned_data.get("body", ""))

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind", getattr(self.instance, "kind", None))
        if "headline" in self.fields and kind != Article.Kind.PHOTO:
            if not cleaned.get("headline", "").strip():
                self.add_error("headline", _("A headline is required, except for photo news."))
        return cleaned


class ArticlePhotoForm(forms.ModelForm):
    """A photo on the copy: one picked from the photo desk, or a picture uploaded right here.

    An upload becomes a photo of its own (caption, alt text, credit) when the
    article is saved (ArticleAdmin.save_formset); the credit defaults to the
    person filing, who most often took it. A saved row only orders and
    captions its photo.
    """

    NEW_PHOTO_FIELDS = ["upload", "new_caption", "alt_text", "credit"]

    upload = PhotoFileField(
        label=_("or upload a picture"),
        required=False,
        help_text=_("From your phone or computer: JPEG, PNG, WebP or GIF."),
    )
    new_caption = forms.CharField(
        label=_("caption of the new picture"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    alt_text = forms.CharField(
        label=Photo._meta.get_field("alt_text").verbose_name,
        required=False,
        max_length=255,
        help_text=Photo._meta.get_field("alt_text").help_text,
    )
    credit = forms.ModelChoiceField(
        queryset=Person.objects.all(),
        label=_("taken by"),
        required=False,
        widget=AutocompleteSelect(PhotoCredit._meta.get_field("person"), admin.site),
        help_text=_("Credited as 摄 under the picture."),
    )
    # The person filing, offered as the one who took a new picture (see ArticlePhotoInline).
    default_credit = None

    class Meta:
        model = ArticlePhoto
        fields = ["photo", "caption", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "photo" not in self.fields:
            return  # read only: the inline shows the photo as printed
        self.fields["photo"].required = False
        if self.instance.pk:
            # The photo is on the copy: it is changed on its own page.
            for name in self.NEW_PHOTO_FIELDS:
                self.fields[name].disabled = True
        elif self.default_credit is not None:
            self.fields["credit"].initial = self.default_credit.pk

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            return cleaned
        photo, upload = cleaned.get("photo"), cleaned.get("upload")
        if photo and upload:
            raise ValidationError(_("Pick a photo or upload a picture, not both."))
        if not photo and not upload and "upload" not in self.errors:
            raise ValidationError(_("Pick a photo from the photo desk, or upload a picture."))
        return cleaned
