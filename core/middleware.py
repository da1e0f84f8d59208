from django.conf import settings
from django.http import HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.template.loader import render_to_string
from django.utils import translation

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
