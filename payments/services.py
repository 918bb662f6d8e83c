import contextlib
import hashlib
import hmac
import json
import logging
import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ecommerce.common.enqueue import task_enqueue
from ecommerce.common.validators import normalize_ethiopian_phone
from orders.models import Order, OrderStatus, state_text
from orders.services import (
    order_lock_for_payment,
    order_lock_refund_due,
    order_payment_failed,
    order_payment_mismatched,
    order_payment_received,
    order_payment_recorded,
    order_refund_recorded,
)
from orders.services.documents import CREDIT_NOTE_PREFIX, CREDIT_NOTE_SEQUENCE, document_number_next
from orders.services.returns import order_refund_book, order_refund_release, return_refund_claim, return_refunded
from payments.chapa import ChapaError, VerifyResult, get_client
from payments.emails import payment_result_email
from payments.exceptions import (
    PaymentGatewayError,
    PaymentInProgress,
    RefundAlreadyRequested,
    RefundNotAllowed,
    RefundNotThroughChapa,
    WebhookSignatureInvalid,
)
from payments.lock_objects import payment_lock, refund_lock
from payments.models import Payment, PaymentMethod, PaymentState, Refund, RefundState, WebhookEvent

logger = logging.getLogger(__name__)

# A payment row without a checkout URL after this long lost its gateway call (a crash, a
# restart): it is closed so the order can be paid through a new attempt.
ABANDONED_INITIALIZATION = timedelta(minutes=5)  # well past the client's longest run (3 × 20 s)
ABANDONED_REASON = "The gateway call that opened this payment never finished."
SIGNATURE_INVALID = _("Missing or invalid webhook signature.")
PAID_ANOTHER_WAY = "Closed: the order was paid another way (a payment recorded by staff)."
# Attempts we closed (failed, or cancelled when the order was paid another way) that Chapa may
# still have taken money for: a success reported for one is never ignored.
_CLOSED = (PaymentState.FAILED, PaymentState.CANCELLED)


def _tx_ref(order: Order, prefix: str = "shop") -> str:
    # Unique per attempt, at most 50 characters of [A-Za-z0-9_.-], as Chapa asks.
    return f"{prefix}-{order.number}-{secrets.token_hex(6)}"


@transaction.atomic
def payment_record(*, order_id, amount: Decimal, method: str, actor, reference: str = "", note: str = "") -> Payment:
    """Record money staff received outside Chapa (cash at the door, a bank transfer) as a
    payment of its own, and pay the order with it.

    The order's lock serialises this with a second recording and with a Chapa verification:
    whichever comes second finds the order paid (a recording is refused; Chapa money is kept and
    flagged for a refund). A Chapa checkout still open is closed (cancelled) with the recording,
    so the customer is not asked to pay twice; money Chapa still takes on it is a success for a
    closed attempt, applied or flagged like any other."""
    if method == PaymentMethod.CHAPA:
        raise ValidationError({"method": [gettext("Chapa payments are verified with Chapa, not recorded.")]})
    # The open attempt is locked before the order, in the order a verification takes them, so a
    # verification of it arriving meanwhile waits instead of deadlocking with this recording.
    for open_id in Payment.objects.filter(order_id=order_id, status=PaymentState.PENDING).values_list("pk", flat=True):
        payment_lock(pk=open_id)
    tx_ref = _tx_ref(Order.objects.only("number").get(pk=order_id), prefix="rec")
    order = order_payment_recorded(
        order_id=order_id,
        amount=amount,
        payment_ref=tx_ref,
        actor=actor,
        method=method,
        reference=reference,
    )
    payment = Payment.objects.create(
        order=order,
        tx_ref=tx_ref,
        method=method,
        amount=amount,
        currency=order.currency,
        status=PaymentState.SUCCESS,
        applied=True,
        verified_at=timezone.now(),
        recorded_by=actor,
        reference=reference,
        note=note,
    )
    Payment.objects.filter(order=order, status=PaymentState.PENDING).update(
        status=PaymentState.CANCELLED, failure_reason=PAID_ANOTHER_WAY, updated_at=timezone.now()
    )
    payment_result_email(payment=payment)
    return payment


