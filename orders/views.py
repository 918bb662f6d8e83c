import re

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ecommerce.common.pagination import PaginatedListMixin
from ecommerce.common.permissions import StaffPermissions
from ecommerce.common.throttling import ScopedRateThrottle
from ecommerce.common.views import PDFView, get_or_404, pdf_response
from orders import selectors, services
from orders.models import Order, Return
from orders.packing_slips import packing_slip_filename, packing_slips_pdf
from orders.serializers import (
    DeliveryOptionFilterSerializer,
    DeliveryOptionOutputSerializer,
    OrderCancelInputSerializer,
    OrderCreateInputSerializer,
    OrderListFilterSerializer,
    OrderOutputSerializer,
    OrderStatusUpdateInputSerializer,
    OrderTrackFilterSerializer,
    OrderTrackOutputSerializer,
    ReturnApproveInputSerializer,
    ReturnCreateInputSerializer,
    ReturnListFilterSerializer,
    ReturnOutputSerializer,
    ReturnReceiveInputSerializer,
    ReturnRejectInputSerializer,
)
from orders.services import returns as return_services

IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9_.:\-]{1,100}$")
IDEMPOTENCY_KEY_INVALID = _("Idempotency-Key must be 1 to 100 letters, digits, '-', '_', '.' or ':'.")

RETURN_LINE_TWICE = _("Name each order line once.")

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="Send the same key when retrying a checkout: the first order is returned (200) "
    "instead of a second one being placed.",
)


def order_for(request, order_id, *, staff_permission: str | None = None) -> Order:
    """The order, if the requester may see it (its customer, staff who may see orders or who
    hold `staff_permission`); otherwise a 404."""
    return get_or_404(selectors.order_get, user=request.user, pk=order_id, staff_permission=staff_permission)


def _order_response(request, order_id, status_code=status.HTTP_200_OK) -> Response:
    return Response(OrderOutputSerializer(order_for(request, order_id)).data, status=status_code)


class OrderListView(PaginatedListMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OrderListFilterSerializer], responses={200: OrderOutputSerializer(many=True)})
    def get(self, request):
        filters = OrderListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        orders = selectors.order_list(user=request.user, filters=filters.validated_data)
        return self.paginated_response(orders, OrderOutputSerializer)


class OrderCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=OrderCreateInputSerializer,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={201: OrderOutputSerializer, 200: OrderOutputSerializer},
        examples=[
            OpenApiExample(
                "Pay on Chapa",
                value={"shipping_address_id": 1, "notes": "Call when you reach the gate."},
                request_only=True,
            ),
            OpenApiExample(
                "A business with its TIN on the receipt",
                value={"shipping_address_id": 1, "buyer_tin": "0012345678"},
                request_only=True,
            ),
        ],
    )
    def post(self, request):
        key = request.headers.get("Idempotency-Key")
        if key is not None and not IDEMPOTENCY_KEY_RE.match(key):
            raise ValidationError({"Idempotency-Key": [IDEMPOTENCY_KEY_INVALID]})
        serializer = OrderCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        order, created = services.order_place_from_cart(
            user=request.user, idempotency_key=key, **serializer.validated_data
        )
        if not created:
            return _order_response(request, order.pk)
        # The order as checkout wrote it, lines and first event included: nothing is read back.
        return Response(OrderOutputSerializer(order).data, status=status.HTTP_201_CREATED)


class OrderDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OrderOutputSerializer})
    def get(self, request, order_id):
        return _order_response(request, order_id)


class OrderCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=OrderCancelInputSerializer, responses={200: OrderOutputSerializer})
    def post(self, request, order_id):
        # The customer's cancel; staff cancel another customer's order only if they may change orders.
        order = order_for(request, order_id, staff_permission="orders.change_order")
        serializer = OrderCancelInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.order_cancel(order_id=order.pk, actor=request.user, note=serializer.validated_data["note"])
        return _order_response(request, order.pk)


class OrderStatusUpdateView(APIView):
    permission_classes = [IsAdminUser, StaffPermissions]
    staff_permissions = {"PATCH": "orders.change_order"}

    @extend_schema(request=OrderStatusUpdateInputSerializer, responses={200: OrderOutputSerializer})
    def patch(self, request, order_id):
        order = order_for(request, order_id, staff_permission=self.staff_permissions["PATCH"])
        serializer = OrderStatusUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.order_status_change(
            order_id=order.pk,
            new_status=serializer.validated_data["status"],
            actor=request.user,
            note=serializer.validated_data["note"],
            tracking=serializer.validated_data.get("tracking"),
        )
        return _order_response(request, order.pk)


class OrderTrackView(APIView):
    """How an order is going, for anyone who has its number and its shipping phone (a guest
    who checked out, someone waiting for the parcel); nothing personal is shown. A wrong phone
    and an unknown number are the same 404."""

    permission_classes = [AllowAny]
    # Whoever asks, signed in or not (an expired login is no reason to refuse), is one client.
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "track"

    @extend_schema(parameters=[OrderTrackFilterSerializer], responses={200: OrderTrackOutputSerializer})
    def get(self, request):
        params = OrderTrackFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        order = get_or_404(selectors.order_track, **params.validated_data)
        return Response(OrderTrackOutputSerializer(order).data)


