"""The notifications page: a person's own notices (404 for anyone else's), opened and marked read."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.access import get_in_scope_or_404
from core.policy import Capability, requires
from inbox import selectors, services

PAGE_SIZE = 25


@requires(Capability.NOTIFICATION_VIEW)  # PATBM and PUSPAGA staff get none (core.policy)
def notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notifications_for(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "inbox/notifications.html", {"page": page})


@require_POST
@requires(Capability.NOTIFICATION_VIEW)
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_in_scope_or_404(selectors.notifications_for(user=request.user), pk=pk)
    return redirect(services.notification_open(notification=notification, actor=request.user))


@require_POST
@requires(Capability.NOTIFICATION_VIEW)
def notifications_read(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(actor=request.user)
    return redirect("inbox:notifications")
