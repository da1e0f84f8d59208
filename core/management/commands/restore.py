from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Restore an archive made by `manage.py backup` onto the configured database and private file folder, "
            "both of which must be empty (a new database, an empty SIMPUL_VAR_DIR/private). Needs the "
            "SIMPUL_BACKUP_KEY it was made with. Row counts and file checksums are checked against the archive.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive: Path, **options) -> None:
        if not archive.is_file():
            raise CommandError(f"{archive} does not exist.")
        try:
            result = backup_restore(archive=archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(result["tables"].values())
        self.stdout.write(f"restored the backup of {result['created_at']}: {len(result['tables'])} tables, "
                          f"{rows} rows, {len(result['files'])} files, all matching the archive")
