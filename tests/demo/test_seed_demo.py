import socketserver
import threading

import pytest
from celery import current_app
from django.core.management import CommandError, call_command

from agencies.models import Agency, Role, User
from agencies.regions import regions_load
from core.audit import SYSTEM_ACTOR
from core.models import AuditEvent
from inbox.models import Notification


def test_seed_demo_creates_one_user_per_role_and_is_idempotent(db, settings):
    settings.DEBUG = True
    regions_load(district_code="73.22")
    call_command("seed_demo")
    counts = (Agency.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Agency.objects.count(), User.objects.count()) == counts
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert Agency.objects.filter(name="Unit PPA Polres Luwu Utara", services__service="penegakan_hukum").exists()
    # Seeding and the referral deadline job it runs act as the system, under its one name in the audit log.
    unattended = AuditEvent.objects.filter(actor__isnull=True)
    assert unattended.filter(action="referral.overdue").exists()
    assert set(unattended.values_list("actor_label", flat=True)) == {SYSTEM_ACTOR}


def test_seed_demo_is_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG mati"):
        call_command("seed_demo")
    assert not User.objects.exists()


class _SmtpServer(socketserver.ThreadingTCPServer):
    """Just enough of an SMTP server on a free local port to accept mail and keep what it was sent."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.received: list[str] = []
        super().__init__(("127.0.0.1", 0), _SmtpSession)


class _SmtpSession(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        self.wfile.write(b"220 test ESMTP\r\n")
        while line := self.rfile.readline():
            command = line.strip().upper()
            if command == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                body = b"".join(iter(lambda: self.rfile.readline(), b".\r\n"))
                self.server.received.append(body.decode(errors="replace"))
                self.wfile.write(b"250 queued\r\n")
            elif command == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server():
    server = _SmtpServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def tasks_go_to_a_worker():
    """As on a server with REDIS_URL: tasks are queued for a worker (which would use the real mail server)."""
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    yield
    current_app.conf.task_always_eager = eager


@pytest.mark.django_db(transaction=True)  # the e-mails are queued on commit: the command must really commit
def test_seed_demo_sends_no_email_with_a_real_mail_server_configured(settings, smtp_server, tasks_go_to_a_worker):
    from django.core.mail import send_mail

    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", smtp_server.server_address[1], 5
    send_mail("Simpul: uji", "Server uji menerima email.", "simpul@localhost", ["uji@contoh.simpul.test"])
    assert len(smtp_server.received) == 1  # the server takes mail: anything the seeding sent would be here
    regions_load(district_code="73.22")
    call_command("seed_demo")
    assert smtp_server.received[1:] == []
    # The demo users were notified in the app, and no e-mail waits in the queue for a worker to send later.
    notified = Notification.objects.filter(recipient__email__gt="")
    assert notified.exists() and not notified.filter(emailed_at__isnull=True).exists()
