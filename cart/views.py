from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cart import selectors, services
from cart.serializers import CartItemAddInputSerializer, CartItemUpdateInputSerializer, CartOutputSerializer


def _cart_response(user, status_code=status.HTTP_200_OK) -> Response:
    return Response(CartOutputSerializer(selectors.cart_get(user=user)).data, status=status_code)


class CartDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: CartOutputSerializer})
    def get(self, request):
        return _cart_response(request.user)


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
        return Response(CartOutputSerializer(contents).data, status=status.HTTP_201_CREATED)


class CartItemDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=CartItemUpdateInputSerializer, responses={200: CartOutputSerializer})
    def patch(self, request, pk: int):
        serializer = CartItemUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.cart_item_update_quantity(user=request.user, item_id=pk, **serializer.validated_data)
        except ObjectDoesNotExist as exc:
            raise Http404 from exc
        return _cart_response(request.user)

    @extend_schema(responses={200: CartOutputSerializer})
    def delete(self, request, pk: int):
        try:
            services.cart_item_remove(user=request.user, item_id=pk)
        except ObjectDoesNotExist as exc:
            raise Http404 from exc
        return _cart_response(request.user)


class CartClearView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: CartOutputSerializer})
    def delete(self, request):
        services.cart_clear(user=request.user)
        return _cart_response(request.user)
