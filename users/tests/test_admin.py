"""The admin's user forms: the same rules as the API, and the same end of sessions."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from users.models import USERNAME_INVALID, User
from users.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    client = Client()
    client.force_login(StaffFactory(is_superuser=True))
    return client


def change_form(user, **changes) -> dict:
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "language": user.language,
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }
    return {**data, **changes}


def test_a_password_set_by_staff_ends_the_users_sessions(admin_client):
    user = UserFactory()
    refresh = RefreshToken.for_user(user)
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "Staff-Set-Pass-91", "password2": "Staff-Set-Pass-91"},
    )
    assert response.status_code == 302
    assert APIClient().post(reverse("users:token-refresh"), {"refresh": str(refresh)}).status_code == 401
    login = APIClient().post(reverse("users:login"), {"username": user.username, "password": "Staff-Set-Pass-91"})
    assert login.status_code == 200


def test_an_email_changed_by_staff_ends_the_users_sessions(admin_client):
    user = UserFactory()
    refresh = RefreshToken.for_user(user)
    response = admin_client.post(
        reverse("admin:users_user_change", args=[user.pk]), change_form(user, email="moved@example.et")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.email == "moved@example.et"
    assert APIClient().post(reverse("users:token-refresh"), {"refresh": str(refresh)}).status_code == 401


def test_other_changes_by_staff_leave_the_sessions_alone(admin_client):
    user = UserFactory()
    refresh = RefreshToken.for_user(user)
    response = admin_client.post(
        reverse("admin:users_user_change", args=[user.pk]), change_form(user, last_name="Bekele")
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.last_name == "Bekele"
    assert APIClient().post(reverse("users:token-refresh"), {"refresh": str(refresh)}).status_code == 200


def test_the_add_form_refuses_a_username_with_an_at_sign(admin_client):
    response = admin_client.post(
        reverse("admin:users_user_add"),
        {
            "username": "abebe@example.et",
            "email": "abebe@example.et",
            "password1": "Str0ng-Passw0rd",
            "password2": "Str0ng-Passw0rd",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"username": [USERNAME_INVALID]}
    assert not User.objects.filter(username="abebe@example.et").exists()


def test_the_change_form_refuses_a_username_with_an_at_sign(admin_client):
    user = UserFactory()
    response = admin_client.post(
        reverse("admin:users_user_change", args=[user.pk]), change_form(user, username="someone@example.et")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"username": [USERNAME_INVALID]}
