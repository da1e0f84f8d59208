"""Pages of the referral network. Every referral is fetched through `_get_referral` (404 outside the user's
scope); every page that shows referral data is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cases.selectors import cases_visible_to
from core.access import get_in_scope_or_404
from core.audit import audit_record
from core.idempotency import AlreadySubmitted, idempotent_post, repeated, submission_claim
from core.policy import Capability, requires
from inbox import selectors as inbox_selectors
from referrals import selectors, services
from referrals.forms import (
    AgencyFilterForm,
    InboxFilterForm,
    MessageForm,
    OutcomeForm,
    ReasonForm,
    ReferralInForm,
    ReferralSendForm,
    ServiceRecordForm,
)
from referrals.letter import render_referral_letter
from referrals.models import Referral
from referrals.services import ReferralError
from referrals.sharing import SHARED_LABELS, receiving_agencies, shared_rows, shared_rows_for

PAGE_SIZE = 25
TAB_LABELS = [(status, status.label) for status in selectors.STATUS_TABS] + [(selectors.OVERDUE_TAB,
                                                                              _lazy("Terlambat"))]


def _get_referral(request: HttpRequest, pk: int) -> Referral:
    return get_in_scope_or_404(selectors.referrals_visible_to(user=request.user), pk=pk)


def _page(request: HttpRequest, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Lists ----------------------------------------------------------------------------------------

@requires(Capability.REFERRAL_INBOX)
def inbox(request: HttpRequest) -> HttpResponse:
    """The receiving agency's referrals, by tab: new, accepted, in progress, done, declined, overdue."""
    tab = request.GET.get("tab", Referral.Status.NEW)
    tab = tab if tab in selectors.INBOX_TABS or tab == "semua" else Referral.Status.NEW
    form = InboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    referrals = selectors.referral_inbox(user=request.user, tab=tab, urgency=filters.get("urgency", ""),
                                         service=filters.get("service", ""), number=filters.get("number", ""))
    counts = selectors.inbox_counts(user=request.user)
    tabs = [(key, label, counts[key]) for key, label in TAB_LABELS] + [("semua", _("Semua"), None)]
    audit_record(actor=request.user, action="referral.inbox", request=request, details={"tab": tab})
    return render(request, "referrals/inbox.html", {
        "form": form, "tab": tab, "tabs": tabs, "page": _page(request, referrals),
        "can_refer_in": services.can_refer_in(request.user)})


@requires(Capability.REFERRAL_SEND)
def sent_list(request: HttpRequest) -> HttpResponse:
    """The referrals of the cases the user handles, with their answers."""
    status = request.GET.get("status", "")
    overdue = request.GET.get("terlambat") == "1"
    referrals = selectors.referrals_sent(user=request.user, status=status, overdue=overdue)
    audit_record(actor=request.user, action="referral.sent_list", request=request, details={"status": status})
    return render(request, "referrals/sent_list.html", {
        "page": _page(request, referrals), "status": status, "overdue": overdue, "statuses": Referral.Status.choices})


# --- Sending ----------------------------------------------------------------------------------------

