from django.contrib import admin

from kawal.taskforce.models import Decision, Decree, Invitee, Letterhead, Meeting


@admin.register(Letterhead)
class LetterheadAdmin(admin.ModelAdmin):
    list_display = ("region", "office")


@admin.register(Decree)
class DecreeAdmin(admin.ModelAdmin):
    list_display = ("number", "signed_on", "region", "amends")


class InviteeInline(admin.TabularInline):
    model = Invitee
    extra = 0
    raw_id_fields = ("user",)


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_at", "status", "region")
    list_filter = ("status",)
    inlines = [InviteeInline, DecisionInline]
