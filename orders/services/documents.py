"""Numbers for the shop's documents: receipts and credit notes, each from a sequence of its own
with no gaps and no repeats, as the tax authority expects of them.

A number is taken in the transaction that makes the document (the order becoming paid, a
refund), from a counter row locked until that transaction ends. A rollback so takes its number
back, which a PostgreSQL SEQUENCE never does (docs/architecture.md, "Numbered documents").
The price is that takers of one sequence queue on its row: lock it last, just before the
commit, and hold nothing else after it.
"""

from django.db import transaction

from orders.lock_objects import document_counter_lock
from orders.models import DocumentCounter

# The sequences, and the prefix of their numbers (R-000123, CN-000045).
RECEIPT_SEQUENCE, RECEIPT_PREFIX = "receipt", "R-"
CREDIT_NOTE_SEQUENCE, CREDIT_NOTE_PREFIX = "credit_note", "CN-"
DIGITS = 6  # at least; a seventh comes when the millionth is reached


def document_number_next(*, name: str, prefix: str) -> str:
    """The next number of sequence `name`, e.g. "R-000123". Runs in the caller's transaction
    (refused outside one) and keeps the sequence's row locked until it ends: the number is the
    caller's only once it commits, and goes back to the sequence if it rolls back."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("A document number is taken inside the transaction that uses it.")
    try:
        counter = document_counter_lock(name=name)
    except DocumentCounter.DoesNotExist:
        # The sequence's first number: two first takers insert one row, the second one waiting
        # for the first to finish (ON CONFLICT DO NOTHING), then both lock it.
        DocumentCounter.objects.bulk_create([DocumentCounter(name=name)], ignore_conflicts=True)
        counter = document_counter_lock(name=name)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}{counter.last:0{DIGITS}d}"
