"""The client's address as the proxies we trust saw it: what throttles, lockouts and logs key on."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """With no proxy in front (TRUSTED_PROXIES=0) the client is the socket's peer. Behind N
    proxies that each append the address they saw to X-Forwarded-For, it is the Nth entry from
    the right: everything left of it came from the client, who can write anything there.

    A header too short to have passed through all N proxies, or an entry that is no address,
    means the request did not come the way we trust; the peer is the only address it cannot forge.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if len(forwarded) < proxies:
        return peer
    try:
        return str(ipaddress.ip_address(forwarded[-proxies].strip()))
    except ValueError:
        return peer
