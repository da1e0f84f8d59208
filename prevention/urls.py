from django.urls import path

from prevention import views

app_name = "prevention"

urlpatterns = [
    path("", views.index, name="index"),
    path("cakupan/", views.coverage, name="coverage"),
    path("patbm/", views.group_list, name="group_list"),
    path("patbm/baru/", views.group_create, name="group_create"),
    path("patbm/<int:pk>/", views.group_detail, name="group_detail"),
    path("patbm/<int:pk>/ubah/", views.group_edit, name="group_edit"),
    path("patbm/<int:pk>/aktivis/baru/", views.activist_create, name="activist_create"),
    path("patbm/aktivis/<int:pk>/ubah/", views.activist_edit, name="activist_edit"),
    path("patbm/<int:pk>/kegiatan/baru/", views.patbm_activity_create, name="patbm_activity_create"),
    path("patbm/kegiatan/<int:pk>/", views.patbm_activity_detail, name="patbm_activity_detail"),
    path("patbm/kegiatan/<int:pk>/ubah/", views.patbm_activity_edit, name="patbm_activity_edit"),
    path("patbm/kegiatan/<int:pk>/foto/", views.patbm_photo_upload, name="patbm_photo_upload"),
    path("patbm/foto/<int:pk>/", views.patbm_photo, name="patbm_photo"),
    path("puspaga/", views.session_list, name="session_list"),
    path("puspaga/baru/", views.session_create, name="session_create"),
    path("puspaga/<int:pk>/", views.session_detail, name="session_detail"),
    path("puspaga/<int:pk>/ubah/", views.session_edit, name="session_edit"),
    path("puspaga/<int:pk>/rujuk/", views.session_refer, name="session_refer"),
    path("kegiatan/", views.activity_list, name="activity_list"),
    path("kegiatan/baru/", views.activity_create, name="activity_create"),
    path("kegiatan/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("kegiatan/<int:pk>/ubah/", views.activity_edit, name="activity_edit"),
]
