"""The screenings in Django's admin: read-only, history must not change."""

from django.contrib import admin

from .models import CourseGrant, Criterion, Hearing, Score, Screening


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ("number", "position", "title", "active", "municipality")
    list_filter = ("number", "active")


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    can_delete = False
    readonly_fields = ("title", "score", "note")
    fields = readonly_fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Screening)
class ScreeningAdmin(ReadOnlyAdmin):
    list_display = ("case", "number", "status", "outcome", "held_on", "decided_at")
    list_filter = ("number", "status", "outcome")
    inlines = [ScoreInline]


@admin.register(Hearing)
class HearingAdmin(ReadOnlyAdmin):
    list_display = ("case", "purpose", "deadline", "comments_on", "exception")


admin.site.register(CourseGrant, ReadOnlyAdmin)
