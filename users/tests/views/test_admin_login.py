"""The admin login locks a username out for a client after repeated failures (django-axes)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from users.tests.factories import DEFAULT_PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
API_LOGIN = reverse("users:login")


def admin_login(client: Client, username: str, password: str, **headers):
    return client.post(f"{LOGIN}?next=/admin/", {"username": username, "password": password}, **headers)


def logged_in(client: Client) -> bool:
    return client.get(reverse("admin:index")).status_code == 200


class TestAdminLockout:
    def test_right_password_logs_in(self):
        staff = StaffFactory()
        client = Client()
        assert admin_login(client, staff.username, DEFAULT_PASSWORD).status_code == 302
        assert logged_in(client)

    def test_repeated_failures_lock_out_even_the_right_password(self):
        # given a client that guesses, writing a new X-Forwarded-For on every try
        staff = StaffFactory()
        client = Client()
        for n in range(settings.AXES_FAILURE_LIMIT):
            response = admin_login(client, staff.username, f"guess-{n}", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
            assert response.status_code in (200, 429)

        # when it then tries the right password
        response = admin_login(client, staff.username, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.200")

        # then it is refused and not logged in
        assert response.status_code == 429
        assert not logged_in(client)

    def test_the_lockout_is_for_that_client_and_for_a_while(self):
        staff = StaffFactory()
        for n in range(settings.AXES_FAILURE_LIMIT):
            admin_login(Client(REMOTE_ADDR="203.0.113.66"), staff.username, f"guess-{n}")

        # the staff member at another address still gets in
        elsewhere = Client(REMOTE_ADDR="203.0.113.10")
        assert admin_login(elsewhere, staff.username, DEFAULT_PASSWORD).status_code == 302

        # and the guessing client too, once the cool-off has passed without a new failure
        AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
        assert admin_login(Client(REMOTE_ADDR="203.0.113.66"), staff.username, DEFAULT_PASSWORD).status_code == 302

    def test_behind_the_proxy_the_client_is_the_address_it_saw(self, settings):
        settings.TRUSTED_PROXIES = 1
        staff = StaffFactory()
        for n in range(settings.AXES_FAILURE_LIMIT):
            admin_login(Client(), staff.username, f"guess-{n}", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.66")

        locked = admin_login(Client(), staff.username, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.66")
        other = admin_login(Client(), staff.username, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.10")

        assert (locked.status_code, other.status_code) == (429, 302)
        assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.66"}

    def test_api_failures_count_toward_the_admin_lockout_but_the_api_answers_by_its_throttle(self):
        staff = StaffFactory()
        api = APIClient()
        for n in range(settings.AXES_FAILURE_LIMIT):
            assert api.post(API_LOGIN, {"username": staff.username, "password": f"guess-{n}"}).status_code == 401

        assert admin_login(Client(), staff.username, DEFAULT_PASSWORD).status_code == 429
        assert api.post(API_LOGIN, {"username": staff.username, "password": DEFAULT_PASSWORD}).status_code == 200
