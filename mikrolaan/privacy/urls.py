from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("adgangslog/", views.access_log, name="access_log"),
    path("adgangslog/eksport.csv", views.access_log_export, name="access_log_export"),
    path("hvem-har-set-mine-data/", views.my_access_log, name="my_access_log"),
    path("borger/<int:pk>/eksport/", views.subject_export, name="subject_export"),
    path("sletning/", views.retention_report, name="retention_report"),
]
