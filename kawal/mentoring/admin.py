from django.contrib import admin

from kawal.mentoring.models import (
    Assignment,
    ChecklistItem,
    Consultation,
    Mentor,
    MonthlyReport,
    Recommendation,
    Visit,
)


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "organisation", "region", "contract_start", "contract_end"]
    list_filter = ["kind", "is_active"]
    raw_id_fields = ["user", "region"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["mentor", "cooperative", "started_on", "ended_on"]
    raw_id_fields = ["mentor", "cooperative"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ["label", "region", "order", "is_active"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["cooperative", "visit_date", "mentor", "flag_far", "flag_late"]
    raw_id_fields = ["cooperative", "mentor"]


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    list_display = ["text", "cooperative", "due_date", "responded_at"]
    raw_id_fields = ["cooperative", "visit", "followup", "responded_by", "created_by"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["date", "visitor_name", "cooperative", "topic", "served_at"]
    raw_id_fields = ["cooperative", "served_by", "created_by"]


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    list_display = ["mentor", "month", "status", "submitted_at"]
    raw_id_fields = ["mentor", "reviewed_by"]
