from django.contrib import admin

from mikrolaan.admin import ReadOnlyAdmin
from mikrolaan.models import Scheme


@admin.register(Scheme)
class SchemeAdmin(ReadOnlyAdmin):
    # Edited in the application (Ordning), where the change is audited.
    list_display = ["name", "loan_maximum", "term_months", "support_months", "active"]
