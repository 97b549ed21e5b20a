from django.contrib import admin

from kawal.budget.models import BudgetLine, Commitment, Refocusing, Spend

admin.site.register(BudgetLine)
admin.site.register(Refocusing)
admin.site.register(Commitment)
admin.site.register(Spend)
