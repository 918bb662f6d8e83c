from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ecommerce.common.pagination import PaginatedListMixin
from ecommerce.common.permissions import StaffPermissions, staff_can_view
from ecommerce.common.throttling import throttled_page
from ecommerce.common.views import PDFView, get_or_404, pdf_response
from orders.models import Order
from orders.serializers import OrderOutputSerializer, ReturnOutputSerializer
from orders.views import order_for, return_for, return_response
from payments import selectors, services
from payments.credit_notes import credit_note_filename, credit_note_pdf
from payments.exceptions import PaymentGatewayError
from payments.models import Payment, PaymentState
from payments.receipts import receipt_filename, receipt_pdf
from payments.serializers import (
    PaymentInitiateInputSerializer,
    PaymentInitiateOutputSerializer,
    PaymentOutputSerializer,
    PaymentRecordInputSerializer,
    PaymentVerifyOutputSerializer,
    ReturnRefundInputSerializer,
    WebhookOutputSerializer,
)


class PaymentListView(PaginatedListMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: PaymentOutputSerializer(many=True)})
    def get(self, request):
        return self.paginated_response(selectors.payment_list(user=request.user), PaymentOutputSerializer)


class PaymentInitiateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=PaymentInitiateInputSerializer,
        responses={201: PaymentInitiateOutputSerializer, 200: PaymentInitiateOutputSerializer},
    )
    def post(self, request):
        serializer = PaymentInitiateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order = order_for(request, serializer.validated_data["order_id"])
        if order.user_id != request.user.pk:
            raise Http404  # staff see every order, but only its customer pays it
        payment, created = services.payment_initiate(order_id=order.pk)
        return Response(
            PaymentInitiateOutputSerializer(payment).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PaymentVerifyView(APIView):
    """Chapa's callback (and the customer's return page): verifies the payment with Chapa.

    Anyone may ask (Chapa sends no credentials); only the order's customer and staff learn
    which order it is and where it stands."""

    permission_classes = [AllowAny]

    def _verify(self, request, payment_id):
        payment = get_or_404(services.payment_verify, payment_id=payment_id)
        data = {"id": payment.pk, "status": payment.status}
        user = request.user
        if user.is_authenticated and (user.pk == payment.order.user_id or staff_can_view(user, Order)):
            payment.order.refresh_from_db(fields=["status"])
            data |= {"order_id": payment.order_id, "order_status": payment.order.status}
        return Response(PaymentVerifyOutputSerializer(data).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("trx_ref", str, description="Sent by Chapa; ignored (not signed)."),
            OpenApiParameter("status", str, description="Sent by Chapa; ignored (not signed)."),
        ],
        responses={200: PaymentVerifyOutputSerializer},
    )
    def get(self, request, payment_id):
        return self._verify(request, payment_id)

    @extend_schema(request=None, responses={200: PaymentVerifyOutputSerializer})
    def post(self, request, payment_id):
        return self._verify(request, payment_id)


