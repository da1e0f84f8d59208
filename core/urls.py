from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_list, name="audit_list"),
    path("kalender-kerja/", views.workday_calendar, name="workday_calendar"),
    path("kalender-kerja/<int:pk>/hapus/", views.workday_override_remove, name="workday_override_remove"),
]
