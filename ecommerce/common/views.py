"""What the apps' views share."""

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.views import APIView

T = TypeVar("T")


def get_or_404(lookup: Callable[..., T], /, **kwargs) -> T:
    """`lookup(**kwargs)` (a selector, or a service that looks up what it changes), or a 404 when
    what it looks for is not there or not the requester's: both are the same answer."""
    try:
        return lookup(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


class PDFRenderer(BaseRenderer):
    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PDFView(APIView):
    """A view that answers with a PDF document (a receipt, a packing slip); its errors stay JSON
    whatever the client accepts."""

    renderer_classes = [PDFRenderer, JSONRenderer]

    def handle_exception(self, exc):
        self.request.accepted_renderer, self.request.accepted_media_type = JSONRenderer(), "application/json"
        return super().handle_exception(exc)


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
