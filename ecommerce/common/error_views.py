"""Django's own error pages (for URLs no view matched, and crashes) in the API's JSON shape."""

from django.http import JsonResponse
from django.utils.translation import gettext
from django.views import defaults


def is_api(request) -> bool:
    return request.path.startswith(("/api/", "/health/"))


def bad_request(request, exception):
    # A request Django refuses before any view (a Host header not in ALLOWED_HOSTS, say).
    if is_api(request):
        return JsonResponse({"detail": gettext("Bad request.")}, status=400)
    return defaults.bad_request(request, exception)


def not_found(request, exception):
    if is_api(request):
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return JsonResponse({"detail": gettext("Server error.")}, status=500)
    return defaults.server_error(request)