class PaymentWebhookView(APIView):
    """Chapa's webhook: signed with HMAC-SHA256 of the raw body (`x-chapa-signature`)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = []

    @extend_schema(request={"application/json": dict}, responses={200: WebhookOutputSerializer})
    def post(self, request):
        # The signature covers the exact bytes: read them before anything parses the body.
        outcome = services.payment_webhook_handle(
            raw_body=request.body, signature=request.headers.get("x-chapa-signature")
        )
        return Response(WebhookOutputSerializer({"status": outcome}).data)


class OrderPaymentRecordView(APIView):
    """Staff record money received outside Chapa: cash the courier collected, a bank transfer."""

    permission_classes = [IsAdminUser, StaffPermissions]
    staff_permissions = {"POST": "orders.record_payment"}

    @extend_schema(request=PaymentRecordInputSerializer, responses={200: OrderOutputSerializer})
    def post(self, request, order_id):
        order = order_for(request, order_id, staff_permission=self.staff_permissions["POST"])
        serializer = PaymentRecordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.payment_record(order_id=order.pk, actor=request.user, **serializer.validated_data)
        return Response(
            OrderOutputSerializer(order_for(request, order.pk, staff_permission=self.staff_permissions["POST"])).data
        )


class ReturnRefundView(APIView):
    """Staff refund an approved or received return: through Chapa for a Chapa payment, or
    recorded as paid back by hand (cash, bank transfer)."""

    permission_classes = [IsAdminUser, StaffPermissions]
    staff_permissions = {"POST": "orders.refund"}

    @extend_schema(request=ReturnRefundInputSerializer, responses={200: ReturnOutputSerializer})
    def post(self, request, return_id):
        ret = return_for(request, return_id, staff_permission=self.staff_permissions["POST"])
        serializer = ReturnRefundInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.return_refund(return_id=ret.pk, actor=request.user, **serializer.validated_data)
        return return_response(request, ret.pk, staff_permission=self.staff_permissions["POST"])


class OrderReceiptView(PDFView):
    """The paid order's receipt as a PDF."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The receipt (PDF).")}
    )
    def get(self, request, order_id):
        order = order_for(request, order_id)
        return pdf_response(receipt_pdf(order=order), receipt_filename(order))


class ReturnCreditNoteView(PDFView):
    """The refunded return's credit note as a PDF."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The credit note (PDF).")}
    )
    def get(self, request, return_id):
        ret = return_for(request, return_id)
        return pdf_response(credit_note_pdf(ret=ret), credit_note_filename(ret))


# What the page says, by the payment's state after verification.
RETURN_OUTCOMES = {
    PaymentState.SUCCESS: ("paid", _("Thank you: your payment was received and your order is confirmed.")),
    PaymentState.PENDING: (
        "waiting",
        _(
            "Chapa has not confirmed your payment yet. If you paid, your order will be "
            "confirmed within a few minutes; nothing more is needed from you."
        ),
    ),
    PaymentState.FAILED: (
        "failed",
        _("The payment did not go through and nothing was charged. You can try again from your order."),
    ),
    PaymentState.CANCELLED: ("failed", _("The payment was cancelled and nothing was charged.")),
    PaymentState.REFUNDED: ("refunded", _("This payment was refunded to you.")),
}
PAID_BUT_NOT_NEEDED = _(
    "Your payment was received, but this order did not need it (it was already paid or could "
    "not be kept). We will refund the money to you."
)
CHAPA_UNREACHABLE = _(
    "We could not reach Chapa to confirm your payment just now. If you paid, your order will be "
    "confirmed within a few minutes; nothing more is needed from you."
)


@never_cache
@require_GET
@throttled_page  # each load asks Chapa's verify API, like verify/, and so is throttled like it
def payment_return_page(request, payment_id):
    """Where the customer's browser lands after Chapa's checkout: the payment is verified with
    Chapa, like verify/, and the page says in plain words how it went."""
    gateway_down = False
    try:
        payment = services.payment_verify(payment_id=payment_id)
    except Payment.DoesNotExist as exc:
        raise Http404("No such payment.") from exc
    except PaymentGatewayError:
        gateway_down = True
        payment = Payment.objects.select_related("order").get(pk=payment_id)
    payment.order.refresh_from_db(fields=["status", "payment_status"])
    outcome, message = RETURN_OUTCOMES[payment.status]
    if payment.status == PaymentState.SUCCESS and not payment.applied:
        outcome, message = "refund", PAID_BUT_NOT_NEEDED
    if gateway_down and payment.status == PaymentState.PENDING:
        message = CHAPA_UNREACHABLE
    context = {
        "payment": payment,
        "order": payment.order,
        "outcome": outcome,
        "message": message,
        "storefront_url": settings.STOREFRONT_URL,
        "shop_name": settings.SHOP_NAME,
    }
    return render(request, "payments/return.html", context, status=502 if gateway_down else 200)
