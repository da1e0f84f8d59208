"""The printed documents of a case (cases.documents), served as PDF: through the case scope (404 outside it),
audited per print with the document's kind, named by case number only. Cache-Control: no-store comes from
core.middleware for everything a signed-in person is sent."""

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed

from cases import documents, selectors
from core.access import get_in_scope_or_404
from core.audit import audit_record
from core.policy import Capability, requires


@requires(Capability.CASE_WORK)
def document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """One document of the "Cetak" menu; a kind the case does not have (no mediation held) is 404 too."""
    case = get_in_scope_or_404(selectors.case_for_page(selectors.cases_visible_to(user=request.user)), pk=pk)
    if request.method != "GET":  # after the scope check: outsiders get 404 whatever the method
        return HttpResponseNotAllowed(["GET"])
    chosen = documents.BY_KIND.get(kind)
    if chosen is None or not chosen.exists(case):
        raise Http404
    pdf = documents.render(case=case, document=chosen, user=request.user)
    # The label is the case number (Case.audit_label); the details name the document, never its content.
    audit_record(actor=request.user, action="case.print", obj=case, request=request, details={"document": kind})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{documents.file_name(case, chosen)}"'
    return response
