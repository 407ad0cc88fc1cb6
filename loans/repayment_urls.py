"""The repayment's URLs (included in ``loans.urls``; the prefixes keep clear
of the loan page's ``<pk>/<action>/``)."""

from django.urls import path

from . import repayment_views as views

urlpatterns = [
    path("tilbagebetaling/<int:pk>/", views.loan_repayment, name="repayment"),
    path("tilbagebetaling/<int:pk>/indbetaling/", views.payment_register, name="payment_register"),
    path(
        "tilbagebetaling/<int:pk>/indbetaling/<int:payment_pk>/tilbagefoer/",
        views.payment_reverse,
        name="payment_reverse",
    ),
    path(
        "tilbagebetaling/<int:pk>/overskydende/",
        views.refund_register,
        name="refund_register",
    ),
    path(
        "tilbagebetaling/<int:pk>/overskydende/<int:refund_pk>/tilbagefoer/",
        views.refund_reverse,
        name="refund_reverse",
    ),
    path("tilbagebetaling/<int:pk>/omlaeg/", views.loan_reschedule, name="reschedule"),
    path("tilbagebetaling/indstillinger/", views.repayment_settings, name="repayment_settings"),
    path("indbetalinger/", views.payments_inbox, name="payments_inbox"),
    path("indbetalinger/kontoudtog/", views.statement_upload, name="statement_upload"),
    path("indbetalinger/linje/<int:pk>/", views.statement_line, name="statement_line"),
    path("indbetalinger/linje/<int:pk>/match/", views.line_assign, name="line_assign"),
    path("indbetalinger/linje/<int:pk>/afvis/", views.line_dismiss, name="line_dismiss"),
    path("portefoelje/", views.loan_book, name="loan_book"),
    path("portefoelje.csv", views.loan_book_csv, name="loan_book_csv"),
    path("mit-laan/kontoudtog/<int:pk>.pdf", views.portal_statement, name="portal_statement"),
]
