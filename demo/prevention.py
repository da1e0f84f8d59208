"""Synthetic prevention records for the demo: PATBM groups in a dozen villages across five kecamatan,
their activists and activities, PUSPAGA sessions and prevention activities. Every name is invented.

Written through the real services; running it again adds nothing (groups are keyed by desa, sessions
by their PUSPAGA, activities by their title).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from agencies import services as agency_services
from agencies.models import Agency, Region, Role, User
from core.codes import AgeGroup, AgencyType, Sex, Urgency
from demo.foundation import DEMO_PASSWORD
from prevention import services
from prevention.models import (
    ActivistRole,
    ActivityKind,
    ActivityLevel,
    PatbmGroup,
    Platform,
    PreventionActivity,
    PuspagaChannel,
    PuspagaIssue,
    PuspagaService,
    PuspagaSession,
    TargetGroup,
    Topic,
)
from prevention.services import Participants

# (agency key in demo.foundation, or a new demo agency name) -> villages it runs, by Kemendagri code
PATBM_VILLAGES = {
    "patbm": ["73.22.03.1001", "73.22.03.1003", "73.22.03.2004", "73.22.03.2005", "73.22.03.1006"],
    "PATBM Kecamatan Sabbang (demo)": ["73.22.04.2002", "73.22.04.2004", "73.22.15.2003"],
    "PATBM Kecamatan Bone-Bone (demo)": ["73.22.02.1001", "73.22.02.2007", "73.22.12.2001", "73.22.12.2005"],
}
EXTRA_PATBM_USERS = {"PATBM Kecamatan Sabbang (demo)": ("patbm_sabbang", "Andi", "Contoh", ("73.22.04", "73.22.15")),
                     "PATBM Kecamatan Bone-Bone (demo)": ("patbm_bonebone", "Wahyuni", "Demo",
                                                          ("73.22.02", "73.22.12"))}
INACTIVE_VILLAGES = {"73.22.03.1006", "73.22.12.2005"}
FIRST_NAMES = {Sex.MALE: ["Andi", "Muh.", "Rahmat", "Ilham", "Syamsul", "Arifin", "Baso", "Yusran"],
               Sex.FEMALE: ["Sitti", "Nurhayati", "Hasnah", "Fitri", "Rosmini", "Jumriah", "Marlina", "Darmawati"]}
LAST_NAMES = ["Demo", "Contoh", "Sintetis", "Fiktif"]
PATBM_TOPICS = {
    ActivityLevel.CHILD: ["Forum Anak: hak anak dan cara melapor", "Lomba kreasi anak anti perundungan",
                          "Kelas aman bermain internet"],
    ActivityLevel.FAMILY: ["Kelas pengasuhan positif", "Pencegahan perkawinan anak bagi orang tua",
                           "Disiplin tanpa kekerasan"],
    ActivityLevel.COMMUNITY: ["Pertemuan warga: jalur rujukan kekerasan", "Sosialisasi PATBM di masjid",
                              "Pemetaan risiko anak di dusun"],
}


def _day_in_year(rng: random.Random, today: date) -> date:
    """A date in the last ~300 days, so this year's coverage shows the demo records."""
    return today - timedelta(days=rng.randint(1, min(300, max(1, (today - date(today.year, 1, 1)).days + 60))))


def _patbm_agencies(agencies: dict[str, Agency], district: Region | None) -> dict[str, tuple[Agency, User]]:
    result = {}
    demo_agency = agencies["patbm"]
    result["patbm"] = (demo_agency, User.objects.get(username="patbm"))
    for name, (username, first, last, kecamatan) in EXTRA_PATBM_USERS.items():
        agency = Agency.objects.filter(name=name).first() or agency_services.agency_create(
            actor=None, name=name, agency_type=AgencyType.PATBM, district=district, phone="0473-0000-199",
            kecamatan=Region.objects.filter(code__in=kecamatan))
        user = User.objects.filter(username=username).first()
        if user is None:
            user = agency_services.user_create(actor=None, username=username, password=DEMO_PASSWORD,
                                               role=Role.PARTNER, agency=agency, first_name=first, last_name=last,
                                               email=f"{username}@contoh.simpul.test")
        result[name] = (agency, user)
    return result


