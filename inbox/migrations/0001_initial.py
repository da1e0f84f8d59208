"""The inbox takes over two existing tables, with their rows and ids: intake requests (from cases) and
notifications (from referrals). cases/0004 and referrals/0004 gave the tables the inbox's names; this
migration only declares the models (state), and moves their content types so permissions and admin history
follow. On a new database the same steps run in order, so both paths end with the same schema.

Audit events written before keep their object type `cases.intakerequest`: the trail records what was.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = (("cases", "intakerequest"), ("referrals", "notification"))


def move_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for app_label, model in MOVED:
        if not content_type.objects.filter(app_label="inbox", model=model).exists():
            content_type.objects.filter(app_label=app_label, model=model).update(app_label="inbox")


def move_content_types_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    for app_label, model in MOVED:
        if not content_type.objects.filter(app_label=app_label, model=model).exists():
            content_type.objects.filter(app_label="inbox", model=model).update(app_label=app_label)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("agencies", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("cases", "0004_intakerequest_table_to_inbox"),
        ("referrals", "0004_notification_table_to_inbox"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='IntakeRequest',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='dibuat')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='diubah')),
                        ('source_label', models.CharField(blank=True, max_length=120, verbose_name='rujukan dari')),
                        ('urgency', models.CharField(choices=[('darurat', 'Darurat'), ('segera', 'Segera'), ('biasa', 'Biasa')], default='biasa', max_length=8, verbose_name='urgensi')),
                        ('summary', models.TextField(verbose_name='ringkasan')),
                        ('contact_hint', models.CharField(blank=True, max_length=255, verbose_name='cara menghubungi')),
                        ('status', models.CharField(choices=[('menunggu', 'Menunggu registrasi'), ('terdaftar', 'Terdaftar sebagai kasus'), ('ditolak', 'Ditolak')], default='menunggu', max_length=10, verbose_name='status')),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('decline_reason', models.TextField(blank=True, verbose_name='alasan penolakan')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('source_agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='intake_requests_sent', to='agencies.agency', verbose_name='lembaga pengirim')),
                        ('target_agency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='intake_requests', to='agencies.agency', verbose_name='lembaga tujuan')),
                    ],
                    options={
                        'ordering': ['-created_at'],
                        'indexes': [models.Index(fields=['target_agency', 'status', 'created_at'], name='intake_queue_idx')],
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('baru', 'Rujukan baru'), ('diterima', 'Rujukan diterima'), ('ditolak', 'Rujukan ditolak'), ('layanan', 'Layanan dicatat'), ('selesai', 'Rujukan selesai'), ('dicabut', 'Rujukan dicabut'), ('pesan', 'Pesan baru'), ('terlambat', 'Melewati batas waktu'), ('eskalasi', 'Eskalasi'), ('rujukan_masuk', 'Rujukan masuk ke UPTD PPA'), ('terminasi_disetujui', 'Terminasi disetujui'), ('terminasi_ditolak', 'Terminasi ditolak'), ('laporan', 'Laporan statistik siap')], max_length=32)),
                        ('params', models.JSONField(default=dict)),
                        ('link', models.CharField(blank=True, max_length=255)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('emailed_at', models.DateTimeField(blank=True, null=True)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['recipient', 'read_at'], name='notification_unread_idx'), models.Index(fields=['recipient', '-created_at'], name='notification_list_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
