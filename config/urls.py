from django.contrib import admin
from django.urls import include, path

from cases.agenda_views import agenda_page
from core.views import AuditedPasswordChangeView, AuditedPasswordResetConfirmView, healthz

urlpatterns = [
    path("", include("core.urls")),
    # Password changes are audited; the rest of Django's account views (login, logout, reset) as they are.
    path("akun/password_change/", AuditedPasswordChangeView.as_view(), name="password_change"),
    path("akun/reset/<uidb64>/<token>/", AuditedPasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("akun/dua-langkah/", include("core.signin_urls")),  # the second factor (before any other page)
    path("akun/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lembaga/", include("agencies.urls")),
    path("kasus/", include("cases.urls")),
    path("agenda/", agenda_page, name="agenda"),  # the worker's agenda across their cases (cases.agenda)
    path("rujukan/", include("referrals.urls")),
    path("pemberitahuan/", include("inbox.urls")),
    path("pencegahan/", include("prevention.urls")),
    path("laporan/", include("reports.urls")),
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
]
