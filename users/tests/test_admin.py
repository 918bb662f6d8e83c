"""Staff changing a user's password or e-mail in the admin end that user's sessions too."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

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