def _close_abandoned(payments) -> int:
    """Close, as failed, the attempts among `payments` whose gateway call never finished (no
    checkout URL long after they were opened), so the order can be paid by a new one."""
    return payments.filter(
        status=PaymentState.PENDING, checkout_url="", created_at__lt=timezone.now() - ABANDONED_INITIALIZATION
    ).update(status=PaymentState.FAILED, failure_reason=ABANDONED_REASON, updated_at=timezone.now())


@transaction.atomic
def _payment_open(*, order_id) -> tuple[Payment, bool]:
    """The order's open payment, or a new one. Runs under the order's lock, so concurrent
    initiations share one attempt."""
    order = order_lock_for_payment(order_id=order_id)
    existing = Payment.objects.filter(order=order, status=PaymentState.PENDING).first()
    if existing is not None:
        if existing.checkout_url:
            return existing, False
        if not _close_abandoned(Payment.objects.filter(pk=existing.pk)):
            raise PaymentInProgress(gettext("This order's payment is being opened right now; try again in a moment."))
    payment = Payment.objects.create(order=order, tx_ref=_tx_ref(order), amount=order.total, currency=order.currency)
    return payment, True


def _initialize_payload(payment: Payment) -> dict:
    order, user = payment.order, payment.order.user
    names = order.ship_to.full_name.split(maxsplit=1)
    payload = {
        "amount": str(payment.amount),
        "currency": payment.currency,
        "tx_ref": payment.tx_ref,
        "email": user.email or None,
        "first_name": user.first_name or (names[0] if names else None),
        "last_name": user.last_name or (names[1] if len(names) > 1 else None),
        "callback_url": settings.CHAPA_CALLBACK_URL.format(payment_id=payment.pk, order_id=order.pk),
        "return_url": settings.CHAPA_RETURN_URL.format(payment_id=payment.pk, order_id=order.pk),
        "customization[title]": "Order payment",
        "customization[description]": f"Order {order.number}",
    }
    # Chapa refuses any other form of number: better none than a refused payment.
    with contextlib.suppress(ValidationError):
        payload["phone_number"] = normalize_ethiopian_phone(order.ship_to.phone)
    return {key: value for key, value in payload.items() if value is not None}


def payment_initiate(*, order_id) -> tuple[Payment, bool]:
    """Open a Chapa checkout for a pending order, or return the one already open.

    The gateway is called outside any transaction, so no lock is held while Chapa thinks. If
    Chapa cannot be reached or refuses, the attempt is closed as failed and nothing is paid.
    """
    payment, created = _payment_open(order_id=order_id)
    if not created:
        return payment, False
    try:
        checkout_url = get_client().initialize(_initialize_payload(payment))
    except ChapaError as exc:
        Payment.objects.filter(pk=payment.pk, status=PaymentState.PENDING).update(
            status=PaymentState.FAILED, failure_reason=str(exc)[:255], updated_at=timezone.now()
        )
        raise PaymentGatewayError(exc.text()) from None
    attached = Payment.objects.filter(pk=payment.pk, status=PaymentState.PENDING).update(
        checkout_url=checkout_url, updated_at=timezone.now()
    )
    if not attached:
        # Closed as abandoned while Chapa was slow: never hand out a checkout nobody would verify.
        raise PaymentGatewayError(gettext("The payment gateway answered too late; start the payment again."))
    payment.checkout_url = checkout_url
    return payment, True


def _money_mismatch(payment: Payment, result: VerifyResult) -> str:
    if result.currency != payment.currency:
        return f"currency mismatch: Chapa says {result.currency!r}, the order is in {payment.currency}."
    if result.amount != payment.amount:
        return f"amount mismatch: Chapa says {result.amount}, the order total is {payment.amount}."
    return ""


