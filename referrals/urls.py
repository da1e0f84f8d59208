from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("masuk/", views.inbox, name="inbox"),
    path("terkirim/", views.sent_list, name="sent_list"),
    path("kirim/<int:case_pk>/", views.send, name="send"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/surat.pdf", views.letter, name="letter"),
    path("ke-uptd/", views.refer_in, name="refer_in"),
]
