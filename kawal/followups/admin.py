from django.contrib import admin

from kawal.followups.models import Evidence, FollowUp


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("title", "owner_agency", "due_date", "status", "source_kind", "region")
    list_filter = ("status", "source_kind", "owner_agency")
    search_fields = ("title",)
    raw_id_fields = ("owner_user", "region", "cooperative", "created_by")
    inlines = [EvidenceInline]
