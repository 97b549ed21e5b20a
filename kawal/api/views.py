from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kawal.api import selectors, services
from kawal.api.models import ApiToken
from kawal.core.scope import Cap, requires
from kawal.regions import selectors as region_selectors


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Integration (system name)"), max_length=100)
    region = forms.ChoiceField(label=gettext_lazy("Region"))
    access = forms.ChoiceField(
        label=gettext_lazy("Access"), choices=ApiToken.Access.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.display_name) for r in regions]


def _regions(user) -> list:
    """The user's own regions and the kecamatan of a regency grant."""
    roots = list(region_selectors.region_roots(user=user))
    found = []
    for root in roots:
        found.append(root)
        if root.level == 2:
            found += region_selectors.region_children(user=user, region=root)
    return found


@requires(Cap.MANAGE_USERS)
def token_list(request):
    """The Dinas's integrations: create a token (shown once), see its last use, revoke it."""
    form = TokenForm(request.POST or None, regions=_regions(request.user))
    created = None
    if request.method == "POST" and form.is_valid():
        token, raw = services.token_create(
            actor=request.user,
            name=form.cleaned_data["name"],
            region_code=form.cleaned_data["region"],
            access=form.cleaned_data["access"],
        )
        created = {"token": token, "raw": raw}
        form = TokenForm(regions=_regions(request.user))
    tokens = list(selectors.tokens(user=request.user))
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "created": created})


@requires(Cap.MANAGE_USERS)
@require_POST
def token_revoke(request, pk: int):
    token = selectors.token_get(user=request.user, pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token of %(name)s was revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
