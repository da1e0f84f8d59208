from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("definisi/", views.definitions, name="definitions"),
    path("berkas/", views.report_list, name="list"),
    path("berkas/<int:pk>/", views.report_detail, name="detail"),
    path("berkas/<int:pk>/status/", views.report_status, name="status"),
    path("berkas/<int:pk>/unduh/", views.report_download, name="download"),
    path("berkas/<int:pk>/coba-lagi/", views.report_retry, name="retry"),
    path("ekspor/<str:fmt>/", views.export, name="export"),
    path("verifikasi/", views.verify, name="verify"),
]
