from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from agencies.regions import UnknownDistrict, regions_load


class Command(BaseCommand):
    help = "Load provinsi and kabupaten/kota of Indonesia, and the kecamatan and desa of one district."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--district", default=settings.DISTRICT_CODE,
                            help="Kemendagri kabupaten/kota code (default: DISTRICT_CODE, e.g. 73.22)")

    def handle(self, *args, district: str, **options) -> None:
        try:
            result = regions_load(district_code=district)
        except UnknownDistrict as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Wilayah {district}: {result.kecamatan} kecamatan, {result.villages} desa/kelurahan "
            f"({result.created} baru, {result.updated} diperbarui)."
        )
