from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import PasswordResetForm
from django.core.files.uploadedfile import UploadedFile
from django.template.loader import render_to_string

from rehab_clinic.accounts.images import ImageRejected, process_logo
from rehab_clinic.accounts.limits import PASSWORD, limited_formfield
from rehab_clinic.accounts.models import Clinic, User
from rehab_clinic.outbox.mail import queue_email

_SIGN_IN_ERROR = "That email and password do not match an active account."

# Each helper has form_tag = False: the templates write their own <form> (CSRF, novalidate,
# enctype), and crispy's would nest inside it (the Nu HTML Checker, tests/html/).


class LoginForm(forms.Form):
    email = forms.EmailField(
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(
        max_length=PASSWORD,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("login", "Sign in", css_class="w-100"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        email, password = data.get("email"), data.get("password")
        if email and password:
            user = authenticate(self.request, email=email.lower(), password=password)
            # The same message whether the account exists or not: no account enumeration.
            if user is None or not user.is_active:
                raise forms.ValidationError(_SIGN_IN_ERROR)
            self.user = user
        return data


class SetPasswordFromInviteForm(forms.Form):
    password1 = forms.CharField(
        label="Choose a password",
        max_length=PASSWORD,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Type it again",
        max_length=PASSWORD,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, invitation: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invitation = invitation
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", "Create my account"))

    def clean_password2(self) -> str:
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError("The two passwords are not the same.")
        probe = User(email=self.invitation.email, full_name=self.invitation.full_name)
        password_validation.validate_password(second, probe)
        return str(second)


class StaffForm(forms.ModelForm[User]):
    """Add a staff member (an invitation is emailed) or change a staff member's role."""

    # Not the model's field: its unique check would name accounts at every clinic. clean_email
    # checks this clinic's only; the form never saves a new user (an invitation does).
    email = forms.EmailField(max_length=254)

    class Meta:
        formfield_callback = limited_formfield
        model = User
        fields = ["full_name", "role", "is_active"]

    field_order = ["full_name", "email", "role", "is_active"]

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            (User.Role.THERAPIST, "Therapist"),
            (User.Role.CLINIC_ADMIN, "Clinic admin"),
        ]
        self.fields["is_active"].label = "Active (can sign in)"
        if self.instance.pk is None:
            del self.fields["is_active"]
        else:
            self.fields["email"].disabled = True
            self.fields["email"].initial = self.instance.email
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", "Save staff member"))

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"].lower()
        # Only this clinic's accounts are named: an account elsewhere is answered like a new
        # address (the invitation email tells its owner instead), so no clinic learns who has an
        # account at another.
        taken = User.objects.filter(email__iexact=email, clinic=self.clinic).exists()
        if self.instance.pk is None and taken:
            raise forms.ValidationError("An account with this email already exists.")
        return email


class ClinicForm(forms.ModelForm[Clinic]):
    class Meta:
        formfield_callback = limited_formfield
        model = Clinic
        fields = [
            "name",
            "timezone",
            "distance_unit",
            "paper_size",
            "address",
            "phone",
            "opening_hours",
            "email",
            "website",
            "logo",
            "mrn_prefix",
            "progress_note_every",
            "low_adherence_percent",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }
        help_texts = {
            "timezone": "A time zone name such as America/Chicago or Europe/Lisbon.",
            "logo": "PNG, JPEG or WebP up to 2 MB, shown on printed programs.",
        }
        # A plain file field: Django's ImageField would hand the upload to Pillow (every format
        # it knows, PostScript included) before clean_logo's checks run.
        field_classes = {"logo": forms.FileField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", "Save clinic details"))
        for name in self.DAY_RULES:
            self.fields[name].required = False  # left blank: the clinic keeps its current rule

    # The therapist's day rules (docs/therapist_day.md).
    DAY_RULES = ("progress_note_every", "low_adherence_percent")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in self.DAY_RULES:
            if data.get(name) is None and name not in self.errors:
                data[name] = getattr(self.instance, name)
        return data

    def clean_logo(self) -> Any:
        logo = self.cleaned_data.get("logo")
        if not isinstance(logo, UploadedFile):
            return logo  # unchanged, or False when "clear" is ticked
        try:
            return process_logo(logo)
        except ImageRejected as rejected:
            raise forms.ValidationError(str(rejected)) from None


class SecondFactorCodeForm(forms.Form):
    """The code from an authenticator app, or one of the backup codes."""

    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
    )

    def __init__(self, *args: Any, submit_label: str = "Verify", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("verify", submit_label))


class AppCodeForm(SecondFactorCodeForm):
    """Setting up an app takes a code from that app: six digits, spaces allowed."""

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6 digits your app shows, for example 123 456.")
        return code


class ReauthenticateForm(forms.Form):
    secret = forms.CharField(
        label="Your password, or a code from your authenticator app",
        strip=False,
        max_length=PASSWORD,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("confirm", "Confirm"))


class ClinicTwoFactorForm(forms.ModelForm[Clinic]):
    class Meta:
        model = Clinic
        fields = ["require_two_factor"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # crispy's Submit is always btn-primary: an outline class on top of it drew the label in
        # the button's own blue.
        self.helper.add_input(Submit("save_two_factor", "Save two-factor rule"))


class OutboxPasswordResetForm(PasswordResetForm):
    """Django's reset form, whose email is queued in the outbox (sent by Celery), not sent in the
    request: a mail server or broker outage costs the person asking nothing."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        queue_email(to=to_email, subject=subject, body=body)
