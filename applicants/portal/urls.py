"""The portal's pages. Sign-in lives beside the staff's login (under
/konto/login/), the forms under /portal/; staff's review pages are in
applicants/urls.py under the case."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("konto/login/borger/", views.sign_in, name="sign_in"),
    path("konto/login/borger/sendt/", views.sign_in_sent, name="sign_in_sent"),
    path("konto/login/borger/link/", views.link, name="link"),
    path("portal/skemaer/<slug:slug>/", views.form_overview, name="form_overview"),
    path("portal/skemaer/<slug:slug>/tjek/", views.form_check, name="form_check"),
    path("portal/skemaer/<slug:slug>/bilag/", views.attachment_upload, name="attachment_upload"),
    path("portal/skemaer/<slug:slug>/<slug:step>/", views.form_step, name="form_step"),
    path("portal/skemaer/<slug:slug>/<slug:step>/gem/", views.form_autosave, name="form_autosave"),
    path("portal/bilag/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("portal/bilag/<int:pk>/fjern/", views.attachment_remove, name="attachment_remove"),
    path("portal/versioner/<int:pk>/pdf/", views.version_pdf, name="version_pdf"),
]
