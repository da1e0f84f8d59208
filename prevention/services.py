"""Writes to prevention records. Every service is atomic, checks who acts and what the rules say with a
message in Indonesian (PreventionError), and writes its audit event in the same transaction."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from agencies.models import Region, User
from core import bounds, codes
from core.audit import audit_record
from core.files import FileWriteError, written_or_removed
from core.versioning import version_claim
from inbox import services as inbox_services
from prevention.models import (
    VILLAGE_LEVELS,
    ActivityKind,
    PatbmActivist,
    PatbmActivity,
    PatbmActivityPhoto,
    PatbmGroup,
    PreventionActivity,
    PreventionActivityTopic,
    PuspagaSession,
)
from prevention.selectors import can_record_activities, is_patbm_staff, is_puspaga_staff


class PreventionError(Exception):
    """A rule refused the action; the message is for the person at the form. `field` names the form field."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Participants:
    male_child: int = 0
    female_child: int = 0
    male_adult: int = 0
    female_adult: int = 0

    @property
    def total(self) -> int:
        return self.male_child + self.female_child + self.male_adult + self.female_adult

    def as_fields(self) -> dict[str, int]:
        return {"participants_male_child": self.male_child, "participants_female_child": self.female_child,
                "participants_male_adult": self.male_adult, "participants_female_adult": self.female_adult}


PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000  # refuses decompression bombs long before Pillow's own limit
# Pillow's own guard, for any image decoded elsewhere in the process: past twice this it refuses to decode.
Image.MAX_IMAGE_PIXELS = PHOTO_MAX_PIXELS
PHOTO_MAX_SIDE = 2000  # enough to see an activity on a tablet; keeps the private media root small
PHOTOS_PER_ACTIVITY = 6
PHOTO_FORMATS = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png")}


def _check_date(day: date, field: str = "held_on") -> None:
    """Activities, sessions and decrees happened already, and not before Simpul's records begin."""
    if message := bounds.RECORD.problem(day):
        raise PreventionError(message, field)


def _check_count(value: int | None, field: str, maximum: int) -> None:
    if message := bounds.count_problem(value, maximum=maximum):
        raise PreventionError(message, field)


def _check_participants(participants: Participants, *, required: bool) -> None:
    for field, value in participants.as_fields().items():
        _check_count(value, field, bounds.MAX_PARTICIPANTS)
    if required and participants.total == 0:
        raise PreventionError(_("Isi jumlah peserta: setidaknya satu peserta."))


def _require_patbm_agency(actor: User, group: PatbmGroup | None = None) -> None:
    if not is_patbm_staff(actor) or (group is not None and group.agency_id != actor.agency_id):
        raise PreventionError(_("Hanya petugas PATBM pengelola kelompok ini yang dapat mencatatnya."))


def _require_puspaga_agency(actor: User, session: PuspagaSession | None = None) -> None:
    if not is_puspaga_staff(actor) or (session is not None and session.agency_id != actor.agency_id):
        raise PreventionError(_("Hanya petugas PUSPAGA yang memegang sesi ini yang dapat mengubahnya."))


# --- PATBM groups and activists ------------------------------------------------------------------------

def _check_group_fields(*, village: Region, sk_number: str, sk_date: date | None) -> None:
    if village.level not in VILLAGE_LEVELS:
        raise PreventionError(_("Pilih sebuah desa atau kelurahan."), "village")
    if bool(sk_number.strip()) != (sk_date is not None):
        raise PreventionError(_("Nomor SK dan tanggal SK diisi bersama, atau keduanya dikosongkan bila SK "
                                "belum terbit."), "sk_date" if sk_number.strip() else "sk_number")
    if sk_date is not None:
        _check_date(sk_date, "sk_date")


@transaction.atomic
def patbm_group_create(*, actor: User, village: Region, sk_number: str = "", sk_date: date | None = None,
                       is_active: bool = True, facilitator: str = "", request=None) -> PatbmGroup:
    """Register the PATBM group of a desa/kelurahan, run by the actor's PATBM agency."""
    _require_patbm_agency(actor)
    _check_group_fields(village=village, sk_number=sk_number, sk_date=sk_date)
    if PatbmGroup.objects.filter(village=village).exists():
        raise PreventionError(_("Desa %(village)s sudah memiliki kelompok PATBM.") % {"village": village.name},
                              "village")
    group = PatbmGroup.objects.create(village=village, agency=actor.agency, sk_number=sk_number.strip(),
                                      sk_date=sk_date, is_active=is_active, facilitator=facilitator.strip(),
                                      created_by=actor)
    audit_record(actor=actor, action="prevention.patbm_group.create", obj=group, request=request)
    return group


