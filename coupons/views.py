from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from coupons import selectors, services
from coupons.error_codes import REASON_MESSAGES
from coupons.models import Coupon
from coupons.serializers import (
    CouponInputSerializer,
    CouponOutputSerializer,
    CouponValidateInputSerializer,
    CouponValidateOutputSerializer,
)
from ecommerce.common.pagination import PaginatedListMixin
from ecommerce.common.permissions import StaffPermissions
from ecommerce.common.views import get_or_404


class CouponListCreateView(PaginatedListMixin, APIView):
    permission_classes = [IsAuthenticated, StaffPermissions]
    staff_permissions = {"POST": "coupons.add_coupon"}

    @extend_schema(responses={200: CouponOutputSerializer(many=True)})
    def get(self, request):
        return self.paginated_response(selectors.coupon_list(user=request.user), CouponOutputSerializer)

    @extend_schema(request=CouponInputSerializer, responses={201: CouponOutputSerializer})
    def post(self, request):
        serializer = CouponInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        coupon = services.coupon_create(**serializer.validated_data)
        return Response(
            CouponOutputSerializer(coupon, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class CouponDetailView(APIView):
    permission_classes = [IsAdminUser, StaffPermissions]
    staff_permissions = {
        "GET": "coupons.view_coupon",
        "PATCH": "coupons.change_coupon",
        "DELETE": "coupons.delete_coupon",
    }

    def _get(self, pk: int) -> Coupon:
        return get_or_404(Coupon.objects.get, pk=pk)

    @extend_schema(responses={200: CouponOutputSerializer})
    def get(self, request, pk: int):
        return Response(CouponOutputSerializer(self._get(pk), context={"request": request}).data)

    @extend_schema(request=CouponInputSerializer, responses={200: CouponOutputSerializer})
    def patch(self, request, pk: int):
        coupon = self._get(pk)
        serializer = CouponInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        coupon = services.coupon_update(coupon=coupon, data=serializer.validated_data)
        return Response(CouponOutputSerializer(coupon, context={"request": request}).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.coupon_delete(coupon=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CouponValidateView(APIView):
    """Preview a coupon against a subtotal. Always 200: `valid` says whether it applies."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=CouponValidateInputSerializer, responses={200: CouponValidateOutputSerializer})
    def post(self, request):
        serializer = CouponValidateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subtotal = serializer.validated_data["subtotal"]
        check = selectors.coupon_check(code=serializer.validated_data["code"], user=request.user, subtotal=subtotal)
        if check.valid:
            data = {
                "valid": True,
                "code": check.code,
                "discount_amount": check.discount,
                "subtotal": subtotal,
                "total": subtotal - check.discount,
            }
        else:
            data = {"valid": False, "code": check.code, "reason": check.reason, "detail": REASON_MESSAGES[check.reason]}
        return Response(CouponValidateOutputSerializer(data).data)