@transaction.atomic
def _payment_apply(*, payment_id, result: VerifyResult) -> Payment:
    """Apply a verify answer under the payment's lock: only the first caller changes state.

    A success is never ignored, even for an attempt already closed (failed, or cancelled; the customer
    paid after all): money that matches is offered to the order, which takes it if it still
    needs it; money that does not match is kept apart and flagged for a refund.
    """
    payment = payment_lock(pk=payment_id)
    undecided = payment.status == PaymentState.PENDING or (payment.status in _CLOSED and result.is_success)
    if not undecided or result.state == "pending":
        return payment
    # An answer about another transaction says nothing about this one's money: never applied,
    # and its reference is not kept, so nothing is ever refunded against it.
    foreign = result.tx_ref != payment.tx_ref
    payment.gateway_response = result.data
    payment.chapa_reference = "" if foreign else result.reference[:100]
    payment.verified_at = timezone.now()
    fields = ["gateway_response", "chapa_reference", "verified_at", "status", "failure_reason", "updated_at"]
    if not result.is_success or foreign:
        if payment.status in _CLOSED:
            return payment
        payment.status = PaymentState.FAILED
        payment.failure_reason = (
            f"tx_ref mismatch: Chapa answered for {result.tx_ref!r}."
            if foreign
            else "Chapa reports the payment as failed."
        )
        if foreign:
            logger.error("payment %s verified with a %s", payment.tx_ref, payment.failure_reason)
        payment.save(update_fields=fields)
        payment.order = order_payment_failed(order_id=payment.order_id, payment_ref=payment.tx_ref)
        payment_result_email(payment=payment)
        return payment
    payment.status = PaymentState.SUCCESS
    problem = _money_mismatch(payment, result)
    payment.failure_reason = problem[:255]
    if problem:
        logger.error("payment %s verified with a %s", payment.tx_ref, problem)
        payment.order = order_payment_mismatched(
            order_id=payment.order_id,
            payment_ref=payment.tx_ref,
            problem=problem,
            expected=f"{payment.amount} {payment.currency}",
            received=f"{result.amount} {result.currency}",
        )
    else:
        payment.applied = order_payment_received(order_id=payment.order_id, payment_ref=payment.tx_ref)
        fields.append("applied")
    payment.save(update_fields=fields)
    if payment.applied:
        payment.order.refresh_from_db()
        payment_result_email(payment=payment)
    return payment


def payment_verify(*, payment_id) -> Payment:
    """Ask Chapa about the payment and apply the answer, once.

    Never trusts the caller: only Chapa's verify API decides, and only a success whose
    tx_ref, currency and amount match ours pays the order. Repeated and concurrent calls are
    safe: the state changes once, under the payment's row lock. An attempt we closed (failed, or
    cancelled when the order was paid another way) is asked again too, because Chapa may still
    have taken the customer's money for it.
    """
    payment = Payment.objects.get(pk=payment_id)
    if payment.status not in (PaymentState.PENDING, *_CLOSED) or not payment.checkout_url:
        return payment
    try:
        result = get_client().verify(payment.tx_ref)
    except ChapaError as exc:
        raise PaymentGatewayError(exc.text()) from None
    return _payment_apply(payment_id=payment.pk, result=result)


def _signature_valid(raw_body: bytes, signature: str | None) -> bool:
    secret = settings.CHAPA_WEBHOOK_SECRET
    if not secret or not signature:
        return False
    expected = hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    # As bytes: compare_digest refuses str with non-ASCII characters, which a header may carry.
    return hmac.compare_digest(expected.encode(), signature.strip().lower().encode())


def payment_webhook_handle(*, raw_body: bytes, signature: str | None) -> str:
    """Accept a Chapa webhook: check the HMAC of the raw body, drop redeliveries, and have the
    payment verified with Chapa (the body alone is never trusted). Returns what was done."""

    if not _signature_valid(raw_body, signature):
        raise WebhookSignatureInvalid(SIGNATURE_INVALID)
    try:
        payload = json.loads(raw_body)
    except ValueError as exc:
        raise ValidationError(gettext("The webhook body is not JSON.")) from exc
    if not isinstance(payload, dict):
        raise ValidationError(gettext("The webhook body must be a JSON object."))
    event, tx_ref = str(payload.get("event", "")), str(payload.get("tx_ref", ""))
    with transaction.atomic():
        _, created = WebhookEvent.objects.get_or_create(
            body_sha256=hashlib.sha256(raw_body).hexdigest(),
            defaults={"event": event[:50], "tx_ref": tx_ref[:100], "payload": payload},
        )
        if not created:
            return "duplicate"
        if not event.startswith("charge."):
            return "ignored"
        payment = Payment.objects.filter(tx_ref=tx_ref).first()
        if payment is None:
            logger.warning("webhook %s for unknown tx_ref %s", event, tx_ref)
            return "unknown_payment"
        transaction.on_commit(
            lambda: task_enqueue(
                "payments.tasks.payment_verify",
                payment_id=str(payment.pk),
                otherwise="the reconciliation task will verify it",
            )
        )
    return "accepted"


