from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("", views.cohort_list, name="cohorts"),
    path("hold/nyt/", views.cohort_edit, name="cohort_create"),
    path("hold/<int:pk>/", views.cohort_detail, name="cohort"),
    path("hold/<int:pk>/ret/", views.cohort_edit, name="cohort_edit"),
    path("hold/<int:pk>/tilmeld/", views.cohort_enrol, name="cohort_enrol"),
    path("hold/<int:pk>/kursusgang/ny/", views.session_create, name="session_create"),
    path("kursusgang/<int:pk>/", views.session_detail, name="session"),
    path("kursusgang/<int:pk>/ret/", views.session_edit, name="session_edit"),
    path("kursusgang/<int:pk>/aflys/", views.session_cancel, name="session_cancel"),
    path("kursusgang/<int:pk>/inviter/", views.session_invite, name="session_invite"),
    path("kursusgang/<int:pk>/drejebog.pdf", views.runsheet_pdf, name="runsheet_pdf"),
    path("plads/<int:pk>/observationer/", views.observation_edit, name="observation"),
    path("netvaerksdage/", views.network_day_list, name="network_days"),
    path("netvaerksdage/ny/", views.session_create, name="network_day_create"),
    path("moduler/", views.module_list, name="modules"),
    path("moduler/nyt/", views.module_edit, name="module_create"),
    path("moduler/<int:module_pk>/", views.module_edit, name="module_edit"),
    path("mentorer/", views.mentor_list, name="mentors"),
    path("mentorer/ny/", views.mentor_edit, name="mentor_create"),
    path("mentorer/<int:pk>/", views.mentor_edit, name="mentor_edit"),
    path("forloeb/<int:case_pk>/mentor/", views.case_mentor, name="case_mentor"),
    path("mentorforloeb/<int:pk>/", views.match_detail, name="match"),
    path("mentorforloeb/<int:pk>/afslut/", views.match_end, name="match_end"),
    path("kalender/", views.calendar_settings, name="calendar"),
    path("kalender/ny-adresse/", views.calendar_revoke, name="calendar_revoke"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("portal/", views.portal_sessions, name="portal_sessions"),
    path("portal/netvaerksdag/<int:pk>/", views.portal_answer, name="portal_answer"),
]
