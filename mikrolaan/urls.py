from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from . import views

admin.site.site_header = "Mikrolån"
admin.site.site_title = "Mikrolån"

handler400 = "mikrolaan.views.bad_request"
handler403 = "mikrolaan.views.permission_denied"
handler404 = "mikrolaan.views.page_not_found"
handler500 = "mikrolaan.views.server_error"

auth_patterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password-change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password-change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("konto/", include(auth_patterns)),
    # The citizen's sign-in by e-mailed link and the portal's forms.
    path("", include("applicants.portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("indstillinger/", views.municipality_settings, name="municipality_settings"),
    path("forloeb/", include("applicants.urls")),
    path("screeninger/", include("screening.urls")),
    path("kurser/", include("courses.urls")),
    path("laan/", include("loans.urls")),
    path("rapporter/", include("applicants.reports.urls")),
    path("breve/", include("mikrolaan.letters.urls")),
    path("databeskyttelse/", include("mikrolaan.privacy.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