@requires(Capability.REFERRAL_SEND)
@idempotent_post
def send(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Refer a victim of a case: choose the agency from the directory, check the consent, preview, send."""
    case = get_in_scope_or_404(cases_visible_to(user=request.user), pk=case_pk)
    incident = getattr(case, "incident", None)
    initial_filter = {"kecamatan": incident.kecamatan_id if incident and incident.kecamatan_id else ""}
    filter_form = AgencyFilterForm(request.GET or None, initial=initial_filter)
    filters = filter_form.cleaned_data if filter_form.is_valid() else initial_filter
    agencies = receiving_agencies(sender_agency=case.agency, service=filters.get("service", ""),
                                  kecamatan=filters.get("kecamatan", ""))
    initial = {"services": [filters["service"]] if filters.get("service") else []}
    form = ReferralSendForm(request.POST or None, initial=initial, case=case, agencies=agencies, user=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        arguments = dict(actor=request.user, case=case, victim=data["victim"],
                         receiving_agency=data["receiving_agency"], services=data["services"],
                         urgency=data["urgency"], reason=data["reason"], share_identity=data["share_identity"],
                         legal_basis=data.get("legal_basis", ""), legal_basis_reason=data.get("legal_basis_reason", ""))
        try:
            if request.POST.get("action") == "send":  # the previews before it keep the same one-time key
                with submission_claim(form=form, user=request.user) as claim:
                    referral = services.referral_send(request=request, **arguments)
                    claim.done(reverse("referrals:detail", args=[referral.pk]))
                messages.success(request, _("Rujukan %(number)s terkirim ke %(agency)s.")
                                 % {"number": referral.number, "agency": referral.receiving_agency.name})
                return redirect(claim.url)
            plan = services.referral_plan(**arguments)
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except ReferralError as error:
            form.add_error(None, str(error))
        else:
            preview = {"rows": shared_rows(plan.shared), "plan": plan, "agency": data["receiving_agency"],
                       "services": data["services"], "reason": data["reason"].strip(),
                       "identity": "victim_name" in plan.shared}
    audit_record(actor=request.user, action="referral.send_form", obj=case, request=request,
                 details={"preview": preview is not None})
    return render(request, "referrals/send.html", {
        "case": case, "filter_form": filter_form, "form": form, "preview": preview,
        "agency_count": len(form.fields["receiving_agency"].queryset)})


# --- One referral -----------------------------------------------------------------------------------

def _action_forms(referral: Referral, side: str, data=None, action: str = "") -> dict:
    """The forms the page offers for this side and state; the one posted is bound to `data`."""
    def bound(name):
        return data if action == name else None

    forms = {}
    if side == "receiver" and referral.status == Referral.Status.NEW:
        forms["decline"] = ReasonForm(bound("decline"), label=_("Alasan penolakan"), submit=_("Tolak rujukan"),
                                      prefix="decline")
    if side == "receiver" and referral.status == Referral.Status.ACCEPTED:
        forms["decline"] = ReasonForm(bound("decline"), label=_("Alasan penolakan"), submit=_("Tolak rujukan"),
                                      prefix="decline")
    if side == "receiver" and referral.status in (Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS):
        forms["service"] = ServiceRecordForm(bound("service"), prefix="service",
                                             services=[s.service for s in referral.requested_services.all()])
        forms["complete"] = OutcomeForm(bound("complete"), prefix="complete")
    if side == "sender" and referral.is_active:
        forms["revoke"] = ReasonForm(bound("revoke"), label=_("Alasan pencabutan"), submit=_("Cabut rujukan"),
                                     prefix="revoke")
        if referral.escalated_at is None:
            forms["escalate"] = ReasonForm(bound("escalate"), label=_("Alasan eskalasi"),
                                           submit=_("Eskalasi ke koordinator"), prefix="escalate")
    if referral.is_active:
        forms["message"] = MessageForm(bound("message"), prefix="message")
    return forms


def _perform(request: HttpRequest, referral: Referral, action: str, form) -> None:
    data = form.cleaned_data if form is not None else {}
    arguments = {"referral": referral, "actor": request.user, "request": request}
    if action == "accept":
        services.referral_accept(**arguments)
        messages.success(request, _("Rujukan diterima. Catat layanan yang diberikan dan selesaikan bila tuntas."))
    elif action == "decline":
        services.referral_decline(reason=data["reason"], **arguments)
        messages.success(request, _("Rujukan ditolak; pengirim diberi tahu."))
    elif action == "service":
        services.referral_record_service(service=data["service"], delivered_on=data["delivered_on"],
                                         notes=data["notes"], **arguments)
        messages.success(request, _("Layanan dicatat."))
    elif action == "complete":
        services.referral_complete(outcome=data["outcome"], **arguments)
        messages.success(request, _("Rujukan selesai. Surat Rujukan tetap dapat diunduh sebagai catatan lembaga Anda."))
    elif action == "revoke":
        services.referral_revoke(reason=data["reason"], **arguments)
        messages.success(request, _("Rujukan dicabut; lembaga penerima tidak lagi dapat membukanya."))
    elif action == "escalate":
        services.referral_escalate(reason=data["reason"], **arguments)
        messages.success(request, _("Rujukan dieskalasi ke koordinator."))
    elif action == "message":
        services.referral_message(text=data["text"], **arguments)
        messages.success(request, _("Pesan terkirim."))


@login_required
@idempotent_post  # a declined or revoked referral may be out of this user's reach by the repeat
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A referral. The sender sees it whole; the receiving agency sees the shared summary only while the
    referral is active, afterwards only its status."""
    referral = _get_referral(request, pk)
    side = "sender" if referral.is_sender else "receiver"
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _action_forms(referral, side, request.POST, action)
    if request.method == "POST":
        form = forms.get(action)
        if action != "accept" and form is None:
            raise Http404  # an action this side may not take in this state
        if form is None or form.is_valid():
            try:
                with submission_claim(form=form, user=request.user) as claim:
                    _perform(request, referral, action, form)
                    claim.done(reverse("referrals:detail", args=[referral.pk]))
            except AlreadySubmitted as repeat:
                return repeated(request, repeat)
            except ReferralError as error:
                if form is None:
                    messages.error(request, str(error))
                    return redirect("referrals:detail", pk=referral.pk)
                form.add_error(None, str(error))
            else:
                # After completion or revocation the receiver's next view shows only the status; after a
                # revocation the referral is gone from the receiving side altogether.
                return redirect("referrals:detail", pk=referral.pk)
    show_details = side == "sender" or referral.is_active
    audit_record(actor=request.user, action="referral.view", obj=referral, request=request,
                 details={"side": side, "details_shown": show_details})
    context = {"referral": referral, "side": side, "show_details": show_details, "forms": forms,
               "is_overdue": referral.is_overdue(),
               "letter_available": referral.letter_available(is_sender=referral.is_sender)}
    if show_details:
        rows = shared_rows_for(referral)
        context.update({
            "rows": rows,
            "identity_shown": any(label == str(SHARED_LABELS["victim_name"]) for label, _value in rows),
            "services": [s.get_service_display() for s in referral.requested_services.all()],
            "deliveries": [link.delivery for link in referral.deliveries.select_related(
                "delivery__provider_agency", "delivery__provider_user").order_by("-delivery__delivered_on", "-id")],
            "thread": referral.messages.select_related("author", "agency"),
        })
    return render(request, "referrals/detail.html", context)


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The Surat Rujukan as a PDF: for the sender always, for the receiving agency while the referral is active
    and after it completed it (its record of what it received); 404 otherwise, like anything out of scope."""
    referral = _get_referral(request, pk)
    if not referral.letter_available(is_sender=referral.is_sender):
        raise Http404
    pdf = render_referral_letter(referral)
    audit_record(actor=request.user, action="referral.letter", obj=referral, request=request)
    filename = "surat-rujukan-" + referral.number.replace("/", "-").replace(".", "") + ".pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- Referrals in ------------------------------------------------------------------------------------

@requires(Capability.REFERRAL_REFER_IN)
@idempotent_post
def refer_in(request: HttpRequest) -> HttpResponse:
    """A village government, PATBM, PUSPAGA or another district's agency refers someone to the UPTD PPA."""
    form = ReferralInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submission_claim(form=form, user=request.user) as claim:
                intake = services.referral_in_send(actor=request.user, request=request, **form.cleaned_data)
                claim.done(reverse("referrals:refer_in"))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Rujukan %(number)s terkirim ke %(agency)s. Petugas UPTD PPA akan "
                                        "menghubungi Anda.") % {"number": intake, "agency": intake.target_agency.name})
            return redirect(reverse("referrals:refer_in"))
    sent = inbox_selectors.intake_requests_sent_by(agency_id=request.user.agency_id)[:20]
    return render(request, "referrals/refer_in.html", {"form": form, "sent": sent})

