from django.contrib import admin

from kawal.business.models import BusinessReport, MonthlyStatus, Rat


@admin.register(BusinessReport)
class BusinessReportAdmin(admin.ModelAdmin):
    list_display = ("cooperative", "month", "status", "corrections")
    list_filter = ("status", "month")
    raw_id_fields = ("cooperative", "submitted_by", "verified_by")


@admin.register(Rat)
class RatAdmin(admin.ModelAdmin):
    list_display = ("cooperative", "fiscal_year", "due_on", "held_on")
    raw_id_fields = ("cooperative",)


@admin.register(MonthlyStatus)
class MonthlyStatusAdmin(admin.ModelAdmin):
    list_display = ("cooperative", "month", "status", "score")
    list_filter = ("status", "month")
    raw_id_fields = ("cooperative",)
