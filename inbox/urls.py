from django.urls import path

from inbox import views

app_name = "inbox"

urlpatterns = [
    path("", views.notifications, name="notifications"),
    path("<int:pk>/buka/", views.notification_open, name="notification_open"),
    path("dibaca/", views.notifications_read, name="notifications_read"),
]
