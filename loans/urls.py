from django.urls import path

from . import views

app_name = "loans"

urlpatterns = [
    path("ordning/", views.scheme_edit, name="scheme_edit"),
    path("<int:pk>/", views.loan_detail, name="loan_detail"),
    path("<int:pk>/konto/", views.loan_bank, name="loan_bank"),
    path("<int:pk>/<slug:action>/", views.loan_action, name="loan_action"),
    path("forloeb/<int:pk>/tilskud/", views.support, name="support"),
    path("udbetalinger/", views.payouts, name="payouts"),
    path("udbetalinger/<str:day>.csv", views.payouts_csv, name="payouts_csv"),
    path("mit-laan/", views.portal_loan, name="portal_loan"),
]

# Repayment: payments, statements, the loan book (loans.repayment_urls).
from .repayment_urls import urlpatterns as repayment_urlpatterns  # noqa: E402

urlpatterns += repayment_urlpatterns
