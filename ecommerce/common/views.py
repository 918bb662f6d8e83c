"""What the apps' views share."""

from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

T = TypeVar("T")


def get_or_404(lookup: Callable[..., T], /, **kwargs) -> T:
    """`lookup(**kwargs)` (a selector, or a service that looks up what it changes), or a 404 when
    what it looks for is not there or not the requester's: both are the same answer."""
    try:
        return lookup(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
