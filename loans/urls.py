from django.urls import path

from . import views

app_name = "loans"

urlpatterns = [
    path("ordning/", views.scheme_edit, name="scheme_edit"),
]

# Repayment: payments, statements, the loan book (loans.repayment_urls).
from .repayment_urls import urlpatterns as repayment_urlpatterns  # noqa: E402

urlpatterns += repayment_urlpatterns
