"""Dashboard, reports (request, progress, download, retry), exports, definitions and verification.

Officials and supervisors only; everyone else gets 404. The internal edition (no suppression) is for
supervisors only: for anyone else it does not exist (404). No page shows personal data: only aggregates.
The verification page is the exception: anyone holding a printed report may check it, without logging in.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.access import get_in_scope_or_404
from core.idempotency import AlreadySubmitted, idempotent_post, repeated, submission_claim
from core.net import rate_limited
from core.policy import Capability, can, requires
from core.suppression import threshold
from reports import charts, exports, services
from reports.figures import changes_note
from reports.forms import PeriodForm, ReportRequestForm, VerifyForm
from reports.models import Report
from reports.periods import Kind, Period
from reports.presentation import Edition, present
from reports.selectors import reports_ready_for, reports_visible_to
from reports.statistics import DEFINITIONS, compute_statistics

EXPORT_FORMATS = ("xlsx", "csv", "gbvims")


def _get_report_for_user(request: HttpRequest, pk: int) -> Report:
    return get_in_scope_or_404(reports_visible_to(user=request.user), pk=pk)


def _chosen_period(request: HttpRequest) -> tuple[PeriodForm, Period, str]:
    """The period and edition from the query string; the current month, published, by default."""
    today = timezone.localdate()
    default = Period.containing(Kind.MONTHLY, today)
    data = None
    if "period" in request.GET:
        data = request.GET.copy()
        data.setdefault("edition", Edition.PUBLISHED)  # officials are not offered a choice
    form = PeriodForm(data, user=request.user,
                      initial={"kind": Kind.MONTHLY, "period": default.code, "edition": Edition.PUBLISHED})
    if data is not None and form.is_valid():
        return form, form.cleaned_data["parsed"], form.cleaned_data["edition"]
    internal_asked = data is not None and data.get("edition") == Edition.INTERNAL
    if internal_asked and not can(request.user, Capability.REPORT_INTERNAL):
        raise Http404  # the internal edition does not exist for anyone but supervisors
    return form, default, Edition.PUBLISHED


@requires(Capability.REPORT_VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Headline figures, monthly trend, bars by type, kecamatan and place, service quality."""
    form, period, edition = _chosen_period(request)
    presentation = present(compute_statistics(period), edition=edition)
    # As images, not inline: matplotlib's SVG styles itself with style attributes, which the CSP refuses in a page.
    images = {key: charts.as_data_uri(svg) for key, svg in presentation.charts.items()}
    return render(request, "reports/dashboard.html", {
        "form": form, "p": presentation, "images": images, "period": period, "edition": edition,
        "query": f"kind={period.kind}&period={period.code}&edition={edition}",
    })


@requires(Capability.REPORT_VIEW)
def definitions(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/definitions.html", {"definitions": DEFINITIONS, "threshold": threshold(),
                                                        "small": f"<{threshold() + 1}"})


@requires(Capability.REPORT_VIEW)
@require_http_methods(["GET", "POST"])
@idempotent_post
def report_list(request: HttpRequest) -> HttpResponse:
    """The reports made so far (newest first), the form to request one, and the reports just made ready."""
    if request.method == "POST":
        form = ReportRequestForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with submission_claim(form=form, user=request.user) as claim:
                    report = services.report_request(actor=request.user, kind=data["kind"],
                                                     period_code=data["period"], edition=data["edition"],
                                                     request=request)
                    claim.done(reverse("reports:detail", args=[report.pk]))
            except AlreadySubmitted as repeat:
                return repeated(request, repeat)
            except services.ReportError as error:
                form.add_error(None, str(error))
            else:
                return redirect(claim.url)
    else:
        previous = Period.last_complete(Kind.MONTHLY, timezone.localdate())
        form = ReportRequestForm(user=request.user, initial={"kind": Kind.MONTHLY, "period": previous.code,
                                                      "edition": Edition.PUBLISHED})
    reports = reports_visible_to(user=request.user).select_related("requested_by")[:50]
    return render(request, "reports/list.html", {
        "form": form, "reports": reports, "ready": reports_ready_for(user=request.user)})


