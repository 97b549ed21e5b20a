from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from kawal.accounts.models import Agency, Grant, User


class GrantInline(admin.TabularInline):
    model = Grant
    fk_name = "user"
    extra = 0
    raw_id_fields = ["region"]


@admin.register(User)
class KawalUserAdmin(UserAdmin):
    inlines = [GrantInline]
    fieldsets = (*UserAdmin.fieldsets, ("Kawal", {"fields": ("phone", "agency")}))


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "kind", "region"]
    raw_id_fields = ["region"]
