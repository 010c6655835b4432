"""Language selection.

Simplified Chinese unless the user chose otherwise with the switch (a cookie). Pages ignore the
browser's Accept-Language on purpose: a county office's shared PC set to English must still show
the county's language by default. API clients, which have no switch, may send Accept-Language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_supported_language_variant


class LanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @staticmethod
    def language_for(request: HttpRequest) -> str:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen:
            try:
                return get_supported_language_variant(chosen)
            except LookupError:
                pass
        if request.path.startswith("/api/") and request.META.get("HTTP_ACCEPT_LANGUAGE"):
            return translation.get_language_from_request(request)
        return settings.LANGUAGE_CODE

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self.language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RejectNulMiddleware:
    """Answer 400 to a NUL character in the path, the query string or a JSON or form body.

    PostgreSQL cannot store or compare text containing NUL, so such a value would otherwise
    surface as a 500 deep inside a query. Nothing legitimate ever sends one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "%00" in query or "\x00" in query:
            return HttpResponseBadRequest("NUL characters are not allowed.")
        content_type = request.META.get("CONTENT_TYPE", "")
        # Only text bodies: an uploaded spreadsheet legitimately contains NUL bytes.
        if content_type.startswith(("application/json", "application/x-www-form-urlencoded")):
            body = request.body
            if b"\x00" in body or b"\\u0000" in body or b"%00" in body:
                return HttpResponseBadRequest("NUL characters are not allowed.")
        return self.get_response(request)
