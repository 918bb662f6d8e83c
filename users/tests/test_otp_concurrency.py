"""Sign-in codes under parallel requests, on PostgreSQL with real threads and connections: the
limits, single use and the one owner of a phone hold because of locks and a unique index,
not because requests happen to arrive one after another."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from conftest import client_for
from ecommerce.common.tests.concurrency import race_under_lock, run_concurrently
from ecommerce.outbox.models import OutboxSms
from users.models import OneTimeCode
from users.tests.factories import UserFactory
from users.tests.otp import PHONE, code_in, request_code, verify_code

User = get_user_model()
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]


def _answer(response) -> tuple[int, str | None]:
    return response.status_code, response.json().get("code")


def _sent_code(sms_gateway) -> str:
    [received] = sms_gateway.messages(to="251911234567")
    return code_in(received["message"])


def test_twenty_parallel_requests_for_one_number_send_one_sms(sms_gateway):
    results = run_concurrently([lambda: _answer(request_code(APIClient())) for _ in range(20)])

    assert Counter(results) == {(202, None): 1, (429, "otp_resend_too_soon"): 19}, results
    assert OneTimeCode.objects.filter(phone=PHONE).count() == 1
    assert OutboxSms.objects.count() == 1
    assert len(sms_gateway.messages()) == 1


def test_two_parallel_right_codes_for_a_new_number_create_one_account(sms_gateway):
    request_code(APIClient())
    code = _sent_code(sms_gateway)

    results = run_concurrently([lambda: verify_code(APIClient(), code) for _ in range(2)])

    answers = sorted(
        (response.status_code, response.json().get("created", response.json().get("code"))) for response in results
    )
    assert answers == [(200, True), (400, "otp_expired")]
    assert User.objects.filter(phone=PHONE).count() == 1


def test_two_accounts_verifying_one_phone_at_once_end_with_one_owner(sms_gateway):
    first, second = UserFactory(), UserFactory()
    request_code(client_for(first))
    code = _sent_code(sms_gateway)

    results = run_concurrently(
        [lambda user=user: _answer(verify_code(client_for(user), code)) for user in (first, second)]
    )

    # one code for the number: whoever comes second finds it spent, and the phone taken
    assert sorted(results) == [(200, None), (409, "phone_taken")]
    assert User.objects.filter(phone=PHONE, phone_verified=True).count() == 1


def test_an_account_that_loses_the_phone_at_the_unique_index_is_a_409(sms_gateway):
    # given the second account holds a right code for the phone
    holder, loser = UserFactory(), UserFactory()
    request_code(client_for(loser))
    code = _sent_code(sms_gateway)

    # when the first account's verification of the phone is not yet committed while the second
    # passes its checks and writes the phone, the unique index decides
    status = race_under_lock(
        lock=lambda: User.objects.filter(pk=holder.pk).update(phone=PHONE, phone_verified=True),
        other=lambda: _answer(verify_code(client_for(loser), code)),
    )

    # then one owner, and the other a 409
    assert status == (409, "phone_taken")
    assert list(User.objects.filter(phone=PHONE, phone_verified=True)) == [holder]
    loser.refresh_from_db()
    assert not loser.phone_verified