@transaction.atomic
def patbm_group_update(*, group: PatbmGroup, actor: User, sk_number: str, sk_date: date | None, is_active: bool,
                       facilitator: str, version: int | None = None, request=None) -> PatbmGroup:
    """Change a group's decree, facilitator or active state (the desa stays: a new desa is a new group)."""
    _require_patbm_agency(actor, group)
    version_claim(group, read_version=version)
    _check_group_fields(village=group.village, sk_number=sk_number, sk_date=sk_date)
    changed = [name for name, value in (("sk_number", sk_number.strip()), ("sk_date", sk_date),
                                        ("is_active", is_active), ("facilitator", facilitator.strip()))
               if getattr(group, name) != value]
    group.sk_number, group.sk_date, group.is_active = sk_number.strip(), sk_date, is_active
    group.facilitator = facilitator.strip()
    group.save()
    audit_record(actor=actor, action="prevention.patbm_group.update", obj=group, request=request,
                 details={"changed": changed})
    return group


@transaction.atomic
def patbm_activist_add(*, group: PatbmGroup, actor: User, name: str, sex: str, age_group: str, role: str,
                       training: str = "", request=None) -> PatbmActivist:
    """Add an aktivis to a PATBM group (name, sex, age group, role and training only)."""
    _require_patbm_agency(actor, group)
    if not name.strip():
        raise PreventionError(_("Tuliskan nama aktivis."), "name")
    activist = PatbmActivist.objects.create(group=group, name=name.strip(), sex=sex, age_group=age_group,
                                            role=role, training=training.strip())
    # The activist's name stays out of the audit trail; the label is the group and the row id.
    audit_record(actor=actor, action="prevention.patbm_activist.add", obj=activist, request=request)
    return activist


@transaction.atomic
def patbm_activist_update(*, activist: PatbmActivist, actor: User, name: str, sex: str, age_group: str, role: str,
                          training: str, is_active: bool, version: int | None = None, request=None) -> PatbmActivist:
    """Correct an aktivis's details or mark them as no longer active."""
    _require_patbm_agency(actor, activist.group)
    version_claim(activist, read_version=version)
    if not name.strip():
        raise PreventionError(_("Tuliskan nama aktivis."), "name")
    changed = [key for key, value in (("name", name.strip()), ("sex", sex), ("age_group", age_group),
                                      ("role", role), ("training", training.strip()), ("is_active", is_active))
               if getattr(activist, key) != value]
    activist.name, activist.sex, activist.age_group, activist.role = name.strip(), sex, age_group, role
    activist.training, activist.is_active = training.strip(), is_active
    activist.save()
    audit_record(actor=actor, action="prevention.patbm_activist.update", obj=activist, request=request,
                 details={"changed": changed})
    return activist


# --- PATBM activities and their photos -----------------------------------------------------------------

