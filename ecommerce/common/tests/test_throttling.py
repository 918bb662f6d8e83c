"""The default throttles (anonymous and user scopes) in one Redis round trip answer exactly as
DRF's own throttles do: the same requests let through, the same waits, the same 429."""

import pytest
from django.test import RequestFactory
from rest_framework import throttling
from rest_framework.request import Request

from ecommerce.common import throttling as shop_throttling
from users.tests.factories import UserFactory


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


def rates(settings, anon: str, user: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "anon": anon, "user": user},
    }


def clocked(throttle_class, clock):
    return type(throttle_class.__name__, (throttle_class,), {"timer": staticmethod(clock)})


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_the_combined_throttle_answers_as_drfs_throttles_do(settings, signed_in):
    # given DRF's anonymous and user throttles and ours, on one clock, at 3 and 5 a minute
    rates(settings, anon="3/min", user="5/min")
    clock = Clock()
    ours = type(
        "Ours",
        (shop_throttling.DefaultRateThrottle,),
        {"scopes": tuple(clocked(scope, clock) for scope in shop_throttling.DefaultRateThrottle.scopes)},
    )
    # (DRF's classes read their rates at import; the test's rates reach them through the shop's)
    drf = [
        clocked(type(scope.__name__, (scope,), {"get_rate": shop.get_rate}), clock)
        for scope, shop in [
            (throttling.AnonRateThrottle, shop_throttling.AnonRateThrottle),
            (throttling.UserRateThrottle, shop_throttling.UserRateThrottle),
        ]
    ]
    request = Request(RequestFactory().get("/", REMOTE_ADDR="198.51.100.7"))
    request.user = UserFactory() if signed_in else type("Anonymous", (), {"is_authenticated": False})()
    # when both see the same requests, some within the window, some after parts of it expired
    answers = []
    for moment in [0, 1, 2, 3, 4, 5, 30, 59.5, 60.5, 61, 62, 90, 200]:
        clock.now = 1_000_000.0 + moment
        theirs = [throttle() for throttle in drf]
        refused = [throttle.wait() for throttle in theirs if not throttle.allow_request(request, None)]
        expected = (not refused, max((wait for wait in refused if wait is not None), default=None))
        mine = ours()
        answers.append(((mine.allow_request(request, None), mine.wait()), expected))
    # then every answer and every wait is the same, and both refused some
    assert all(got == expected for got, expected in answers), answers
    assert any(not expected[0] for _, expected in answers)


@pytest.mark.django_db
def test_past_the_anonymous_rate_the_api_answers_429_with_retry_after(api_client, settings):
    rates(settings, anon="2/min", user="600/min")
    settings.CATALOG_CACHE_SECONDS = 0
    assert [api_client.get("/api/categories/").status_code for _ in range(2)] == [200, 200]
    response = api_client.get("/api/categories/")
    assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 60
    # another client has its own budget
    assert api_client.get("/api/categories/", REMOTE_ADDR="203.0.113.9").status_code == 200
