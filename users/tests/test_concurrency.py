"""Two requests racing for one unique value, on PostgreSQL with real parallel connections: the
loser gets a 400 naming the field, never a 500."""

import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from conftest import client_for
from ecommerce.common.tests.concurrency import run_concurrently
from users.services import EMAIL_TAKEN, USERNAME_TAKEN
from users.tests.factories import DEFAULT_PASSWORD, UserFactory

User = get_user_model()
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]

RACERS = 8


def while_uncommitted(take: Callable[[], object], call: Callable[[], tuple[int, dict]]) -> tuple[int, dict]:
    """Make `call` lose the race every time: this connection takes the value in a transaction left
    open until `call`, on its own connection, has passed every check and waits on the unique
    index; then it commits, and the database decides."""

    def on_own_connection():
        try:
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        with transaction.atomic():
            take()
            future = pool.submit(on_own_connection)
            deadline = time.monotonic() + 10
            while not future.done() and time.monotonic() < deadline and not _someone_waits_on_a_lock():
                time.sleep(0.02)
        return future.result(timeout=30)


def _someone_waits_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


def patch_email(user, email):
    response = client_for(user).patch(reverse("users:me"), {"email": email, "current_password": DEFAULT_PASSWORD})
    return response.status_code, response.json()


def register(username, email):
    response = APIClient().post(
        reverse("users:register"), {"username": username, "email": email, "password": "Str0ng-Passw0rd"}
    )
    return response.status_code, response.json()


def test_users_changing_to_the_same_email_at_once():
    users = [UserFactory() for _ in range(RACERS)]

    results = run_concurrently([lambda user=user: patch_email(user, "wanted@example.et") for user in users])

    statuses = Counter(status for status, _ in results)
    assert statuses == {200: 1, 400: RACERS - 1}, results
    assert all(body == {"email": [EMAIL_TAKEN]} for status, body in results if status == 400)
    assert User.objects.filter(email__iexact="wanted@example.et").count() == 1


@pytest.mark.parametrize(
    ("same", "field", "message"), [("email", "email", EMAIL_TAKEN), ("username", "username", USERNAME_TAKEN)]
)
def test_registrations_racing_for_one_email_or_username(same, field, message):
    def racer(n):
        return lambda: register(
            "selam" if same == "username" else f"selam{n}",
            "selam@example.et" if same == "email" else f"selam{n}@example.et",
        )

    results = run_concurrently([racer(n) for n in range(RACERS)])

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 1, 400: RACERS - 1}, results
    assert all(body == {field: [message]} for status, body in results if status == 400), results
    assert User.objects.count() == 1


def test_an_email_change_that_loses_at_the_unique_index_is_a_400():
    holder, loser = UserFactory(), UserFactory()
    status, body = while_uncommitted(
        lambda: User.objects.filter(pk=holder.pk).update(email="wanted@example.et"),
        lambda: patch_email(loser, "wanted@example.et"),
    )
    assert (status, body) == (400, {"email": [EMAIL_TAKEN]})
    loser.refresh_from_db()
    assert loser.email != "wanted@example.et"


@pytest.mark.parametrize(
    ("taken", "racer", "errors"),
    [
        ({"username": "first", "email": "selam@example.et"}, ("second", "selam@example.et"), {"email": [EMAIL_TAKEN]}),
        ({"username": "selam", "email": "a@example.et"}, ("selam", "b@example.et"), {"username": [USERNAME_TAKEN]}),
    ],
)
def test_a_registration_that_loses_at_the_unique_index_is_a_400(taken, racer, errors):
    status, body = while_uncommitted(lambda: UserFactory(**taken), lambda: register(*racer))
    assert (status, body) == (400, errors)
    assert User.objects.count() == 1
