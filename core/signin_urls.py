from django.urls import path

from core import signin_views

app_name = "signin"

urlpatterns = [
    path("masuk/", signin_views.verify, name="verify"),
    path("daftar/", signin_views.enrol, name="enrol"),
]
