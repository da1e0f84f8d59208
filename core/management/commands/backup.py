from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create, backups_prune
from core.backup import generate_key as new_key


class Command(BaseCommand):
    help = ("Write an encrypted archive of the database and every private file (attachments, photos, report "
            "PDFs) into SIMPUL_BACKUP_DIR, then keep only the SIMPUL_BACKUP_KEEP newest. Prints the archive's path.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output-dir", type=Path, help=f"where to write (default {settings.BACKUP_DIR})")
        parser.add_argument("--keep", type=int, help=f"archives to keep, 0 for all (default {settings.BACKUP_KEEP})")
        parser.add_argument("--generate-key", action="store_true",
                            help="print a new random key for SIMPUL_BACKUP_KEY and do nothing else")

    def handle(self, *args, output_dir: Path | None, keep: int | None, generate_key: bool, **options) -> None:
        if generate_key:
            self.stdout.write(new_key())
            return
        try:
            archive = backup_create(directory=output_dir)
        except BackupError as error:
            raise CommandError(str(error)) from error
        for removed in backups_prune(directory=output_dir, keep=keep):
            self.stderr.write(f"removed old backup {removed.name}")
        self.stdout.write(str(archive))