def _seed_group(rng: random.Random, actor: User, village: Region, today: date) -> None:
    active = village.code not in INACTIVE_VILLAGES
    with_sk = rng.random() < 0.75
    sk_date = date(today.year - rng.randint(1, 3), rng.randint(1, 12), rng.randint(1, 28))
    group = services.patbm_group_create(
        actor=actor, village=village, is_active=active,
        sk_number=f"188.4/{rng.randint(10, 99)}/DESA-{village.code[-4:]}/{sk_date.year}" if with_sk else "",
        sk_date=sk_date if with_sk else None, facilitator=f"{rng.choice(FIRST_NAMES[Sex.FEMALE])} Fasilitator Demo")
    roles = [ActivistRole.CHAIR, ActivistRole.SECRETARY] + [ActivistRole.MEMBER] * rng.randint(2, 5)
    for role in roles:
        sex = rng.choice(Sex.values)
        services.patbm_activist_add(
            group=group, actor=actor, name=f"{rng.choice(FIRST_NAMES[sex])} {rng.choice(LAST_NAMES)}", sex=sex,
            role=role,
            age_group=rng.choice([AgeGroup.A18_24, AgeGroup.A25_44, AgeGroup.A25_44, AgeGroup.A45_59]),
            training=rng.choice(["", "Pelatihan Aktivis PATBM (demo)", "Bimtek Konvensi Hak Anak (demo)"]))
    for _ in range(rng.randint(1, 6) if active else rng.randint(0, 1)):
        level = rng.choice(ActivityLevel.values)
        services.patbm_activity_record(
            group=group, actor=actor, held_on=_day_in_year(rng, today), level=level,
            topic=rng.choice(PATBM_TOPICS[level]),
            participants=Participants(male_child=rng.randint(0, 20), female_child=rng.randint(0, 20),
                                      male_adult=rng.randint(1, 15), female_adult=rng.randint(1, 20)),
            notes="Kegiatan demo (data sintetis).")


def _seed_sessions(rng: random.Random, agency: Agency, today: date) -> None:
    if PuspagaSession.objects.filter(agency=agency).exists():
        return
    staff = list(User.objects.filter(agency=agency, role=Role.PARTNER, is_active=True))
    if not staff:
        return
    actor = staff[0]
    sessions = []
    for _ in range(18):
        sessions.append(services.puspaga_session_record(
            actor=actor, held_on=_day_in_year(rng, today), service=rng.choice(PuspagaService.values),
            channel=rng.choice(PuspagaChannel.values), issue=rng.choice(PuspagaIssue.values),
            counsellor=rng.choice(staff),
            notes="Catatan demo (sintetis): keluarga berkonsultasi tentang pengasuhan; rencana sesi lanjutan."))
    # One family turned out to need protection: it is referred to the UPTD PPA's intake queue.
    try:
        services.puspaga_session_refer(
            session=sessions[0], actor=actor, urgency=Urgency.SOON, contact_hint="Melalui konselor PUSPAGA (demo)",
            summary="Keluarga demo: ibu menyampaikan kekhawatiran akan keselamatan anaknya. Mohon dihubungi.")
    except services.PreventionError:
        pass  # no UPTD PPA with caseworkers in this demo: the sessions stand on their own


