"""The site root: a page for whoever opens the bare address (a developer, a shop owner)."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def home(request):
    return render(request, "home.html", {"shop_name": settings.SHOP_NAME})
