"""Chinese first: the page language is the one chosen with the language switch, else Chinese.

Django's LocaleMiddleware would follow the browser's Accept-Language, so a bureau PC with an
English browser would open in English. The product is Chinese first (journeys 1 and 4): only an
explicit choice, stored in the language cookie by the switch, changes the language.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        try:
            language = translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
