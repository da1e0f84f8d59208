from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("<int:pk>/", views.agency_detail, name="detail"),
    path("kelola/", views.manage_list, name="manage_list"),
    path("kelola/baru/", views.agency_create, name="create"),
    path("kelola/<int:pk>/", views.agency_edit, name="edit"),
    path("pengguna/", views.user_list, name="user_list"),
    path("pengguna/baru/", views.user_create, name="user_create"),
    path("pengguna/<int:pk>/", views.user_edit, name="user_edit"),
    path("pengguna/<int:pk>/tautan-sandi/", views.user_password_link, name="user_password_link"),
    path("pengguna/<int:pk>/buka-kunci/", views.user_unlock, name="user_unlock"),
    path("pengguna/<int:pk>/ganti-ponsel/", views.user_device_reset, name="user_device_reset"),
    path("akses/ponsel/", views.device_reset_list, name="device_reset_list"),
    path("akses/ponsel/<int:pk>/", views.device_reset_decide, name="device_reset_decide"),
    path("akses/", views.role_change_list, name="role_change_list"),
    path("akses/<int:pk>/", views.role_change_detail, name="role_change"),
]
