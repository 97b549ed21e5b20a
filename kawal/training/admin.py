from django.contrib import admin

from kawal.training.models import Attendance, Batch, Participant, Programme

admin.site.register(Programme)
admin.site.register(Batch)
admin.site.register(Participant)
admin.site.register(Attendance)
