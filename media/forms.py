"""Forms of the photographer's desk: several pictures at once, then each one described."""

from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from people.models import Person

from .fields import PhotoFileField
from .models import Photo


class OrderedAutocomplete(AutocompleteSelectMultiple):
    """The admin's autocomplete, showing the chosen people in credit order, not by name."""

    def optgroups(self, name, value, attr=None):
        groups = super().optgroups(name, value, attr)
        order = {str(v): i for i, v in enumerate(value)}
        for _group, options, _index in groups:
            options.sort(key=lambda option: order.get(str(option["value"]), len(order)))
        return groups


class PhotographersField(forms.ModelMultipleChoiceField):
    """People picked in order; cleans to a list in that order (the printed credit's)."""

    def __init__(self, admin_site, **kwargs):
        field = Photo._meta.get_field("photographers")
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("photographers"))
        kwargs.setdefault("help_text", _("In the order the credit prints them."))
        # select2 reads data-width; without it the box grows with the names in it.
        widget = OrderedAutocomplete(field, admin_site, attrs={"data-width": "16em"})
        super().__init__(queryset=Person.objects.all(), widget=widget, **kwargs)

    def has_changed(self, initial, data):
        # A new order is a change: the credit prints in it.
        return [str(pk) for pk in initial or []] != [str(pk) for pk in data or []]

    def clean(self, value):
        people = {str(person.pk): person for person in super().clean(value)}
        return [people[str(pk)] for pk in dict.fromkeys(value or []) if str(pk) in people]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotoFilesField(PhotoFileField):
    """Several pictures at once, each checked; the errors name the file they are about."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        uploads = [
            upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload
        ]
        if not uploads:
            raise ValidationError(self.error_messages["required"], code="required")
        cleaned, errors = [], []
        for upload in uploads:
            try:
                cleaned.append(super().clean(upload, initial))
            except ValidationError as error:
                # One error or a list of them (from validators): each names the file.
                errors.extend(
                    ValidationError(
                        _("%(file)s: %(problem)s"),
                        code=item.code or "invalid",
                        params={"file": upload.name, "problem": " ".join(item.messages)},
                    )
                    for item in error.error_list
                )
        if errors:
            raise ValidationError(errors)
        return cleaned


class PhotoUploadForm(forms.Form):
    """Upload several pictures, credited to the same photographers."""

    images = PhotoFilesField(
        label=_("pictures"),
        help_text=_("Choose one or more JPEG, PNG, WebP or GIF files."),
    )

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photographers"] = PhotographersField(admin_site)

    def photos(self):
        """Return one new photo per picture, unsaved, and the people to credit on each, in order."""
        people = self.cleaned_data["photographers"]
        return [(Photo(image=upload), people) for upload in self.cleaned_data["images"]]


class PhotoDescribeForm(forms.ModelForm):
    """One photo's caption, alt text and credit, as set on the photographer's desk."""

    # The version the page was opened at; a save over someone's later change is refused.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Photo
        fields = ["caption", "alt_text"]
        widgets = {
            "caption": forms.Textarea(attrs={"rows": 4, "cols": 36}),
            "alt_text": forms.TextInput(attrs={"size": 24}),
        }

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photographers"] = PhotographersField(
            admin_site,
            # The formset's empty form has no saved photo to read credits from.
            initial=[c.person_id for c in self.instance.credits.all()] if self.instance.pk else [],
        )
        self.fields["base_version"].initial = self.instance.version

    @property
    def credits(self):
        """The photographers chosen, in the order the credit prints them."""
        return self.cleaned_data["photographers"]


PhotoDescribeFormSet = forms.modelformset_factory(
    Photo, form=PhotoDescribeForm, extra=0, can_delete=False, edit_only=True
)
