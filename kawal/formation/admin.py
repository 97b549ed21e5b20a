"""Django admin (national superusers only, see kawal/urls.py)."""

from django.contrib import admin

from kawal.formation.models import Notary, Reminder, StepDocument, StepRecord, StepTarget


@admin.register(Notary)
class NotaryAdmin(admin.ModelAdmin):
    list_display = ("name", "seat", "province", "ahu_number", "is_active")
    search_fields = ("name", "seat")


class StepDocumentInline(admin.TabularInline):
    model = StepDocument
    extra = 0
    raw_id_fields = ("uploaded_by", "verified_by")


@admin.register(StepRecord)
class StepRecordAdmin(admin.ModelAdmin):
    list_display = ("cooperative", "step", "status", "completed_on", "document_number", "moved_at")
    list_filter = ("step", "status")
    search_fields = ("cooperative__name", "cooperative__village__code", "document_number")
    raw_id_fields = ("cooperative", "notary")
    inlines = [StepDocumentInline]


@admin.register(StepTarget)
class StepTargetAdmin(admin.ModelAdmin):
    list_display = ("scheme", "step", "due_date")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("run_on", "cooperative", "step", "due_date")
    list_filter = ("run_on", "step")
    raw_id_fields = ("cooperative",)
