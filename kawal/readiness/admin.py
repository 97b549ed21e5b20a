from django.contrib import admin

from kawal.readiness.models import Area, Assessment, Instrument, Item, ItemScore


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "version", "status", "published_at")


admin.site.register(Area)
admin.site.register(Item)


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("cooperative", "assessed_on", "status", "score", "category")
    list_filter = ("status", "category")
    raw_id_fields = ("cooperative",)


admin.site.register(ItemScore)
