from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("eksport/<slug:report>.<slug:fmt>", views.export, name="export"),
    path("tidslinje/", views.cohorts, name="cohorts"),
    path("business-case/", views.business_case, name="business_case"),
    path("business-case.pdf", views.business_case_pdf, name="business_case_pdf"),
    path("programmer/<int:pk>/opstart/", views.setup_checklist, name="setup_checklist"),
    path("team/", views.team, name="team"),
    path("team/ny/", views.team_member_edit, name="team_member_create"),
    path("team/<int:pk>/", views.team_member_edit, name="team_member_edit"),
    path("team/<int:pk>/fjern/", views.team_member_remove, name="team_member_remove"),
    path("skemaer/", views.submissions, name="submissions"),
    path("information/", views.caseworker_information, name="caseworker_information"),
]
