from django.urls import path

from . import views
from .portal import views as portal_views

app_name = "applicants"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("eksport.csv", views.case_export, name="case_export"),
    path("ny-henvendelse/", views.inquiry_create, name="inquiry_create"),
    path("henvis/", views.referral_create, name="referral_create"),
    path("henvisninger/", views.referral_list, name="referral_list"),
    path("henvisninger/<int:pk>/", views.referral_status, name="referral_status"),
    path("programmer/", views.programme_list, name="programme_list"),
    path("programmer/nyt/", views.programme_create, name="programme_create"),
    path("programmer/<int:pk>/", views.programme_edit, name="programme_edit"),
    path("mit-forloeb/traek-mig/", views.portal_withdraw, name="portal_withdraw"),
    path("skemaer/spoergsmaal/", portal_views.question_texts, name="question_texts_index"),
    path(
        "skemaer/spoergsmaal/<slug:slug>/",
        portal_views.question_texts,
        name="question_texts",
    ),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/portal-invitation/", portal_views.portal_invite, name="portal_invite"),
    path(
        "<int:pk>/skemaer/personprofil/registrer/",
        portal_views.person_profile_for_citizen,
        name="person_profile_for_citizen",
    ),
    path("<int:pk>/skemaer/<slug:slug>/", portal_views.form_review, name="form_review"),
    path("<int:pk>/borger/", views.citizen_edit, name="citizen_edit"),
    path("<int:pk>/oplysninger/", views.case_edit, name="case_edit"),
    path("<int:pk>/telefonsamtale/", views.phone_interview_create, name="phone_interview_create"),
    path("<int:pk>/moeder/nyt/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/moeder/<int:meeting_pk>/", views.meeting_record, name="meeting_record"),
    path("<int:pk>/moeder/<int:meeting_pk>/flyt/", views.meeting_move, name="meeting_move"),
    path("<int:pk>/moeder/<int:meeting_pk>/aflys/", views.meeting_cancel, name="meeting_cancel"),
    path("<int:pk>/trin/<slug:transition>/", views.case_transition, name="case_transition"),
]
