"""Pages of the pelimpahan (cases.transfers): send a case to another unit, the receiving unit's list and answer,
and the sending agency's read-only view of what it recorded. Every record is fetched through a scoped selector
that answers 404 outside it."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cases import selectors, transfers
from cases.forms import ReasonForm
from cases.services import CaseError
from cases.transfer_forms import TransferAcceptForm, TransferSendForm
from cases.views import _case_url, _get_case_for_user
from core.access import get_in_scope_or_404
from core.audit import audit_record
from core.idempotency import AlreadySubmitted, idempotent_post, repeated, submission_claim
from core.policy import Capability, can, requires


class TransferDeclineForm(ReasonForm):
    submit_label = _("Tolak pelimpahan")


@requires(Capability.CASE_TRANSFER)
@idempotent_post
def transfer_send(request: HttpRequest, pk: int) -> HttpResponse:
    """The sending supervisor picks the receiving unit; the page shows the summary that will be sent."""
    case = _get_case_for_user(request, pk, page="pelimpahan")
    try:
        preview = transfers.transfer_plan(actor=request.user, case=case, receiving_agency=None, preview=True)
    except CaseError as error:
        messages.error(request, str(error))
        return redirect(_case_url(case, "pelimpahan"))
    form = TransferSendForm(request.POST if request.method == "POST" else None, case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submission_claim(form=form, user=request.user) as claim:
                transfer = transfers.transfer_request(
                    actor=request.user, case=case, receiving_agency=data["receiving_agency"], reason=data["reason"],
                    legal_basis=data["legal_basis"], legal_basis_reason=data["legal_basis_reason"], request=request)
                claim.done(_case_url(case, "pelimpahan"))
        except AlreadySubmitted as repeat:
            return repeated(request, repeat)
        except CaseError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Pelimpahan %(label)s dikirim ke %(agency)s.")
                             % {"label": transfer.audit_label, "agency": transfer.receiving_agency.name})
            return redirect(claim.url)
    return render(request, "cases/transfer/send.html", {
        "case": case, "form": form, "summary": transfers.summary_rows(preview.summary)})


@requires(Capability.CASE_TRANSFER)
def transfer_inbox(request: HttpRequest) -> HttpResponse:
    """"Pelimpahan masuk": the cases other units hand to the user's agency; only codes and agency names."""
    rows = list(transfers.transfers_incoming(user=request.user)[:100])
    sent = list(transfers.transfers_outgoing(user=request.user)[:50])
    return render(request, "cases/transfer/inbox.html", {"rows": rows, "sent": sent})


@requires(Capability.CASE_WORK)
@idempotent_post
def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One transfer: its summary and, for the receiving supervisor while it waits, accept or decline."""
    transfer = get_in_scope_or_404(transfers.transfers_visible_to(user=request.user), pk=pk)
    answering = (transfer.status == transfer.Status.PENDING and can(request.user, Capability.CASE_TRANSFER)
                 and request.user.agency_id == transfer.receiving_agency_id)
    accept_form = TransferAcceptForm(transfer=transfer, prefix="terima") if answering else None
    decline_form = TransferDeclineForm(prefix="tolak") if answering else None
    if request.method == "POST" and answering:
        accepting = "terima-submission_key" in request.POST
        form = (TransferAcceptForm(request.POST, transfer=transfer, prefix="terima") if accepting
                else TransferDeclineForm(request.POST, prefix="tolak"))
        if accepting:
            accept_form = form
        else:
            decline_form = form
        if form.is_valid():
            try:
                with submission_claim(form=form, user=request.user) as claim:
                    if accepting:
                        case = transfers.transfer_accept(transfer=transfer, actor=request.user,
                                                         worker=form.cleaned_data["worker"], request=request)
                        claim.done(_case_url(case))
                    else:
                        transfers.transfer_decline(transfer=transfer, actor=request.user,
                                                   reason=form.cleaned_data["reason"], request=request)
                        claim.done(reverse("cases:transfer_inbox"))
            except AlreadySubmitted as repeat:
                return repeated(request, repeat)
            except CaseError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Pelimpahan diterima; kasus kini ditangani lembaga Anda.") if accepting
                                 else _("Pelimpahan ditolak; lembaga pengirim melihat alasannya."))
                return redirect(claim.url)
    elif request.method == "GET":
        audit_record(actor=request.user, action="case.transfer_read", obj=transfer.case, request=request,
                     details={"transfer": transfer.pk})
    accepted = transfer.status == transfer.Status.ACCEPTED
    return render(request, "cases/transfer/detail.html", {
        "transfer": transfer, "summary": transfers.summary_rows(transfer.summary), "accept_form": accept_form,
        "decline_form": decline_form,
        # Where the user reads the case now: the file in hand (receiver) or what the agency recorded (sender).
        "case_link": (reverse("cases:detail", args=[transfer.case_id]) if accepted
                      and request.user.agency_id == transfer.receiving_agency_id else
                      reverse("cases:handed_on", args=[transfer.case_id]) if accepted
                      and request.user.agency_id == transfer.sending_agency_id else "")})


@requires(Capability.CASE_WORK)
def handed_on(request: HttpRequest, pk: int) -> HttpResponse:
    """The sending agency's read-only view: what it recorded on the case until the transfer was accepted."""
    case = get_in_scope_or_404(selectors.cases_handed_on_by(user=request.user), pk=pk)
    if request.method == "GET":
        audit_record(actor=request.user, action="case.read", obj=case, request=request,
                     details={"page": "dilimpahkan"})
    return render(request, "cases/transfer/handed_on.html",
                  {"file": transfers.handed_on_file(case=case, user=request.user)})
