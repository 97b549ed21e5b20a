from django.contrib import admin

from kawal.training.models import Batch, Participant, Programme, Session

admin.site.register(Programme)
admin.site.register(Batch)
admin.site.register(Participant)
admin.site.register(Session)
