from django.core.management.base import BaseCommand, CommandError

from agencies.models import Agency, Role, User
from agencies.services import password_link_email_send, user_create


class Command(BaseCommand):
    help = ("Create a staff account from the server's command line and e-mail its holder a link to set their "
            "password. This is how a new install gets its first supervisor and administrator: in the web pages "
            "a role that opens survivors' data waits for an existing supervisor's approval.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--agency", required=True, help="the agency's exact name")
        parser.add_argument("--email", required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, username: str, role: str, agency: str, email: str, first_name: str, last_name: str,
               **options) -> None:
        found = Agency.objects.filter(name=agency).first()
        if found is None:
            raise CommandError(f"Lembaga {agency!r} tidak ada.")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Nama pengguna {username!r} sudah dipakai.")
        user = user_create(actor=None, username=username, role=role, agency=found, email=email,
                           first_name=first_name, last_name=last_name)
        sent = password_link_email_send(user_id=user.pk, new_account=True)
        self.stdout.write(f"Akun {username} dibuat"
                          + ("; tautan untuk membuat kata sandi dikirim ke emailnya." if sent else "."))
