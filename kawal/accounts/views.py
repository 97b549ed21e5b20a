import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from kawal.accounts import selectors, services
from kawal.accounts.forms import LoginForm, UserCreateForm
from kawal.core.paginate import paginate
from kawal.core.scope import (
    Cap,
    grantable_roles,
    granted_regions,
    login_only,
    public,
    requires,
)

login = public(
    auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm)
)
logout = public(auth_views.LogoutView.as_view())


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's form, with a limit on wrong old passwords: after AXES_FAILURE_LIMIT of them the
    form refuses further tries for AXES_COOLOFF_TIME (a stolen session cannot guess the
    password). Counted in the session, which only a log-in (with the password) renews."""

    # Our own template, named explicitly: Django admin's "registration/" templates come first
    # in the template search and would show the admin's password page.
    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")
    KEY = "kawal_password_change_failures"

    def _blocked_until(self):
        failures = self.request.session.get(self.KEY, [])
        cutoff = time.time() - settings.AXES_COOLOFF_TIME.total_seconds()
        failures = [t for t in failures if t > cutoff]
        self.request.session[self.KEY] = failures
        if len(failures) >= settings.AXES_FAILURE_LIMIT:
            return failures[0] + settings.AXES_COOLOFF_TIME.total_seconds()
        return None

    def post(self, request, *args, **kwargs):
        until = self._blocked_until()
        if until is not None:
            minutes = max(1, int((until - time.time() + 59) // 60))
            form = self.get_form_class()(user=request.user)  # unbound: nothing is checked
            form.cleaned_data = {}
            form.add_error(
                None,
                _("Too many wrong passwords. Try again in %(minutes)s minutes.")
                % {"minutes": minutes},
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if "old_password" in form.errors:
            self.request.session[self.KEY] = [*self.request.session.get(self.KEY, []), time.time()]
        return super().form_invalid(form)

    def form_valid(self, form):
        self.request.session.pop(self.KEY, None)
        return super().form_valid(form)


password_change = login_only(PasswordChangeView.as_view())
password_change_done = login_only(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)


@requires(Cap.MANAGE_USERS)
def user_list(request):
    users = selectors.user_list(user=request.user, q=request.GET.get("q", "").strip())
    page = paginate(request, users)
    template = "accounts/user_list.html#rows" if request.htmx else "accounts/user_list.html"
    return render(request, template, {"page": page})


def _roles_for(user) -> list[str]:
    regions = set(granted_regions(user, Cap.MANAGE_USERS))
    return sorted({role for code in regions for role in grantable_roles(user, code)})


@requires(Cap.MANAGE_USERS)
def user_create(request):
    form = UserCreateForm(request.POST or None, roles=_roles_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(actor=request.user, **data)
        except (PermissionDenied, Http404):
            form.add_error("role", _("You may not give this role in that region."))
        except ValidationError as error:
            for field, errors in error.update_error_dict({}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("User %s was created.") % user.username)
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})
