from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from .models import AccessLogEntry, AuditEvent, Municipality, UserProfile
from .tenancy import scope_users, user_municipality_id


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


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    """Only Django's superuser creates municipalities; each municipality's
    administrator edits its letterhead in the application (audited)."""

    list_display = ["code", "name", "cvr", "updated_at"]
    search_fields = ["name", "code"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from .services import create_municipality

        if change:
            super().save_model(request, obj, form, change)
        else:
            data = {
                f.name: getattr(obj, f.name) for f in obj._meta.concrete_fields if f.name != "id"
            }
            created = create_municipality(actor=request.user, **data)
            obj.pk = created.pk


class ProfileInline(admin.StackedInline):
    model = UserProfile
    can_delete = False
    verbose_name_plural = UserProfile._meta.verbose_name

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser


class MunicipalUserAdmin(UserAdmin):
    """The municipality's administrator manages its own users here: they see
    and create users of their own municipality only, and cannot hand out
    superuser rights or single permissions (roles are groups)."""

    inlines = [ProfileInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.is_superuser else scope_users(qs)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        return fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        municipality_id = user_municipality_id(request.user)
        if not request.user.is_superuser and municipality_id:
            UserProfile.objects.get_or_create(
                user=obj, defaults={"municipality_id": municipality_id}
            )


User = get_user_model()
if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, MunicipalUserAdmin)
