from django.contrib import admin

from mikrolaan.admin import ReadOnlyAdmin

from .models import Letter


@admin.register(Letter)
class LetterAdmin(ReadOnlyAdmin):
    # Letters are requested by services and immutable once generated.
    list_display = ["pk", "kind", "subject", "status", "version", "created_at", "generated_at"]
    list_filter = ["status", "kind"]
    search_fields = ["subject", "case__case_number"]
    date_hierarchy = "created_at"
    list_select_related = ["case"]
    exclude = ["recipient_cpr", "claim_token"]
