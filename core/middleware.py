from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