@requires(Capability.REPORT_VIEW)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress page: polls the status partial with htmx until the PDF is ready."""
    report = _get_report_for_user(request, pk)
    return render(request, "reports/detail.html",
                  {"report": report, "changes_note": changes_note(report.figures_changed)})


@requires(Capability.REPORT_VIEW)
def report_status(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report_for_user(request, pk)
    response = render(request, "reports/_status.html", {"report": report})
    if report.is_finished:
        response["HX-Trigger"] = "report-finished"
    return response


@requires(Capability.REPORT_VIEW)
def report_download(request: HttpRequest, pk: int) -> FileResponse:
    report = _get_report_for_user(request, pk)
    if report.status != Report.Status.DONE:
        raise Http404
    services.report_download(report=report, actor=request.user, request=request)
    return FileResponse(report.file.open("rb"), as_attachment=True, filename=report.filename,
                        content_type="application/pdf")


@requires(Capability.REPORT_VIEW)
@require_POST
def report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    report = _get_report_for_user(request, pk)
    try:
        services.report_retry(report=report, actor=request.user, request=request)
    except services.ReportError as error:
        messages.error(request, str(error))
    return redirect("reports:detail", pk=report.pk)


@requires(Capability.REPORT_VIEW)
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The aggregate tables of the chosen period and edition as XLSX, CSV, or the GBVIMS table as CSV."""
    if fmt not in EXPORT_FORMATS:
        raise Http404  # before anything is computed or audited: the format comes from the address
    form, period, edition = _chosen_period(request)
    if form.is_bound and not form.is_valid():
        raise Http404  # a period that cannot be (0000-01, 9999-Q4): no file of another period in its place
    presentation = present(compute_statistics(period), edition=edition, with_charts=False)
    services.statistics_export_audit(actor=request.user, period=period, edition=edition, fmt=fmt, request=request)
    name = f"statistik-{period.kind}-{period.code}-{edition}"
    if fmt == "xlsx":
        content = exports.export_xlsx(presentation)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        content, content_type = exports.export_csv(presentation), "text/csv; charset=utf-8"
    elif fmt == "gbvims":
        content, content_type = exports.export_csv(presentation, keys=["gbvims"]), "text/csv; charset=utf-8"
        name, fmt = f"gbvims-{period.kind}-{period.code}-{edition}", "csv"
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# Verification answers anyone; per address, this many checks a minute are plenty for a person with a report.
VERIFY_PER_MINUTE = 30


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone holding a report types its code, or scans its QR code (a GET with ?code=), and may upload the file,
    to check that Simpul made it and that it is unaltered. The answer names the report (kind, period, edition,
    version, checksum), never its content. Open to the anonymous, so throttled per address."""
    if rate_limited(request, scope="report-verify", limit=VERIFY_PER_MINUTE):
        response = render(request, "reports/verify.html", {"form": VerifyForm(), "limited": True}, status=429)
        response["Retry-After"] = "60"
        return response
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
    else:
        form = VerifyForm(request.GET if "code" in request.GET else None)
    result = None
    if form.is_bound and form.is_valid():
        code = services.normalise_code(form.cleaned_data["code"])
        report = Report.objects.filter(verification_code=code, status=Report.Status.DONE).first()
        matches = None
        if report is not None and form.cleaned_data.get("pdf"):
            digest = hashlib.sha256()
            for chunk in form.cleaned_data["pdf"].chunks():
                digest.update(chunk)
            matches = digest.hexdigest() == report.sha256
        result = {"report": report, "matches": matches, "code": code}
        services.report_verify_audit(actor=request.user, code=code, found=report is not None, matches=matches,
                                     request=request)
    return render(request, "reports/verify.html", {"form": form, "result": result})
