from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cart import selectors, services
from cart.serializers import CartItemAddInputSerializer, CartItemUpdateInputSerializer, CartOutputSerializer
from ecommerce.common.views import get_or_404


def _cart_response(request, status_code=status.HTTP_200_OK) -> Response:
    contents = selectors.cart_get(user=request.user)
    return Response(CartOutputSerializer(contents, context={"request": request}).data, status=status_code)


class CartDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: CartOutputSerializer})
    def get(self, request):
        return _cart_response(request)


class CartItemAddView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
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
        contents = services.cart_item_add(user=request.user, **serializer.validated_data)
        return Response(
            CartOutputSerializer(contents, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class CartItemDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CartItemUpdateInputSerializer, responses={200: CartOutputSerializer})
    def patch(self, request, pk: int):
        serializer = CartItemUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        get_or_404(services.cart_item_update_quantity, user=request.user, item_id=pk, **serializer.validated_data)
        return _cart_response(request)

    @extend_schema(responses={200: CartOutputSerializer})
    def delete(self, request, pk: int):
        get_or_404(services.cart_item_remove, user=request.user, item_id=pk)
        return _cart_response(request)


class CartClearView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: CartOutputSerializer})
    def delete(self, request):
        services.cart_clear(user=request.user)
        return _cart_response(request)
