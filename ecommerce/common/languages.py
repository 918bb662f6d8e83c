"""The language of a request, in the contract's order: the one of `LANGUAGES` that its
Accept-Language prefers; without a header naming one, the signed-in user's `language`;
otherwise the shop's (`SHOP_LANGUAGE`, which is `LANGUAGE_CODE`).

Django's LocaleMiddleware would put its language cookie before the header and knows nothing of
a user's language, so the shop decides on its own, reading the header exactly as Django does.
The user is known late: a page's from its session (`LanguageMiddleware.process_view`), an API
request's only once DRF has checked its token (`users.authentication`), after every middleware.
"""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import language_code_re, parse_accept_lang_header

from ecommerce.common.error_views import is_api


def language_from_header(request) -> str | None:
    """The supported language that Accept-Language prefers (quality values respected), or None
    when it names none of them."""
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            break
        if not language_code_re.search(code):
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def request_language_for_user(request, user) -> None:
    """Speak the signed-in user's language to them, unless the request's header chose one."""
    if getattr(request, "language_from_header", None) or not getattr(user, "is_authenticated", False):
        return
    language = getattr(user, "language", "")
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        request.LANGUAGE_CODE = language


class LanguageMiddleware:
    """Activate the request's language before anything else answers (the catalog cache keys on
    it), and say which it was in `Content-Language` on every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.language_from_header = language_from_header(request)
        translation.activate(request.language_from_header or settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Pages (the admin, the return page) know their user from the session by now; the API
        # authenticates by token only, inside DRF.
        if not is_api(request):
            request_language_for_user(request, request.user)