def _seed_activities(rng: random.Random, actors: list[User], today: date) -> None:
    kecamatan = {r.code: r for r in Region.objects.filter(code__in=["73.22.03", "73.22.07", "73.22.09", "73.22.06"])}
    villages = {r.code: r for r in Region.objects.filter(
        code__in=["73.22.03.2004", "73.22.06.2001", "73.22.01.2001", "73.22.10.2001", "73.22.07.2001"])}
    plan = [
        (ActivityKind.SOCIAL_MEDIA, "Kampanye #StopKekerasanAnak (demo)", [Topic.TPKS, Topic.KBGO], None, None,
         TargetGroup.PUBLIC, Platform.INSTAGRAM),
        (ActivityKind.SOCIAL_MEDIA, "Video pendek cegah perkawinan anak (demo)", [Topic.CHILD_MARRIAGE], None, None,
         TargetGroup.ADOLESCENTS, Platform.TIKTOK),
        (ActivityKind.COORDINATION, "Rakor lintas sektor penanganan kekerasan (demo)", [Topic.KDRT, Topic.TPKS,
                                                                                       Topic.TPPO], None, None,
         TargetGroup.CROSS_SECTOR, ""),
        (ActivityKind.TRAINING, "Pelatihan aktivis PATBM angkatan demo", [Topic.TPKS, Topic.BULLYING], "73.22.03",
         None, TargetGroup.LEADERS, ""),
        (ActivityKind.SOCIALISATION, "Sosialisasi UU TPKS di sekolah (demo)", [Topic.TPKS], "73.22.03",
         "73.22.03.2004", TargetGroup.ADOLESCENTS, ""),
        (ActivityKind.SOCIALISATION, "Sosialisasi pencegahan TPPO calon pekerja migran (demo)", [Topic.TPPO],
         "73.22.06", "73.22.06.2001", TargetGroup.PUBLIC, ""),
        (ActivityKind.SOCIALISATION, "Sosialisasi anti perundungan (demo)", [Topic.BULLYING], "73.22.10",
         "73.22.10.2001", TargetGroup.ADOLESCENTS, ""),
        (ActivityKind.SOCIALISATION, "Sosialisasi KDRT bagi tokoh agama (demo)", [Topic.KDRT], "73.22.01",
         "73.22.01.2001", TargetGroup.LEADERS, ""),
        (ActivityKind.SOCIALISATION, "Sosialisasi perlindungan anak di dataran tinggi (demo)",
         [Topic.KDRT, Topic.CHILD_MARRIAGE], "73.22.07", None, TargetGroup.PARENTS, ""),
        (ActivityKind.SOCIALISATION, "Kelas orang tua cegah KBGO (demo)", [Topic.KBGO], "73.22.09", None,
         TargetGroup.PARENTS, ""),
    ]
    for index, (kind, title, topics, kecamatan_code, village_code, target, platform) in enumerate(plan):
        if PreventionActivity.objects.filter(title=title).exists():
            continue
        village = villages.get(village_code) if village_code else None
        area_kecamatan = (village.parent if village else kecamatan.get(kecamatan_code)) if kecamatan_code else None
        if kecamatan_code and area_kecamatan is None:
            continue  # the district's regions are not loaded
        is_campaign = kind == ActivityKind.SOCIAL_MEDIA
        services.prevention_activity_record(
            actor=actors[index % len(actors)], kind=kind, title=title, held_on=_day_in_year(rng, today), topics=topics,
            target_group=target, kecamatan=area_kecamatan, village=village, platform=platform,
            reach=rng.randint(800, 12000) if is_campaign else None,
            engagement=rng.randint(50, 900) if is_campaign else None,
            participants=Participants() if is_campaign else Participants(
                male_child=rng.randint(0, 40), female_child=rng.randint(0, 40), male_adult=rng.randint(3, 30),
                female_adult=rng.randint(3, 40)),
            budget_line=rng.choice(["APBD DP3AP2KB (demo)", "Dana Desa (demo)", ""]),
            notes="Kegiatan demo (data sintetis).")


def seed_prevention(*, agencies: dict[str, Agency]) -> None:
    """Add the demo prevention records; needs the district's regions and seed_foundation's agencies and users."""
    if not Region.objects.filter(code="73.22.03").exists():
        return  # regions not loaded (load_regions runs first in `make run`)
    rng = random.Random(2026)  # noqa: S311 (invented demo data, not a secret)
    today = timezone.localdate()
    district = Region.objects.filter(code="73.22").first()
    patbm = _patbm_agencies(agencies, district)
    villages = {r.code: r for r in Region.objects.filter(code__in=[c for codes in PATBM_VILLAGES.values()
                                                                   for c in codes])}
    existing = set(PatbmGroup.objects.values_list("village_id", flat=True))
    for key, codes in PATBM_VILLAGES.items():
        _agency, actor = patbm[key]
        for code in codes:
            if code in villages and code not in existing:
                _seed_group(rng, actor, villages[code], today)
    _seed_sessions(rng, agencies["puspaga"], today)
    supervisor = User.objects.filter(username="koordinator").first()
    actors = [user for user in (supervisor, patbm["patbm"][1], User.objects.filter(username="puspaga").first())
              if user is not None]
    _seed_activities(rng, actors, today)
