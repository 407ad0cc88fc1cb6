from django.urls import path

from . import views

app_name = "loans"

urlpatterns = [
    path("ordning/", views.scheme_edit, name="scheme_edit"),
]
