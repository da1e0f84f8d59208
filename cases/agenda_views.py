"""Pages of the agenda: the worker's "Agenda" (their cases' dated tasks and plan targets) and, on a case, adding
an item and marking one done. Cases are reached through cases.views' one scoped helper (404 outside the team)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import agenda
from cases.agenda_forms import AgendaFilterForm, AgendaItemForm
from cases.services import CaseError
from cases.views import Action, _action, _case_kwargs, _case_url, _get_case_for_user
from core.idempotency import idempotent_post
from core.policy import Capability, can, requires

PAGE_SIZE = 50


@requires(Capability.CASE_WORK)
def agenda_page(request: HttpRequest) -> HttpResponse:
    """The user's agenda: open entries of the cases they see, by due date, the overdue ones marked in words."""
    form = AgendaFilterForm(request.GET or None, user=request.user)
    today = timezone.localdate()
    result = agenda.agenda_for(user=request.user, period=form.period_value(), worker_id=form.worker_id(),
                               today=today)
    page = Paginator(result.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/agenda/page.html", {
        "form": form, "page": page, "agenda": result, "today": today,
        "unit": can(request.user, Capability.CASE_VIEW_UNIT)})


def _do_agenda_add(request, case, data) -> str:
    agenda.agenda_item_add(case=case, actor=request.user, kind=data["kind"], due_on=data["due_on"],
                           due_time=data["due_time"], assignee=data["assignee"], note=data["note"], request=request)
    return _("Agenda ditambahkan.")


ADD = Action(gettext_lazy("Tambah agenda kasus"), AgendaItemForm, _do_agenda_add, page="agenda", anchor="agenda",
             form_kwargs=_case_kwargs,
             intro=gettext_lazy("Kunjungan pemantauan, pemeriksaan kesepakatan mediasi, sidang, atau tugas lain "
                                "bertanggal. Target layanan diambil dari rencana intervensi. Petugas menerima "
                                "pengingat sehari kerja sebelumnya dan bila terlambat."))


@requires(Capability.CASE_WORK)
@idempotent_post
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an item to the case's agenda (the case team only)."""
    return _action(request, pk, ADD)


@requires(Capability.CASE_WORK)
def agenda_done(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Mark one of the case's agenda items done (a POST from the case page)."""
    case = _get_case_for_user(request, pk, page="agenda")
    item = get_object_or_404(case.agenda_items.select_related("case"), pk=item_pk)
    if request.method != "POST":  # after the scope checks: outsiders get 404 whatever the method
        return HttpResponseNotAllowed(["POST"])
    try:
        agenda.agenda_item_done(item=item, actor=request.user, request=request)
    except CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Agenda ditandai selesai."))
    return redirect(_case_url(case, "agenda"))
