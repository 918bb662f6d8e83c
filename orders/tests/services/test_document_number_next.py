"""Document numbers (receipts, credit notes): one gapless sequence each, whatever rolls back
and whatever runs in parallel."""

import pytest
from django.db import transaction

from ecommerce.common.tests.concurrency import race_under_lock, run_concurrently
from orders.models import DocumentCounter
from orders.services.documents import (
    CREDIT_NOTE_PREFIX,
    CREDIT_NOTE_SEQUENCE,
    RECEIPT_PREFIX,
    RECEIPT_SEQUENCE,
    document_number_next,
)


def next_receipt() -> str:
    return document_number_next(name=RECEIPT_SEQUENCE, prefix=RECEIPT_PREFIX)


def next_receipt_in_a_transaction(*, rolled_back: bool = False):
    def call():
        with transaction.atomic():
            number = next_receipt()
            transaction.set_rollback(rolled_back)
        return number

    return call


@pytest.mark.django_db
class TestDocumentNumberNext:
    def test_numbers_count_up_from_one_with_six_digits_per_sequence(self):
        assert [next_receipt(), next_receipt()] == ["R-000001", "R-000002"]
        assert document_number_next(name=CREDIT_NOTE_SEQUENCE, prefix=CREDIT_NOTE_PREFIX) == "CN-000001"
        assert next_receipt() == "R-000003"

    def test_the_millionth_number_and_on_keep_every_digit(self):
        DocumentCounter.objects.update_or_create(name=RECEIPT_SEQUENCE, defaults={"last": 999_999})
        assert [next_receipt(), next_receipt()] == ["R-1000000", "R-1000001"]

    def test_a_number_taken_in_a_rolled_back_transaction_is_given_again(self):
        # given a number taken by a transaction that then fails
        with pytest.raises(RuntimeError), transaction.atomic():
            assert next_receipt() == "R-000001"
            raise RuntimeError("the payment could not be recorded")

        # when the next document takes a number, then it is the same one: no gap
        assert next_receipt() == "R-000001"
        assert DocumentCounter.objects.get(name=RECEIPT_SEQUENCE).last == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgres")
class TestDocumentNumberNextConcurrently:
    def test_one_waiting_for_a_transaction_that_rolls_back_gets_its_number(self):
        # given a transaction holding R-000001 while another asks for the next number
        waiter = race_under_lock(
            lock=lambda: next_receipt(),
            other=next_receipt_in_a_transaction(),
            # when the first rolls back
            change=lambda: transaction.set_rollback(True),
        )
        # then the one that waited got R-000001, and the sequence has no gap
        assert waiter == "R-000001"
        assert next_receipt_in_a_transaction()() == "R-000002"

    def test_twenty_in_parallel_half_of_them_rolled_back_leave_no_gap_and_no_repeat(self):
        # given twenty transactions taking a number at once, every second one rolling back
        calls = [next_receipt_in_a_transaction(rolled_back=i % 2 == 1) for i in range(20)]

        # when they run
        numbers = run_concurrently(calls)

        # then the ten that committed hold R-000001 to R-000010, each once
        committed = sorted(number for i, number in enumerate(numbers) if i % 2 == 0)
        assert committed == [f"R-{n:06d}" for n in range(1, 11)], numbers
        assert DocumentCounter.objects.get(name=RECEIPT_SEQUENCE).last == 10
