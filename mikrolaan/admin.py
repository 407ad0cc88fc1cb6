from django.contrib import admin

from .models import AccessLogEntry, AuditEvent, MunicipalitySettings


class ReadOnlyAdmin(admin.ModelAdmin):
    """History must not change: no add, no change, no delete — view only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "action", "object_repr", "from_state", "to_state"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor_label", "reason"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_label", "subject_repr", "what"]
    search_fields = ["subject_repr", "actor_label", "what"]
    date_hierarchy = "created_at"


@admin.register(MunicipalitySettings)
class MunicipalitySettingsAdmin(ReadOnlyAdmin):
    # Edited in the application (Indstillinger), where the change is audited.
    list_display = ["name", "cvr", "updated_at"]
