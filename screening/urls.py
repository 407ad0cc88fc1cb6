from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("kriterier/", views.criteria_list, name="criteria"),
    path("kriterier/nyt/", views.criterion_edit, name="criterion_create"),
    path("kriterier/<int:criterion_pk>/", views.criterion_edit, name="criterion_edit"),
    path("partshoering/<int:hearing_pk>/", views.portal_hearing, name="portal_hearing"),
    path("forloeb/<int:pk>/ny/", views.screening_start, name="start"),
    path("forloeb/<int:pk>/<int:screening_pk>/", views.screening_detail, name="detail"),
    path("forloeb/<int:pk>/<int:screening_pk>/ret/", views.screening_edit, name="edit"),
    path("forloeb/<int:pk>/<int:screening_pk>/afgoer/", views.screening_preview, name="preview"),
    path("forloeb/<int:pk>/<int:screening_pk>/rettelse/", views.screening_correct, name="correct"),
    path(
        "forloeb/<int:pk>/<int:screening_pk>/vurdering-og-indstilling.pdf",
        views.assessment_pdf,
        name="assessment_pdf",
    ),
    path("forloeb/<int:pk>/partshoering/", views.hearing_create, name="hearing_create"),
    path(
        "forloeb/<int:pk>/partshoering/undtagelse/",
        views.hearing_exception,
        name="hearing_exception",
    ),
    path(
        "forloeb/<int:pk>/partshoering/<int:hearing_pk>/bemaerkninger/",
        views.hearing_comments,
        name="hearing_comments",
    ),
]
