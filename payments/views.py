from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ecommerce.common.pagination import PaginatedListMixin
from orders.selectors import order_get
from payments import selectors, services
from payments.models import Payment
from payments.serializers import (
    PaymentInitiateInputSerializer,
    PaymentInitiateOutputSerializer,
    PaymentOutputSerializer,
    PaymentVerifyOutputSerializer,
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
        try:
            order = order_get(user=request.user, pk=serializer.validated_data["order_id"])
        except ObjectDoesNotExist as exc:
            raise Http404 from exc
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
        try:
            payment = services.payment_verify(payment_id=payment_id)
        except Payment.DoesNotExist as exc:
            raise Http404 from exc
        data = {"id": payment.pk, "status": payment.status}
        user = request.user
        if user.is_authenticated and (user.is_staff or user.pk == payment.order.user_id):
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
