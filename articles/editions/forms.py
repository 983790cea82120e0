"""The form of the page import (plain text of one printed page)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from articles.importer.parse import max_page_bytes


class PageImportForm(forms.Form):
    """A page's text from the layout system, and where it goes."""

    file = forms.FileField(
        label=_("page text"),
        required=False,
        help_text=_("The page as UTF-8 plain text, as the layout system exports it."),
    )
    # The text read from the file, carried from the preview to the confirmation.
    text = forms.CharField(widget=forms.HiddenInput, required=False)
    date = forms.DateField(label=_("edition date"), widget=forms.DateInput(attrs={"type": "date"}))
    number = forms.IntegerField(label=_("page number"), min_value=1, max_value=99)
    name = forms.CharField(label=_("page name"), max_length=32, required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            limit = max_page_bytes()
            if upload.size > limit:
                raise ValidationError(
                    _("A page's text is at most %(limit)s KB; this file is %(size)s KB.")
                    % {"limit": limit // 1024, "size": -(-upload.size // 1024)}
                )
            data = upload.read()
            try:
                cleaned["text"] = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise ValidationError(
                    _("The file is not UTF-8 text; save it as UTF-8 and upload it again.")
                ) from None
        if not cleaned.get("text", "").strip():
            raise ValidationError(_("Choose the page's text file."))
        if "\x00" in cleaned["text"]:
            raise ValidationError(_("The file is not plain text."))
        return cleaned
