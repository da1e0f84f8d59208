from django.contrib import admin
from django.urls import include, path

from core.views import healthz

urlpatterns = [
    path("", include("core.urls")),
    # login, logout, password_change, password_reset and their confirmations, with our templates
    path("akun/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("lembaga/", include("agencies.urls")),
    path("kasus/", include("cases.urls")),
    path("rujukan/", include("referrals.urls")),
    path("pencegahan/", include("prevention.urls")),
    path("laporan/", include("reports.urls")),
    path("healthz", healthz, name="healthz"),
    path("django-admin/", admin.site.urls),
]
