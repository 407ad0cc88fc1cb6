from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("<int:pk>/pdf/", views.download, name="download"),
    path("<int:pk>/digital-post/", views.digital_post, name="digital_post"),
    path("<int:pk>/proev-igen/", views.retry, name="retry"),
]
