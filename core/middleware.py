from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from core.bounds import has_control_characters


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Indonesian unless the user chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a caseworker whose
    tablet is set to English would get English pages without asking; here only the language
    cookie, set by the switch, changes the language.
    """

    def process_request(self, request) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RequestTooLargeMiddleware:
    """Answer 413 before reading a request body larger than SIMPUL_MAX_REQUEST_MB (its Content-Length).

    Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but not files, which it spools to disk: without this
    a web process would read and store whatever a client sends. The largest form is a PATBM activity with six
    photos of 5 MB. Placed before anything reads the body (nginx's client_max_body_size is the outer bound).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.SIMPUL_MAX_REQUEST_MB * 1024 * 1024:
            response = HttpResponse(render_to_string("413.html", {"limit": settings.SIMPUL_MAX_REQUEST_MB}),
                                    status=413)
            response["Connection"] = "close"  # the unread body is not worth reading
            return response
        return self.get_response(request)


class RefuseControlCharactersMiddleware:
    """Answer 400 when the address, a parameter name or a submitted value carries a control character.

    One place for every page and form: NUL would fail in PostgreSQL (a server error) or land in the audit
    log, and no person types control characters. Values keep tab, line feed and carriage return, which
    text areas send; addresses and parameter names keep none.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if self._hostile(request):
            return HttpResponseBadRequest(render_to_string("400.html"))
        return self.get_response(request)

    @staticmethod
    def _hostile(request) -> bool:
        if has_control_characters(request.path_info, allow_line_breaks=False):
            return True
        parameters = [request.GET]
        if request.method == "POST":
            parameters.append(request.POST)
        for query in parameters:
            for key, values in query.lists():
                if has_control_characters(key, allow_line_breaks=False):
                    return True
                if any(has_control_characters(value) for value in values):
                    return True
        if request.method == "POST":
            return any(has_control_characters(upload.name or "", allow_line_breaks=False)
                       for uploads in request.FILES.lists() for upload in uploads[1])
        return False


class SecurityHeadersMiddleware:
    """The security headers Django does not set itself.

    - Permissions-Policy: no page of Simpul uses the camera, microphone, location or sensors, so no page
      (nor anything injected into one) may ask for them. Photos are chosen with a file input, which needs none.
    - Cache-Control: no-store on everything sent to a signed-in person (pages, htmx partials, PDFs, photos,
      attachments, exports): a shared tablet's browser cache or a proxy must keep no copy of a survivor's file.
      Static files never reach this middleware (WhiteNoise answers them first) and stay cacheable.
    - An inline PDF (the referral letter) is exempt from the CSP: Chromium shows it in a viewer that the
      page's `object-src 'none'` would block, and a PDF runs none of our scripts or styles.
    """

    PERMISSIONS_POLICY = ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                          "microphone=(), payment=(), usb=()")

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        if response.get("Content-Type", "").startswith("application/pdf"):
            response._csp_exempt = True
        return response
