"""The message box: words, a photo, or both."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from rehab_clinic.accounts.images import ImageRejected, process_photo_jpeg
from rehab_clinic.accounts.limits import MESSAGE

__all__ = ["MessageForm"]


class MessageForm(forms.Form):
    body = forms.CharField(
        label="Message",
        max_length=MESSAGE,
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # A plain file field: Django's ImageField would hand any upload to Pillow before our checks.
    photo = forms.FileField(
        label="Add a photo (optional)",
        required=False,
        help_text="A JPEG, PNG or WebP photo up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_photo(self) -> ContentFile[bytes] | None:
        upload = self.cleaned_data.get("photo")
        if not isinstance(upload, UploadedFile):
            return None
        try:
            return process_photo_jpeg(upload)
        except ImageRejected as rejected:
            raise forms.ValidationError(str(rejected)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("body") and not data.get("photo") and "photo" not in self.errors:
            self.add_error("body", "Write a message or add a photo.")
        return data
