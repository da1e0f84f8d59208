from django.urls import path

from cases import duplicate_views, search_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("baru/", views.case_create, name="create"),
    path("tenggat/", views.deadline_list, name="deadlines"),
    path("wilayah/desa/", views.villages, name="villages"),
    path("duplikat/", views.duplicate_check, name="duplicates"),
    path("cari/", search_views.case_search, name="search"),
    path("duplikat/tanya/", duplicate_views.duplicate_inquiry, name="duplicate_inquiry"),
    path("pengaduan-masuk/", views.intake_queue, name="intake_queue"),
    path("pengaduan-masuk/<int:pk>/", views.intake_detail, name="intake_detail"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/identifikasi/", views.case_identify, name="identify"),
    path("<int:pk>/asesmen/", views.case_assess, name="assess"),
    path("<int:pk>/rencana/", views.case_plan, name="plan"),
    path("<int:pk>/pelaksanaan/", views.case_intervention, name="intervention"),
    path("<int:pk>/layanan/", views.case_deliver, name="deliver"),
    path("<int:pk>/pemantauan/", views.case_monitoring, name="monitoring"),
    path("<int:pk>/terminasi/", views.case_closure_request, name="closure_request"),
    path("<int:pk>/terminasi/keputusan/", views.case_closure_decide, name="closure_decide"),
    path("<int:pk>/buka-kembali/", views.case_reopen, name="reopen"),
    path("<int:pk>/penugasan/", views.case_assign, name="assign"),
    path("<int:pk>/pendampingan/", views.case_accompany, name="accompany"),
    path("<int:pk>/mediasi/", views.case_mediation, name="mediation"),
    path("<int:pk>/persetujuan/", views.case_consent, name="consent"),
    path("<int:pk>/persetujuan/<int:consent_pk>/setujui/", views.consent_approve, name="consent_approve"),
    path("<int:pk>/persetujuan/<int:consent_pk>/cabut/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/kepolisian/", views.case_police, name="police"),
    path("<int:pk>/catatan/", views.case_note, name="note"),
    path("<int:pk>/lampiran/", views.case_attach, name="attach"),
    path("<int:pk>/lampiran/<int:attachment_pk>/", views.attachment_download, name="attachment"),
    path("<int:pk>/penahanan/", views.case_legal_hold, name="legal_hold"),
    path("<int:pk>/subjek-data/", views.case_subject_request, name="subject_request"),
    path("<int:pk>/subjek-data/<int:victim_pk>/cetak/", views.subject_data_print, name="subject_data_print"),
    path("kebocoran-data/", views.breach_list, name="breaches"),
]