def payment_reconcile_pending(*, older_than: timedelta | None = None) -> dict[str, int]:
    """Verify payments still pending after a while: the customer may have paid while every
    callback and webhook was lost. Also closes attempts whose initialization never finished."""
    now = timezone.now()
    older_than = older_than if older_than is not None else timedelta(minutes=settings.PAYMENT_RECONCILE_AFTER_MINUTES)
    abandoned = _close_abandoned(Payment.objects.all())
    counts = {"checked": 0, "changed": 0, "errors": 0, "abandoned": abandoned}
    stale = Payment.objects.filter(
        status=PaymentState.PENDING, created_at__lt=now - older_than, created_at__gt=now - timedelta(days=3)
    ).exclude(checkout_url="")
    for payment_id in list(stale.values_list("pk", flat=True)):
        counts["checked"] += 1
        try:
            payment = payment_verify(payment_id=payment_id)
        except PaymentGatewayError:
            counts["errors"] += 1
            continue
        if payment.status != PaymentState.PENDING:
            counts["changed"] += 1
    return counts


def _owed_back(payment: Payment) -> bool:
    """Whether the customer is owed this payment's money: it never paid the order, or it did
    and the order was cancelled."""
    return payment.status == PaymentState.SUCCESS and (
        not payment.applied or payment.order.status == OrderStatus.CANCELLED
    )


@transaction.atomic
def _refund_claim(*, payment_id, actor, reason: str) -> Refund:
    """Claim the refund of a whole payment owed back, and commit the claim before Chapa is
    asked: the refund row (`sending`) and, when the order had kept the money, its amount booked
    on the order."""
    payment = payment_lock(pk=payment_id)
    if payment.method != PaymentMethod.CHAPA:
        # Chapa knows nothing of this money: asking it would refund nothing and say so unclearly.
        raise RefundNotThroughChapa(
            gettext(
                "This payment was recorded by staff ({method}): Chapa cannot refund it. Pay it back by hand, "
                "then record that refund."
            ).format(method=payment.get_method_display().lower())
        )
    payment.order = order_lock_refund_due(order_id=payment.order_id)
    if not _owed_back(payment):
        raise RefundNotAllowed(
            gettext(
                "Payment {payment} is {status} and holds no money owed to the customer (order {number} is "
                "{order_status})."
            ).format(
                payment=payment.tx_ref,
                status=payment.get_status_display().lower(),
                number=payment.order.number,
                order_status=state_text(OrderStatus, payment.order.status),
            )
        )
    if payment.refund_requested_at is not None:
        raise RefundAlreadyRequested(
            gettext(
                "Chapa was already asked to refund payment {payment}; check the Chapa dashboard, then mark it "
                "refunded by hand if the money went back."
            ).format(payment=payment.tx_ref)
        )
    payment.refund_requested_at = timezone.now()
    payment.save(update_fields=["refund_requested_at", "updated_at"])
    return _payment_refund_open(payment=payment, actor=actor, note=reason, status=RefundState.SENDING)


def _payment_refund_open(*, payment: Payment, actor, note: str, status: str) -> Refund:
    """The refund row of a whole payment owed back; money the order kept (the payment of an
    order cancelled since) is booked on the order, a surplus payment's is not."""
    counted = payment.applied
    if counted:
        order_refund_book(order_id=payment.order_id, amount=payment.amount)
    return Refund.objects.create(
        order_id=payment.order_id,
        payment=payment,
        amount=payment.amount,
        currency=payment.currency,
        method=payment.method,
        status=status,
        counted=counted,
        actor=actor,
        note=note[:500],
        completed_at=timezone.now() if status == RefundState.SUCCEEDED else None,
    )


def _still_owed(order_id) -> bool:
    return any(_owed_back(p) for p in Payment.objects.filter(order_id=order_id).select_related("order"))


