"""Prevention test helpers: records are made through the real services, as the pages make them."""

from datetime import date

import pytest

from agencies.models import Region, Role, User
from core.codes import AgencyType
from prevention import services
from prevention.models import ActivityKind, ActivityLevel, PatbmActivity, PatbmGroup, PreventionActivity, TargetGroup
from prevention.services import Participants
from tests.conftest import make_agency, make_user

MASAMBA_VILLAGE = "73.22.03.2004"  # Pincara, Kec. Masamba


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Accounts are set up by the dozen here; hashing strength is not what these tests look at.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Uploads go to a temporary private root, never into the developer's var/."""
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "private")}}}
    settings.MEDIA_ROOT = tmp_path / "private"
    return tmp_path / "private"


@pytest.fixture
def other_patbm_staff(db) -> User:
    """Staff of another PATBM agency: outsiders to the first agency's groups."""
    return make_user("patbm_lain", Role.PARTNER, make_agency("PATBM Lain", AgencyType.PATBM))


@pytest.fixture
def other_puspaga_staff(db) -> User:
    return make_user("puspaga_lain", Role.PARTNER, make_agency("PUSPAGA Lain", AgencyType.PUSPAGA))


def make_group(actor: User, village_code: str = MASAMBA_VILLAGE, **fields) -> PatbmGroup:
    fields.setdefault("sk_number", "188.4/01/2024")
    fields.setdefault("sk_date", date(2024, 3, 1))
    return services.patbm_group_create(actor=actor, village=Region.objects.get(code=village_code), **fields)


def record_patbm_activity(group: PatbmGroup, actor: User, held_on: date, *, adults: int = 5, children: int = 5,
                          topic: str = "Kelas pengasuhan positif", level: str = ActivityLevel.FAMILY,
                          **kwargs) -> PatbmActivity:
    return services.patbm_activity_record(
        group=group, actor=actor, held_on=held_on, level=level, topic=topic,
        participants=Participants(male_child=children, female_adult=adults), **kwargs)


def record_activity(actor: User, held_on: date, *, village_code: str | None = None, kecamatan_code: str | None = None,
                    kind: str = ActivityKind.SOCIALISATION, people: int = 20, topics=("kdrt",),
                    title: str = "Sosialisasi uji", **kwargs) -> PreventionActivity:
    village = Region.objects.get(code=village_code) if village_code else None
    kecamatan = Region.objects.get(code=kecamatan_code) if kecamatan_code else None
    participants = Participants() if kind == ActivityKind.SOCIAL_MEDIA else Participants(female_adult=people)
    return services.prevention_activity_record(
        actor=actor, kind=kind, title=title, held_on=held_on, topics=list(topics), target_group=TargetGroup.PUBLIC,
        participants=participants, village=village, kecamatan=kecamatan, **kwargs)
