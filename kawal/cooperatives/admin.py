"""Django admin (national superusers only, see kawal/urls.py); day-to-day edits go through the
scoped pages and services."""

from django.contrib import admin

from kawal.cooperatives.models import Cooperative, Officer, Outlet


class OfficerInline(admin.TabularInline):
    model = Officer
    extra = 0
    exclude = ("nik",)  # personal data stays out of the admin lists


class OutletInline(admin.TabularInline):
    model = Outlet
    extra = 0


@admin.register(Cooperative)
class CooperativeAdmin(admin.ModelAdmin):
    list_display = ("name", "village", "scheme", "registration_number", "simkopdes_id")
    list_filter = ("scheme", "business_type", "is_syariah")
    search_fields = ("name", "village__code", "village__name", "registration_number")
    raw_id_fields = ("village", "joint_villages")
    inlines = [OfficerInline, OutletInline]