@transaction.atomic
def payment_refund_record(*, payment_id, actor, note: str) -> Payment:
    """Record that a payment's money went back to the customer (through Chapa, or by hand when
    Chapa's answer was lost), and settle the order once nothing more is owed."""
    payment = payment_lock(pk=payment_id)
    if not _owed_back(payment):
        raise RefundNotAllowed(
            gettext("Payment {payment} is {status} and has nothing to refund.").format(
                payment=payment.tx_ref, status=payment.get_status_display().lower()
            )
        )
    refund = payment.refunds.filter(return_request=None, status=RefundState.SENDING).first()
    if refund is None:
        order_lock_refund_due(order_id=payment.order_id)
        _payment_refund_open(payment=payment, actor=actor, note=note, status=RefundState.SUCCEEDED)
    else:
        refund_lock(pk=refund.pk)
        Refund.objects.filter(pk=refund.pk).update(
            status=RefundState.SUCCEEDED, completed_at=timezone.now(), updated_at=timezone.now()
        )
    payment.status = PaymentState.REFUNDED
    payment.refunded_at = timezone.now()
    payment.save(update_fields=["status", "refunded_at", "updated_at"])
    payment.order = order_refund_recorded(
        order_id=payment.order_id,
        actor=actor,
        note=note,
        settled=not _still_owed(payment.order_id),
        payment_ref=payment.tx_ref,
        amount=payment.amount,
    )
    return payment


def _chapa_refund_send(*, refund: Refund, reason: str) -> dict:
    """Ask Chapa once for a claimed refund (committed as `sending`), never again: an answer that
    is lost (a timeout, a 5xx) may hide a refund made, so the row stays `sending` for staff to
    settle from the Chapa dashboard (refund_settle). A refusal Chapa states (4xx) means no money
    moved: the row is failed and its amount refundable again."""
    try:
        return get_client().refund(refund.payment.chapa_reference, reason=reason, amount=refund.amount)
    except ChapaError as exc:
        refused = exc.status_code is not None and 400 <= exc.status_code < 500
        answer = {"error": str(exc), "status_code": exc.status_code}
        if refused:
            _refund_fail(refund_id=refund.pk, answer=answer)
            raise PaymentGatewayError(exc.text()) from None
        Refund.objects.filter(pk=refund.pk).update(gateway_response=answer, updated_at=timezone.now())
        raise PaymentGatewayError(
            gettext(
                "{error} The refund may or may not have been made: check the Chapa dashboard before anything else."
            ).format(error=exc.text())
        ) from None


def payment_refund(*, payment_id, actor, reason: str) -> Payment:
    """Give a payment's money back through Chapa (staff, for orders flagged refund_pending).

    The request is claimed and committed before Chapa is called, and Chapa is called once,
    without retries: a refund whose answer is lost (an error, a timeout) may still have
    happened, so it is never sent again; staff check the Chapa dashboard and record it by hand.
    """
    refund = _refund_claim(payment_id=payment_id, actor=actor, reason=reason)
    try:
        answer = _chapa_refund_send(refund=refund, reason=reason)
    except PaymentGatewayError as exc:
        Payment.objects.filter(pk=payment_id).update(failure_reason=f"Refund: {exc}"[:255], updated_at=timezone.now())
        raise
    Refund.objects.filter(pk=refund.pk).update(gateway_response=answer, updated_at=timezone.now())
    payment = refund.payment
    return payment_refund_record(
        payment_id=payment.pk,
        actor=actor,
        note=f"Refunded {payment.amount} {payment.currency} through Chapa (payment {payment.tx_ref}): {reason}",
    )


@transaction.atomic
def _return_refund_claim(
    *, return_id, actor, amount: Decimal | None, include_delivery: bool, note: str, method: str | None, reference: str
) -> tuple[Refund, Payment]:
    """Check a return's refund and book it on the order (orders.services.returns), under the
    order's lock, and write its row: `sending` for Chapa (committed before Chapa is asked),
    done at once for money staff pay back by hand."""
    # The payment is locked before the order, in the order a payment's own refund takes them:
    # this refund's row points at the payment, which waits for any lock held on it.
    kept = Payment.objects.filter(order__returns=return_id, applied=True).order_by("created_at")
    payment_id = kept.values_list("pk", flat=True).first()
    payment = payment_lock(pk=payment_id) if payment_id is not None else None
    claim = return_refund_claim(return_id=return_id, amount=amount, include_delivery=include_delivery)
    order = claim.ret.order
    if Refund.objects.filter(return_request_id=return_id, status__in=[RefundState.SENDING, RefundState.SUCCEEDED]):
        raise RefundAlreadyRequested(
            gettext("Return {number} is already being refunded.").format(number=claim.ret.number)
        )
    if payment.method == PaymentMethod.CHAPA:
        if method not in (None, PaymentMethod.CHAPA):
            raise ValidationError({"method": [gettext("This order was paid through Chapa: Chapa refunds it.")]})
        method = PaymentMethod.CHAPA
    elif method not in (PaymentMethod.CASH, PaymentMethod.BANK_TRANSFER):
        raise ValidationError({"method": [gettext("Say how the money went back: cash or bank transfer.")]})
    refund = Refund.objects.create(
        order=order,
        return_request=claim.ret,
        payment=payment,
        amount=claim.amount,
        delivery_amount=claim.delivery_amount,
        currency=order.currency,
        method=method,
        reference=reference,
        note=note[:500],
        actor=actor,
    )
    if method != PaymentMethod.CHAPA:
        _return_refund_complete(refund=refund, answer=None)
    return refund, payment


