from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cart import selectors, services
from cart.serializers import (
    CartItemAddInputSerializer,
    CartItemUpdateInputSerializer,
    CartMergeInputSerializer,
    CartMergeOutputSerializer,
    CartOutputSerializer,
)
from ecommerce.common.throttling import ScopedRateThrottle
from ecommerce.common.views import get_or_404

CART_TOKEN_HEADER = "X-Cart-Token"
CART_TOKEN_PARAMETER = OpenApiParameter(
    CART_TOKEN_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="A guest's cart, without signing in: the token add/ answered with. Ignored when "
    "an Authorization header signs the request in (the customer's own cart is meant; merge/ folds "
    "a guest cart into it). An unknown or expired token is a 404 `cart_not_found`.",
)
CART_TOKEN_RESPONSE_HEADER = OpenApiParameter(
    CART_TOKEN_HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=True,
    description="A guest cart's token, as in the body's `token`; absent for a signed-in customer's cart.",
)
GUEST_CART = [CART_TOKEN_PARAMETER, CART_TOKEN_RESPONSE_HEADER]
# Signed in, or the token of a guest cart (the cartToken scheme of SPECTACULAR_SETTINGS).
SIGNED_IN_OR_GUEST = [{"jwtAuth": []}, {"cartToken": []}]


def _holder(request) -> dict:
    """Whose cart the request means, as services and selectors name it: the signed-in
    customer's (an X-Cart-Token sent as well is ignored), else the guest cart of X-Cart-Token."""
    if request.user.is_authenticated:
        return {"user": request.user}
    return {"token": request.headers.get(CART_TOKEN_HEADER)}


def _contents_response(contents, request, status_code=status.HTTP_200_OK, serializer=CartOutputSerializer):
    response = Response(serializer(contents, context={"request": request}).data, status=status_code)
    if contents.token is not None:
        response[CART_TOKEN_HEADER] = contents.token
    return response


def _cart_response(request, status_code=status.HTTP_200_OK) -> Response:
    holder = _holder(request)
    contents = selectors.cart_get(**holder) if "user" in holder else selectors.guest_cart_get(**holder)
    return _contents_response(contents, request, status_code)


class SignedInOrCartToken(BasePermission):
    """A signed-in customer, or a guest who sends the token of a cart; neither is a 401."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated) or CART_TOKEN_HEADER in request.headers


class GuestCartCreateThrottle(ScopedRateThrottle):
    """Counts only the requests that would create a guest cart (no login, no cart token), per
    client address (THROTTLE_GUEST_CART): every other cart request passes."""

    def get_cache_key(self, request, view):
        if request.user.is_authenticated or CART_TOKEN_HEADER in request.headers:
            return None
        return super().get_cache_key(request, view)


class CartDetailView(APIView):
    permission_classes = [SignedInOrCartToken]

    @extend_schema(parameters=GUEST_CART, auth=SIGNED_IN_OR_GUEST, responses={200: CartOutputSerializer})
    def get(self, request):
        return _cart_response(request)


class CartItemAddView(APIView):
    # Anyone: without a login or a cart token, the first add creates a guest cart.
    permission_classes = []
    throttle_classes = [*APIView.throttle_classes, GuestCartCreateThrottle]
    throttle_scope = "guest_cart"

    @extend_schema(
        parameters=GUEST_CART,
        auth=[*SIGNED_IN_OR_GUEST, {}],
        request=CartItemAddInputSerializer,
        responses={201: CartOutputSerializer},
        # Either id, never both: the first product of the demo catalog, then its only variant.
        examples=[
            OpenApiExample("A product sold in one variant", value={"product_id": 1, "quantity": 1}, request_only=True),
            OpenApiExample("A size or colour of a product", value={"variant_id": 1, "quantity": 1}, request_only=True),
        ],
    )
    def post(self, request):
        serializer = CartItemAddInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contents = services.cart_item_add(**_holder(request), **serializer.validated_data)
        return _contents_response(contents, request, status.HTTP_201_CREATED)


class CartItemDetailView(APIView):
    permission_classes = [SignedInOrCartToken]

    @extend_schema(
        parameters=GUEST_CART,
        auth=SIGNED_IN_OR_GUEST,
        request=CartItemUpdateInputSerializer,
        responses={200: CartOutputSerializer},
    )
    def patch(self, request, pk: int):
        serializer = CartItemUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        get_or_404(services.cart_item_update_quantity, **_holder(request), item_id=pk, **serializer.validated_data)
        return _cart_response(request)

    @extend_schema(parameters=GUEST_CART, auth=SIGNED_IN_OR_GUEST, responses={200: CartOutputSerializer})
    def delete(self, request, pk: int):
        get_or_404(services.cart_item_remove, **_holder(request), item_id=pk)
        return _cart_response(request)


class CartClearView(APIView):
    permission_classes = [SignedInOrCartToken]

    @extend_schema(parameters=GUEST_CART, auth=SIGNED_IN_OR_GUEST, responses={200: CartOutputSerializer})
    def delete(self, request):
        services.cart_clear(**_holder(request))
        return _cart_response(request)


class CartMergeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CartMergeInputSerializer, responses={200: CartMergeOutputSerializer})
    def post(self, request):
        serializer = CartMergeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        merged = services.cart_merge(user=request.user, token=serializer.validated_data["cart_token"])
        return _contents_response(merged, request, serializer=CartMergeOutputSerializer)
