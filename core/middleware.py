import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.bounds import has_control_characters
from core.policy import needs_second_factor


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


# Paths a signed-in person reaches before their second factor: signing in and out, the second step itself,
# the language switch and the health check (static files never reach the middleware: WhiteNoise serves them).
SECOND_FACTOR_EXEMPT = ("/akun/login/", "/akun/logout/", "/akun/dua-langkah/", "/i18n/", "/healthz")
IDLE_SEEN_KEY = "simpul_idle_seen"
# The last request's time is written to the session at most this often: not a database write on every request.
IDLE_RESOLUTION_SECONDS = 60


class IdleTimeoutMiddleware:
    """End a signed-in session after SESSION_IDLE_MINUTES without a request (issue 12): a tablet left open in a
    shared office must not keep a survivor's file open. The person lands on the login page with a message and
    comes back to the page they asked for."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get(IDLE_SEEN_KEY)
            if seen is not None and now - seen > settings.SESSION_IDLE_MINUTES * 60:
                audit_record(actor=user, action="auth.idle_timeout", request=request)
                logout(request)
                messages.info(request, _("Sesi Anda berakhir karena tidak ada kegiatan selama %(minutes)s menit. "
                                         "Silakan masuk lagi.") % {"minutes": settings.SESSION_IDLE_MINUTES})
                return redirect_to_login(request.get_full_path())
            if seen is None or now - seen >= IDLE_RESOLUTION_SECONDS:
                request.session[IDLE_SEEN_KEY] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """A person whose role needs a second factor (core.policy.needs_second_factor) reaches no page until this
    session is verified with a code: to the code page if they have a phone enrolled, to enrolment if not."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not request.path_info.startswith(SECOND_FACTOR_EXEMPT)
                and not user.is_verified() and needs_second_factor(user)):
            from core.signin import has_confirmed_device

            step = "signin:verify" if has_confirmed_device(user) else "signin:enrol"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