def _prepared_photo(upload: UploadedFile, position: int) -> tuple[ContentFile, str, int, int]:
    """Check an upload is a JPG/PNG photo of sensible size; re-encode it without its metadata.

    Re-encoding drops EXIF, which often carries the GPS position of the place and the phone's owner.
    """
    size_mb = upload.size / (1024 * 1024)
    if upload.size > PHOTO_MAX_BYTES:
        raise PreventionError(
            _("Foto ke-%(n)s terlalu besar (%(size).1f MB). Ukuran foto paling besar 5 MB.")
            % {"n": position, "size": size_mb}, "photos")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in PHOTO_FORMATS:
                raise UnidentifiedImageError
            if width * height > PHOTO_MAX_PIXELS:
                raise PreventionError(_("Foto ke-%(n)s terlalu besar ukurannya (lebih dari 40 megapiksel).")
                                      % {"n": position}, "photos")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            # A JPEG is decoded at a reduced scale (1/2 to 1/8) close to the size kept: a 36-megapixel photo then
            # takes a few MB instead of over 100 MB while decoded (the memory ceiling in the README).
            image.draft("RGB", (PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            # Shrunk before it is turned upright (a square bound, so the order does not matter): the turn copies
            # the small picture, not the large one.
            image.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
            image = ImageOps.exif_transpose(image)
            buffer = io.BytesIO()
            if image_format == "JPEG":
                image.convert("RGB").save(buffer, format="JPEG", quality=85, optimize=True)
            else:
                image.save(buffer, format="PNG", optimize=True)
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PreventionError(_("Foto ke-%(n)s bukan foto JPG atau PNG yang dapat dibuka. Unggah foto berformat "
                                "JPG atau PNG.") % {"n": position}, "photos") from None
    content_type, extension = PHOTO_FORMATS[image_format]
    return ContentFile(buffer.getvalue(), name=f"foto.{extension}"), content_type, width, height


def _add_photos(activity: PatbmActivity, actor: User, photos: Iterable[UploadedFile]) -> list[PatbmActivityPhoto]:
    photos = list(photos)
    if activity.photos.count() + len(photos) > PHOTOS_PER_ACTIVITY:
        raise PreventionError(_("Paling banyak %(max)s foto untuk satu kegiatan.") % {"max": PHOTOS_PER_ACTIVITY},
                              "photos")
    # Every photo is checked before any is written, so a bad one leaves no file behind.
    prepared = [_prepared_photo(upload, position) for position, upload in enumerate(photos, start=1)]
    saved = []
    try:
        with written_or_removed():  # photo 3 failing on a full disk also removes photos 1 and 2
            for content, content_type, width, height in prepared:
                photo = PatbmActivityPhoto(activity=activity, content_type=content_type, size=content.size,
                                           width=width, height=height, uploaded_by=actor)
                photo.image.save(content.name, content, save=False)
                photo.save()
                saved.append(photo)
    except FileWriteError as error:
        raise PreventionError(str(error), "photos") from error
    return saved


@transaction.atomic
def patbm_activity_record(*, group: PatbmGroup, actor: User, held_on: date, level: str, topic: str,
                          participants: Participants, notes: str = "", photos: Iterable[UploadedFile] = (),
                          request=None) -> PatbmActivity:
    """Record a PATBM activity (anak, keluarga or komunitas level) with its participants and photos."""
    _require_patbm_agency(actor, group)
    _check_date(held_on)
    if not topic.strip():
        raise PreventionError(_("Tuliskan topik kegiatan."), "topic")
    _check_participants(participants, required=True)
    activity = PatbmActivity.objects.create(group=group, held_on=held_on, level=level, topic=topic.strip(),
                                            notes=notes.strip(), recorded_by=actor, **participants.as_fields())
    saved = _add_photos(activity, actor, photos)
    audit_record(actor=actor, action="prevention.patbm_activity.record", obj=activity, request=request,
                 object_label=f"PATBM {group.village_id}/K{activity.pk}", details={"photos": len(saved)})
    return activity


@transaction.atomic
def patbm_activity_update(*, activity: PatbmActivity, actor: User, held_on: date, level: str, topic: str,
                          participants: Participants, notes: str = "", version: int | None = None,
                          request=None) -> PatbmActivity:
    """Correct a PATBM activity's date, level, topic, participants or notes."""
    _require_patbm_agency(actor, activity.group)
    version_claim(activity, read_version=version)
    _check_date(held_on)
    if not topic.strip():
        raise PreventionError(_("Tuliskan topik kegiatan."), "topic")
    _check_participants(participants, required=True)
    activity.held_on, activity.level, activity.topic, activity.notes = held_on, level, topic.strip(), notes.strip()
    for name, value in participants.as_fields().items():
        setattr(activity, name, value)
    activity.save()
    audit_record(actor=actor, action="prevention.patbm_activity.update", obj=activity, request=request,
                 object_label=f"PATBM {activity.group.village_id}/K{activity.pk}")
    return activity


@transaction.atomic
def patbm_photos_add(*, activity: PatbmActivity, actor: User, photos: Iterable[UploadedFile],
                     request=None) -> list[PatbmActivityPhoto]:
    """Add documentation photos to a PATBM activity."""
    _require_patbm_agency(actor, activity.group)
    photos = list(photos)
    if not photos:
        raise PreventionError(_("Pilih foto yang akan diunggah."), "photos")
    saved = _add_photos(activity, actor, photos)
    audit_record(actor=actor, action="prevention.patbm_photo.add", obj=activity, request=request,
                 object_label=f"PATBM {activity.group.village_id}/K{activity.pk}", details={"photos": len(saved)})
    return saved


# --- PUSPAGA -------------------------------------------------------------------------------------------

def _check_counsellor(actor: User, counsellor: User) -> None:
    if counsellor.agency_id != actor.agency_id or not counsellor.is_active:
        raise PreventionError(_("Konselor harus petugas aktif PUSPAGA ini."), "counsellor")


@transaction.atomic
def puspaga_session_record(*, actor: User, held_on: date, service: str, channel: str, issue: str,
                           counsellor: User, notes: str = "", request=None) -> PuspagaSession:
    """Record a PUSPAGA counselling or information session of the actor's PUSPAGA."""
    _require_puspaga_agency(actor)
    _check_date(held_on)
    _check_counsellor(actor, counsellor)
    session = PuspagaSession.objects.create(agency=actor.agency, held_on=held_on, service=service, channel=channel,
                                            issue=issue, counsellor=counsellor, notes=notes.strip(),
                                            recorded_by=actor)
    audit_record(actor=actor, action="prevention.puspaga_session.record", obj=session, request=request,
                 details={"issue": issue, "service": service})
    return session


@transaction.atomic
def puspaga_session_update(*, session: PuspagaSession, actor: User, held_on: date, service: str, channel: str,
                           issue: str, counsellor: User, notes: str, version: int | None = None,
                           request=None) -> PuspagaSession:
    """Correct a session's details or notes (only its own PUSPAGA's staff)."""
    _require_puspaga_agency(actor, session)
    version_claim(session, read_version=version)
    _check_date(held_on)
    _check_counsellor(actor, counsellor)
    session.held_on, session.service, session.channel, session.issue = held_on, service, channel, issue
    session.counsellor, session.notes = counsellor, notes.strip()
    session.save()
    audit_record(actor=actor, action="prevention.puspaga_session.update", obj=session, request=request)
    return session


@transaction.atomic
def puspaga_session_refer(*, session: PuspagaSession, actor: User, summary: str, urgency: str,
                          contact_hint: str = "", request=None) -> PuspagaSession:
    """Refer the family of a session to the UPTD PPA: an intake request with a summary written for it
    (the inbox tells the UPTD PPA's intake staff).

    The session's notes are never copied: PUSPAGA's file stays with PUSPAGA (domain.md section 4).
    """
    _require_puspaga_agency(actor, session)
    if session.referred_to_uptd:
        raise PreventionError(_("Sesi ini sudah dirujuk ke UPTD PPA."))
    if not summary.strip():
        raise PreventionError(_("Tuliskan ringkasan singkat alasan rujukan untuk UPTD PPA."), "summary")
    if urgency not in codes.Urgency.values:
        raise PreventionError(_("Pilih tingkat urgensi."), "urgency")
    try:
        intake = inbox_services.intake_request_create(
            actor=actor, source_agency=session.agency, summary=summary.strip(), urgency=urgency,
            contact_hint=contact_hint.strip(), source_label=_("PUSPAGA: %(agency)s") % {"agency": session.agency.name},
            request=request)
    except inbox_services.InboxError as error:
        raise PreventionError(str(error)) from error
    session.referred_to_uptd, session.referred_at, session.referred_by = True, timezone.now(), actor
    session.intake_request = intake
    session.save(update_fields=["referred_to_uptd", "referred_at", "referred_by", "intake_request", "updated_at"])
    audit_record(actor=actor, action="prevention.puspaga_session.refer", obj=session, request=request,
                 details={"intake": intake.pk, "urgency": urgency})
    return session


# --- Prevention activities -----------------------------------------------------------------------------

def _check_activity_fields(*, kind: str, topics: list[str], kecamatan: Region | None, village: Region | None,
                           participants: Participants, platform: str, reach: int | None, held_on: date,
                           title: str, engagement: int | None = None) -> None:
    if not title.strip():
        raise PreventionError(_("Tuliskan nama kegiatan."), "title")
    _check_date(held_on)
    if not topics:
        raise PreventionError(_("Pilih setidaknya satu topik."), "topics")
    if village is not None:
        if village.level not in VILLAGE_LEVELS:
            raise PreventionError(_("Pilih sebuah desa atau kelurahan."), "area")
        if kecamatan is not None and village.parent_id != kecamatan.code:
            raise PreventionError(_("Desa yang dipilih tidak berada di kecamatan itu."), "area")
    _check_count(reach, "reach", bounds.MAX_REACH)
    _check_count(engagement, "engagement", bounds.MAX_REACH)
    if kind == ActivityKind.SOCIAL_MEDIA:
        if not platform:
            raise PreventionError(_("Kampanye media sosial: pilih platformnya."), "platform")
        if reach is None:
            raise PreventionError(_("Kampanye media sosial: isi jangkauannya (jumlah akun yang melihat)."), "reach")
    _check_participants(participants, required=kind != ActivityKind.SOCIAL_MEDIA)


def _activity_values(*, kind, title, held_on, kecamatan, village, target_group, participants, platform, reach,
                     engagement, budget_line, notes) -> dict:
    is_campaign = kind == ActivityKind.SOCIAL_MEDIA
    return dict(kind=kind, title=title.strip(), held_on=held_on,
                kecamatan=village.parent if village is not None else kecamatan, village=village,
                target_group=target_group, platform=platform if is_campaign else "",
                reach=reach if is_campaign else None, engagement=engagement if is_campaign else None,
                budget_line=budget_line.strip(), notes=notes.strip(), **participants.as_fields())


@transaction.atomic
def prevention_activity_record(*, actor: User, kind: str, title: str, held_on: date, topics: list[str],
                               target_group: str, participants: Participants, kecamatan: Region | None = None,
                               village: Region | None = None, platform: str = "", reach: int | None = None,
                               engagement: int | None = None, budget_line: str = "", notes: str = "",
                               request=None) -> PreventionActivity:
    """Record a prevention activity organised by the actor's agency, for a desa, a kecamatan or the district."""
    if not can_record_activities(actor):
        raise PreventionError(_("Peran Anda tidak mencatat kegiatan pencegahan."))
    _check_activity_fields(kind=kind, topics=topics, kecamatan=kecamatan, village=village, participants=participants,
                           platform=platform, reach=reach, held_on=held_on, title=title, engagement=engagement)
    activity = PreventionActivity.objects.create(
        agency=actor.agency, recorded_by=actor,
        **_activity_values(kind=kind, title=title, held_on=held_on, kecamatan=kecamatan, village=village,
                           target_group=target_group, participants=participants, platform=platform, reach=reach,
                           engagement=engagement, budget_line=budget_line, notes=notes))
    PreventionActivityTopic.objects.bulk_create(
        [PreventionActivityTopic(activity=activity, topic=topic) for topic in sorted(set(topics))])
    audit_record(actor=actor, action="prevention.activity.record", obj=activity, request=request,
                 details={"kind": kind, "topics": sorted(set(topics))})
    return activity


@transaction.atomic
def prevention_activity_update(*, activity: PreventionActivity, actor: User, kind: str, title: str, held_on: date,
                               topics: list[str], target_group: str, participants: Participants,
                               kecamatan: Region | None = None, village: Region | None = None, platform: str = "",
                               reach: int | None = None, engagement: int | None = None, budget_line: str = "",
                               notes: str = "", version: int | None = None, request=None) -> PreventionActivity:
    """Correct a prevention activity of the actor's own agency (`version`: what the form was read at)."""
    if not can_record_activities(actor) or activity.agency_id != actor.agency_id:
        raise PreventionError(_("Hanya lembaga penyelenggara yang dapat mengubah kegiatan ini."))
    version_claim(activity, read_version=version)
    _check_activity_fields(kind=kind, topics=topics, kecamatan=kecamatan, village=village, participants=participants,
                           platform=platform, reach=reach, held_on=held_on, title=title, engagement=engagement)
    values = _activity_values(kind=kind, title=title, held_on=held_on, kecamatan=kecamatan, village=village,
                              target_group=target_group, participants=participants, platform=platform, reach=reach,
                              engagement=engagement, budget_line=budget_line, notes=notes)
    for name, value in values.items():
        setattr(activity, name, value)
    activity.save()
    wanted = set(topics)
    activity.topics.exclude(topic__in=wanted).delete()
    have = set(activity.topics.values_list("topic", flat=True))
    PreventionActivityTopic.objects.bulk_create(
        [PreventionActivityTopic(activity=activity, topic=topic) for topic in sorted(wanted - have)])
    audit_record(actor=actor, action="prevention.activity.update", obj=activity, request=request,
                 details={"kind": kind, "topics": sorted(wanted)})
    return activity

