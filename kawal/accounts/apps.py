from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kawal.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from kawal.core.nav import register_nav
        from kawal.core.scope import Cap

        register_nav(_("Users"), "accounts:user_list", Cap.MANAGE_USERS, order=800)
