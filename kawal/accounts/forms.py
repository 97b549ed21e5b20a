from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kawal.core.scope import Role
from kawal.regions.forms import RegionCodeField


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    region_code = RegionCodeField(
        help_text=_("Kemendagri code, e.g. 64.02 for the regency or 64.02.06 for a kecamatan."),
    )
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput)

    def __init__(self, *args, roles: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]


class LoginForm(AuthenticationForm):
    """Django's login form with our own words (Django's Indonesian differs from ours)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A context keeps our words apart from Django's own catalogue, which is searched first.
        self.fields["username"].label = pgettext_lazy("login", "Username")
        self.fields["password"].label = pgettext_lazy("login", "Password")
        # Django's own Indonesian text repeats the field name ("nama pengguna nama pengguna").
        self.error_messages = {
            **self.error_messages,
            "invalid_login": pgettext_lazy(
                "login",
                "The username or password is wrong. Both are case-sensitive.",
            ),
        }
