import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core import services, workdays
from core.access import get_in_scope_or_404
from core.audit import audit_record
from core.forms import AuditFilterForm, CalendarOverrideForm
from core.idempotency import AlreadySubmitted, idempotent_post, repeated, submission_claim
from core.models import CalendarOverride
from core.policy import Capability, Scope, audit_scope, home_for, requires
from core.selectors import audit_events_filter, audit_events_visible_to, audit_reasons_visible_to, calendar_year

logger = logging.getLogger(__name__)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own home page (the policy's default for a role it gives none)."""
    page = home_for(request.user)
    return render(request, page.template, {"home": page, "intro": page.intro_for(request.user)})


@requires(Capability.AUDIT_VIEW)
def audit_list(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    events = audit_events_visible_to(user=request.user)
    show_reasons = audit_reasons_visible_to(user=request.user)
    if not show_reasons:
        events = events.defer("reason")
    if form.is_valid():
        data = form.cleaned_data
        events = audit_events_filter(events, action=data["action"], actor=data["actor"],
                                     object_label=data["object_label"], date_from=data["date_from"],
                                     date_to=data["date_to"])
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_list.html", {"form": form, "page": page, "show_reasons": show_reasons,
                                                    "sees_all": audit_scope(request.user) == Scope.ALL})


# The years the calendar page offers: the library starts in 1946; far-future years have nothing to correct.
CALENDAR_YEARS = range(2000, 2101)


def _calendar_url(year: int) -> str:
    return f"{reverse('core:workday_calendar')}?tahun={year}"


@requires(Capability.CALENDAR_MANAGE)
@idempotent_post
def workday_calendar(request: HttpRequest) -> HttpResponse:
    """The system administrator's page of the working-day calendar: a year's holidays and corrections."""
    year = request.GET.get("tahun", "")
    year = int(year) if len(year) == 4 and year.isdigit() and int(year) in CALENDAR_YEARS else timezone.localdate().year
    form = CalendarOverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submission_claim(form=form, user=request.user) as claim:
                services.calendar_override_add(actor=request.user, day=data["day"], kind=data["kind"],
                                               reason=data["reason"], request=request)
                claim.done(_calendar_url(data["day"].year))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except services.CalendarError as error:
            form.add_error("day", str(error))
        else:
            messages.success(request, _("Koreksi kalender kerja tersimpan; tenggat yang terbuka dihitung ulang."))
            return redirect(claim.url)
    return render(request, "core/workday_calendar.html", {
        "form": form, "year": year, "days": calendar_year(year),
        "previous_year": year - 1 if year - 1 in CALENDAR_YEARS else None,
        "next_year": year + 1 if year + 1 in CALENDAR_YEARS else None,
        "knows_cuti_bersama": workdays.library_knows_cuti_bersama(year)})


@requires(Capability.CALENDAR_MANAGE)
@require_POST
def workday_override_remove(request: HttpRequest, pk: int) -> HttpResponse:
    override = get_in_scope_or_404(CalendarOverride.objects.all(), pk=pk)
    services.calendar_override_remove(override=override, actor=request.user, request=request)
    messages.success(request, _("Koreksi dihapus; tanggal itu kembali mengikuti daftar hari libur."))
    return redirect(_calendar_url(override.day.year))


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:  # any failure means "down"; the reason goes to the log, not to the caller
        logger.exception("healthz: database check failed")
        return False


def _broker_ok() -> bool:
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        return bool(client.ping())
    except Exception:
        logger.warning("healthz: broker check failed", exc_info=True)
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Machine-readable health for the district's monitoring: 200 when healthy, 503 when not."""
    checks = {"database": "ok" if _database_ok() else "down"}
    if settings.REDIS_URL:
        checks["broker"] = "ok" if _broker_ok() else "down"
    else:
        checks["broker"] = "not_configured"
    healthy = all(value != "down" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "down", **checks}, status=200 if healthy else 503)


class AuditedPasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, with the change written to the audit log."""

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=self.request.user, action="auth.password_change", request=self.request)
        return response


class AuditedPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's password reset by emailed link, with the reset written to the audit log."""

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=form.user, action="auth.password_reset", request=self.request)
        return response