def _return_refund_complete(*, refund: Refund, answer: dict | None) -> Refund:
    """The money of a return's refund went back: the row is done, and the return and the order
    say so."""
    refund.status, refund.completed_at = RefundState.SUCCEEDED, timezone.now()
    if answer is not None:
        refund.gateway_response = answer
    return_refunded(
        return_id=refund.return_request_id,
        amount=refund.amount,
        delivery_amount=refund.delivery_amount,
        actor=refund.actor,
        note=refund.note,
        payment_ref=refund.payment.tx_ref if refund.method == PaymentMethod.CHAPA else refund.get_method_display(),
        settled=not _still_owed(refund.order_id),
    )
    # The number last: every refund of the shop queues on its counter row.
    refund.credit_note_number = document_number_next(name=CREDIT_NOTE_SEQUENCE, prefix=CREDIT_NOTE_PREFIX)
    refund.save(update_fields=["status", "completed_at", "gateway_response", "credit_note_number", "updated_at"])
    return refund


def return_refund(
    *,
    return_id,
    actor,
    amount: Decimal | None = None,
    include_delivery: bool = False,
    note: str = "",
    method: str | None = None,
    reference: str = "",
) -> Refund:
    """Refund an approved or received return (staff). A Chapa payment is refunded through
    Chapa's refund API with the amount, sent at most once (see _chapa_refund_send); cash and
    bank transfers were paid back by staff, and the refund records how."""
    refund, payment = _return_refund_claim(
        return_id=return_id,
        actor=actor,
        amount=amount,
        include_delivery=include_delivery,
        note=note,
        method=method,
        reference=reference,
    )
    if refund.status == RefundState.SUCCEEDED:
        return refund
    answer = _chapa_refund_send(refund=refund, reason=note or f"Return {refund.return_request.number}")
    with transaction.atomic():
        refund = refund_lock(pk=refund.pk)
        if refund.status != RefundState.SENDING:
            return refund  # staff settled it meanwhile, from the Chapa dashboard
        return _return_refund_complete(refund=refund, answer=answer)


@transaction.atomic
def _refund_fail(*, refund_id, answer: dict | None) -> Refund:
    refund = refund_lock(pk=refund_id)
    if refund.status != RefundState.SENDING:
        return refund
    refund.status, refund.completed_at = RefundState.FAILED, timezone.now()
    refund.gateway_response = answer if answer is not None else refund.gateway_response
    refund.save(update_fields=["status", "completed_at", "gateway_response", "updated_at"])
    if refund.counted:
        order_refund_release(order_id=refund.order_id, amount=refund.amount, delivery=refund.delivery_amount > 0)
    if refund.return_request_id is None:
        # No money moved: the payment may be refunded through Chapa again.
        Payment.objects.filter(pk=refund.payment_id).update(refund_requested_at=None, updated_at=timezone.now())
    return refund


def refund_settle(*, refund_id, actor, made: bool) -> Refund:
    """Staff settle a refund whose answer was lost, by what the Chapa dashboard says: `made`
    completes it as if Chapa had answered; otherwise its money is refundable again."""
    if not made:
        return _refund_fail(refund_id=refund_id, answer=None)
    with transaction.atomic():
        refund = refund_lock(pk=refund_id)
        if refund.status != RefundState.SENDING:
            raise RefundNotAllowed(
                gettext("This refund is {status}: there is nothing to settle.").format(
                    status=refund.get_status_display().lower()
                )
            )
        if refund.return_request_id is not None:
            return _return_refund_complete(refund=refund, answer=None)
    payment_refund_record(payment_id=refund.payment_id, actor=actor, note="Refund seen in the Chapa dashboard.")
    return Refund.objects.get(pk=refund_id)