class OrderPackingSlipView(PDFView):
    """What the packer needs of one order, as a PDF with no prices."""

    permission_classes = [IsAdminUser, StaffPermissions]
    # Reading an order: its view permission, or its change permission, as in the admin.
    staff_permissions = {"GET": "orders.view_order"}

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The order's packing slip (PDF): its lines, no prices."
            )
        }
    )
    def get(self, request, order_id):
        order = order_for(request, order_id)
        return pdf_response(packing_slips_pdf(orders=[order]), packing_slip_filename(order))


class DeliveryOptionListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[DeliveryOptionFilterSerializer], responses={200: DeliveryOptionOutputSerializer(many=True)}
    )
    def get(self, request):
        filters = DeliveryOptionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        options = get_or_404(selectors.delivery_option_list, user=request.user, **filters.validated_data)
        return Response(DeliveryOptionOutputSerializer(options, many=True).data)


def return_for(request, return_id, *, staff_permission: str | None = None) -> Return:
    """The return, if the requester may see it (its customer, staff who may see returns or who
    hold `staff_permission`); otherwise a 404."""
    return get_or_404(selectors.return_get, user=request.user, pk=return_id, staff_permission=staff_permission)


def return_response(request, return_id, status_code=status.HTTP_200_OK, staff_permission: str | None = None):
    ret = return_for(request, return_id, staff_permission=staff_permission)
    return Response(ReturnOutputSerializer(ret).data, status=status_code)


class OrderReturnCreateView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=ReturnCreateInputSerializer, responses={201: ReturnOutputSerializer})
    def post(self, request, order_id):
        order = order_for(request, order_id)
        if order.user_id != request.user.pk:
            raise Http404  # staff see every order, but only its customer returns its items
        serializer = ReturnCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ret = return_services.return_request(order_id=order.pk, actor=request.user, **serializer.validated_data)
        return return_response(request, ret.pk, status.HTTP_201_CREATED)


class ReturnListView(PaginatedListMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[ReturnListFilterSerializer], responses={200: ReturnOutputSerializer(many=True)})
    def get(self, request):
        filters = ReturnListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        returns = selectors.return_list(user=request.user, filters=filters.validated_data)
        return self.paginated_response(returns, ReturnOutputSerializer)


class ReturnDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ReturnOutputSerializer})
    def get(self, request, return_id):
        return return_response(request, return_id)


class ReturnCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: ReturnOutputSerializer})
    def post(self, request, return_id):
        ret = return_for(request, return_id)
        if ret.order.user_id != request.user.pk:
            raise Http404  # only its customer withdraws a return; staff reject it
        return_services.return_cancel(return_id=ret.pk, actor=request.user)
        return return_response(request, ret.pk)


class _ReturnStaffView(APIView):
    """A staff move of a return: the return model's change permission, as in the admin."""

    permission_classes = [IsAdminUser, StaffPermissions]
    staff_permissions = {"POST": "orders.change_return"}

    def move(self, request, return_id, input_serializer, act) -> Response:
        ret = return_for(request, return_id, staff_permission=self.staff_permissions["POST"])
        serializer = input_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        act(ret, serializer.validated_data)
        return return_response(request, ret.pk, staff_permission=self.staff_permissions["POST"])


class ReturnApproveView(_ReturnStaffView):
    @extend_schema(request=ReturnApproveInputSerializer, responses={200: ReturnOutputSerializer})
    def post(self, request, return_id):
        return self.move(
            request,
            return_id,
            ReturnApproveInputSerializer,
            lambda ret, data: return_services.return_approve(return_id=ret.pk, actor=request.user, **data),
        )


class ReturnRejectView(_ReturnStaffView):
    @extend_schema(request=ReturnRejectInputSerializer, responses={200: ReturnOutputSerializer})
    def post(self, request, return_id):
        return self.move(
            request,
            return_id,
            ReturnRejectInputSerializer,
            lambda ret, data: return_services.return_reject(return_id=ret.pk, actor=request.user, **data),
        )


class ReturnReceiveView(_ReturnStaffView):
    @extend_schema(request=ReturnReceiveInputSerializer, responses={200: ReturnOutputSerializer})
    def post(self, request, return_id):
        def receive(ret, data):
            conditions = {line["order_item_id"]: line["condition"] for line in data["lines"]}
            if len(conditions) != len(data["lines"]):
                raise ValidationError({"lines": [RETURN_LINE_TWICE]})
            return_services.return_receive(
                return_id=ret.pk, actor=request.user, conditions=conditions, note=data["note"]
            )

        return self.move(request, return_id, ReturnReceiveInputSerializer, receive)
