"""The SMS outbox, sent through the AfroMessage backend to the sandbox gateway over real HTTP."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation

from ecommerce.common.tests.processes import SMS_TOKEN, free_port
from ecommerce.outbox.kinds import sms_kind_register
from ecommerce.outbox.models import OutboxSms
from ecommerce.outbox.services import outbox_flush, outbox_sms_send, sms_enqueue

pytestmark = pytest.mark.django_db

GREETING = "outbox/sms/test-greeting"


@pytest.fixture(autouse=True)
def greeting_kind():
    # The language the text is written in shows which one was active when it was written.
    sms_kind_register(GREETING, lambda values: f"Hello {values['name']} ({translation.get_language()})")


def enqueue(*, to="0911234567", key=None, language="am"):
    return sms_enqueue(to=to, kind=GREETING, context={"name": "Almaz"}, language=language, key=key)


class TestSmsOutbox:
    def test_sms_is_sent_after_commit_to_the_international_number_in_the_recipients_language(
        self, sms_gateway, django_capture_on_commit_callbacks
    ):
        # given / when
        with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
            sms = enqueue(to="+251 711-234567")
            assert sms_gateway.messages() == []  # nothing before the commit
        # then
        [received] = sms_gateway.messages()
        assert received["to"] == "251711234567"
        assert received["message"] == "Hello Almaz (am)"
        assert (received["from"], received["sender"]) == ("pytest-identifier", "Shop")
        sms.refresh_from_db()
        assert (sms.status, sms.attempts, sms.text, sms.parts) == ("sent", 1, "Hello Almaz (am)", 1)
        assert sms.gateway_message_id == received["message_id"]

    def test_nothing_is_queued_inside_a_transaction_that_rolls_back(
        self, sms_gateway, django_capture_on_commit_callbacks
    ):
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(RuntimeError),
            transaction.atomic(),
        ):
            enqueue()
            raise RuntimeError("the business change failed")
        assert callbacks == [] and not OutboxSms.objects.exists()
        assert sms_gateway.state()["send_calls"] == 0

    def test_one_sms_per_key(self, sms_gateway, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            first = enqueue(key="order-placed:1")
            second = enqueue(key="order-placed:1")
        assert first is not None and second is None
        assert len(sms_gateway.messages()) == 1

    def test_a_phone_that_is_not_ethiopian_mobile_is_refused_and_nothing_is_queued(self):
        with pytest.raises(ValidationError):
            enqueue(to="+44 20 7946 0958")
        assert not OutboxSms.objects.exists()

    def test_an_unknown_kind_is_refused_when_queued(self):
        with pytest.raises(ValueError, match="no SMS kind"):
            sms_enqueue(to="0911234567", kind="nobody/sms/registered", context={}, language="en")
        assert not OutboxSms.objects.exists()

    @pytest.mark.parametrize("failure", ["error", "http500", "down"])
    def test_a_failed_send_is_retried_with_backoff_then_given_up(self, sms_gateway, settings, failure):
        # given: a gateway that fails every send
        settings.SMS_RETRY_BACKOFF_SECONDS = 10
        settings.SMS_MAX_ATTEMPTS = 3
        sms_gateway.config(fail_next=100, failure=failure)
        sms = enqueue()
        # when
        outcomes = []
        for _ in range(3):
            OutboxSms.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())
            outcomes.append(outbox_sms_send(sms_id=sms.pk))
        # then
        assert outcomes == [("retry", 10), ("retry", 20), ("failed", 40)]
        sms.refresh_from_db()
        assert (sms.status, sms.attempts) == ("failed", 3)
        assert "SmsNotSent" in sms.last_error
        assert sms_gateway.messages() == []

    def test_a_gateway_too_slow_to_answer_is_a_failed_send(self, sms_gateway):
        sms_gateway.config(fail_next=1, failure="timeout", timeout_seconds=3)
        sms = enqueue()
        assert outbox_sms_send(sms_id=sms.pk)[0] == "retry"
        sms.refresh_from_db()
        assert "ReadTimeout" in sms.last_error

    def test_a_wrong_token_is_refused_by_the_gateway(self, sms_gateway, settings):
        settings.SMS_API_TOKEN = "not-the-token"
        sms = enqueue()
        assert outbox_sms_send(sms_id=sms.pk)[0] == "retry"
        assert sms_gateway.state()["unauthorized_calls"] == 1
        sms.refresh_from_db()
        assert "HTTP 401" in sms.last_error and "not-the-token" not in sms.last_error

    def test_the_flush_sends_what_is_due_once(self, sms_gateway):
        due, later = enqueue(to="0911000001"), enqueue(to="0911000002")
        OutboxSms.objects.filter(pk=due.pk).update(next_attempt_at=timezone.now())
        assert outbox_flush() == {"sent": 1, "retry": 0, "failed": 0, "skipped": 0}
        assert [m["to"] for m in sms_gateway.messages()] == ["251911000001"]
        assert outbox_sms_send(sms_id=due.pk) == ("skipped", 0)  # never twice
        assert later.pk in OutboxSms.objects.filter(status="pending").values_list("pk", flat=True)

    def test_a_secret_kinds_values_and_text_are_forgotten_once_sent(self, sms_gateway):
        sms_kind_register("outbox/sms/test-code", lambda values: f"Code {values['code']}", secret=True)
        sms = sms_enqueue(to="0911234567", kind="outbox/sms/test-code", context={"code": "493817"}, language="en")
        assert outbox_sms_send(sms_id=sms.pk)[0] == "sent"
        assert [m["message"] for m in sms_gateway.messages()] == ["Code 493817"]
        sms.refresh_from_db()
        assert (sms.status, sms.context, sms.text) == ("sent", {}, "")

    def test_the_token_is_never_logged(self, sms_gateway, settings, caplog):
        # given: a gateway that is unreachable, then one that refuses, then one that takes it
        settings.SMS_MAX_ATTEMPTS = 3
        settings.SMS_BASE_URL = f"http://127.0.0.1:{free_port()}/api"
        caplog.set_level(logging.DEBUG)
        sms = enqueue()
        outbox_sms_send(sms_id=sms.pk)
        settings.SMS_BASE_URL = sms_gateway.api_url
        sms_gateway.config(fail_next=1, failure="error")
        OutboxSms.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())
        outbox_sms_send(sms_id=sms.pk)
        OutboxSms.objects.filter(pk=sms.pk).update(next_attempt_at=timezone.now())
        assert outbox_sms_send(sms_id=sms.pk)[0] == "sent"
        # then: the requests were logged (urllib3), the token never
        assert caplog.records
        assert SMS_TOKEN not in caplog.text
        sms.refresh_from_db()
        assert SMS_TOKEN not in sms.last_error


class TestConsoleBackend:
    def test_console_prints_each_sms(self, settings, capsys, django_capture_on_commit_callbacks):
        settings.SMS_BACKEND = "console"
        with django_capture_on_commit_callbacks(execute=True):
            enqueue(language="en")
        printed = capsys.readouterr().out
        assert "SMS to +251911234567 (1 part(s), gsm7):\nHello Almaz (en)\n" in printed
