"""The courses in Django's admin: the catalogue and mentors editable, the
records of attendance and answers read-only (history must not change)."""

from django.contrib import admin

from .models import (
    AttendanceRecord,
    CalendarFeed,
    Cohort,
    CourseSettings,
    Enrolment,
    Mentor,
    MentorMatch,
    MentorMeeting,
    Module,
    NetworkInvitation,
    Session,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = ("title", "key", "kind", "active", "municipality")
    list_filter = ("kind", "active")


@admin.register(CourseSettings)
class CourseSettingsAdmin(admin.ModelAdmin):
    list_display = ("municipality", "excused_absence")


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "programme", "start_date", "municipality")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("starts_at", "module", "cohort", "place", "status")
    list_filter = ("status", "module__kind")


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ("name", "trade", "active", "municipality")
    list_filter = ("active",)


@admin.register(Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ("cohort", "case", "module", "enrolled_at")


@admin.register(AttendanceRecord)
class AttendanceRecordAdmin(ReadOnlyAdmin):
    list_display = ("session", "case", "mark", "recorded_at")


@admin.register(NetworkInvitation)
class NetworkInvitationAdmin(ReadOnlyAdmin):
    list_display = ("session", "case", "answer", "answered_at")


@admin.register(MentorMatch)
class MentorMatchAdmin(ReadOnlyAdmin):
    list_display = ("mentor", "case", "started_on", "ended_on")


@admin.register(MentorMeeting)
class MentorMeetingAdmin(ReadOnlyAdmin):
    list_display = ("match", "starts_at", "topic")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ("user", "created_at")
    exclude = ("token",)
