from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from users.models import OneTimeCode, OtpPhone
from users.services import otp_sweep
from users.tests.otp import PHONE, age_codes, request_code

pytestmark = pytest.mark.django_db


class TestOtpSweep:
    def test_codes_older_than_a_day_and_their_numbers_go(self, sms):
        # given a number that asked a day ago and one that asked just now
        request_code(APIClient(), phone="0711234567")
        age_codes(24 * 3600 + 1)
        request_code(APIClient())

        # when
        deleted = otp_sweep()

        # then
        assert deleted == 1
        assert list(OneTimeCode.objects.values_list("phone", flat=True)) == [PHONE]
        assert list(OtpPhone.objects.values_list("phone", flat=True)) == [PHONE]

    def test_codes_that_still_count_for_the_days_limit_stay(self, sms):
        for _ in range(10):
            request_code(APIClient())
            age_codes(2 * 3600)  # the first sent 20 hours ago

        assert otp_sweep() == 0
        assert OneTimeCode.objects.count() == 10
        assert request_code(APIClient()).json()["code"] == "otp_phone_limit"

    def test_a_swept_number_can_ask_again(self, sms):
        request_code(APIClient())
        otp_sweep(now=timezone.now() + timedelta(days=1, seconds=1))
        assert not OtpPhone.objects.exists()

        assert request_code(APIClient()).status_code == 202
