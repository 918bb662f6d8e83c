"""NUL characters in a URL, refused before any view reads them."""

from django.core.validators import ProhibitNullCharactersValidator
from django.http import HttpResponseBadRequest, JsonResponse

from ecommerce.common.error_views import is_api

NUL = "\x00"


class NulCharacterMiddleware:
    """A NUL in the path or in a query parameter's name or value is a 400.

    PostgreSQL cannot hold a NUL in a text value, so any parameter passed on to a query (an API
    filter, the admin's list filters, search and exports) failed with a 500, while SQLite takes
    it. Checked here, once, rather than by each field that happens to read one: the API answers
    in its shape, naming the parameters; the admin and the pages answer in plain words.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = [name for name, values in request.GET.lists() if NUL in name or any(NUL in v for v in values)]
        if NUL not in request.path and not refused:
            return self.get_response(request)
        message = str(ProhibitNullCharactersValidator.message)
        errors = {name: [message] for name in refused} if refused else {"detail": message}
        if is_api(request):
            return JsonResponse(errors, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
