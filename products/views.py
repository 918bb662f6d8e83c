from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS, IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from ecommerce.common.cache import cached_catalog_response, catalog_count
from ecommerce.common.pagination import CatalogPagination, PaginatedListMixin
from ecommerce.common.permissions import StaffPermissions, staff_can_view
from ecommerce.common.replicas import ReplicaReadMixin
from ecommerce.common.views import get_or_404
from products import selectors, services
from products.list_entries import product_entries_renderer
from products.models import Product, ProductImage, Variant
from products.serializers import (
    ProductDetailOutputSerializer,
    ProductFilterSerializer,
    ProductImageCreateInputSerializer,
    ProductImageOutputSerializer,
    ProductImageUpdateInputSerializer,
    ProductInputSerializer,
    ProductListStaffOutputSerializer,
    ProductOutputSerializer,
    ProductStaffOutputSerializer,
    StockAdjustInputSerializer,
    StockAdjustOutputSerializer,
    StockMovementOutputSerializer,
    VariantInputSerializer,
    VariantOutputSerializer,
    VariantUpdateInputSerializer,
)

FILTER_PARAMS = set(ProductFilterSerializer().fields)
LIST_PARAMS = {*FILTER_PARAMS, "page", "page_size", "cursor"}
STAFF_READS = "Staff who may view every product get `translations` too (and `options[].translations`)."


class ProductListCreateView(ReplicaReadMixin, PaginatedListMixin, APIView):
    permission_classes = [StaffPermissions]
    staff_permissions = {"POST": "products.add_product"}
    pagination_class = CatalogPagination
    catalog_cache_params = LIST_PARAMS

    @extend_schema(
        parameters=[ProductFilterSerializer],
        responses={200: ProductOutputSerializer(many=True)},
        description=STAFF_READS,
    )
    def get(self, request):
        def build():
            staff = staff_can_view(request.user, Product)
            products = selectors.product_list(filters=request.query_params, include_inactive=staff)
            return self.paginated_response(
                products,
                ProductListStaffOutputSerializer if staff else ProductOutputSerializer,
                count=lambda: catalog_count(request, params=FILTER_PARAMS, count=products.count),
                render=None if staff else product_entries_renderer(request, products.db),
            )

        return cached_catalog_response(request, params=self.catalog_cache_params, build=build)

    @extend_schema(request=ProductInputSerializer, responses={201: ProductStaffOutputSerializer})
    def post(self, request):
        serializer = ProductInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        product = services.product_create(actor=request.user, **serializer.validated_data)
        return Response(
            ProductStaffOutputSerializer(product, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class ProductDetailView(ReplicaReadMixin, APIView):
    permission_classes = [StaffPermissions]
    staff_permissions = {
        "PUT": "products.change_product",
        "PATCH": "products.change_product",
        "DELETE": "products.delete_product",
    }
    catalog_cache_params: set[str] = set()

    def _get(self, request, pk: int) -> Product:
        # A write got here only with its permission, which reaches inactive products too.
        include_inactive = request.method not in SAFE_METHODS or staff_can_view(request.user, Product)
        return get_or_404(selectors.product_get, pk=pk, include_inactive=include_inactive)

    @extend_schema(responses={200: ProductDetailOutputSerializer}, description=STAFF_READS)
    def get(self, request, pk: int):
        output = (
            ProductStaffOutputSerializer if staff_can_view(request.user, Product) else ProductDetailOutputSerializer
        )
        return cached_catalog_response(
            request,
            params=self.catalog_cache_params,
            build=lambda: Response(output(self._get(request, pk), context={"request": request}).data),
        )

    def _update(self, request, pk: int, partial: bool):
        product = self._get(request, pk)
        serializer = ProductInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        product = services.product_update(product=product, data=serializer.validated_data)
        return Response(ProductStaffOutputSerializer(product, context={"request": request}).data)

    @extend_schema(request=ProductInputSerializer, responses={200: ProductStaffOutputSerializer})
    def put(self, request, pk: int):
        return self._update(request, pk, partial=False)

    @extend_schema(request=ProductInputSerializer, responses={200: ProductStaffOutputSerializer})
    def patch(self, request, pk: int):
        return self._update(request, pk, partial=True)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.product_delete(product=self._get(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class _StaffProductMixin:
    permission_classes = [IsAdminUser, StaffPermissions]

    def _product(self, pk: int) -> Product:
        return get_or_404(selectors.product_get, pk=pk, include_inactive=True)

    def _variant(self, pk: int, variant_id: int) -> Variant:
        return get_or_404(selectors.variant_get, product_id=pk, pk=variant_id)

    def _image(self, pk: int, image_id: int) -> ProductImage:
        return get_or_404(selectors.product_image_get, product_id=pk, pk=image_id)


class VariantCreateView(_StaffProductMixin, APIView):
    staff_permissions = {"POST": "products.add_variant"}

    @extend_schema(request=VariantInputSerializer, responses={201: VariantOutputSerializer})
    def post(self, request, pk: int):
        product = self._product(pk)
        serializer = VariantInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        variant = services.variant_create(product=product, actor=request.user, **serializer.validated_data)
        return Response(VariantOutputSerializer(variant).data, status=status.HTTP_201_CREATED)


class VariantDetailView(_StaffProductMixin, APIView):
    staff_permissions = {"PATCH": "products.change_variant", "DELETE": "products.delete_variant"}

    @extend_schema(request=VariantUpdateInputSerializer, responses={200: VariantOutputSerializer})
    def patch(self, request, pk: int, variant_id: int):
        variant = self._variant(pk, variant_id)
        serializer = VariantUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        variant = services.variant_update(variant=variant, data=serializer.validated_data)
        return Response(VariantOutputSerializer(variant).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int, variant_id: int):
        services.variant_delete(variant=self._variant(pk, variant_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class VariantStockAdjustView(_StaffProductMixin, APIView):
    staff_permissions = {"POST": "products.adjust_stock"}

    @extend_schema(request=StockAdjustInputSerializer, responses={200: StockAdjustOutputSerializer})
    def post(self, request, pk: int, variant_id: int):
        variant = self._variant(pk, variant_id)
        serializer = StockAdjustInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        variant = services.stock_adjust(variant_id=variant.pk, actor=request.user, **serializer.validated_data)
        return Response(StockAdjustOutputSerializer({"stock": variant.stock}).data)


class StockMovementListView(_StaffProductMixin, PaginatedListMixin, APIView):
    staff_permissions = {"GET": "products.view_stockmovement"}

    @extend_schema(responses={200: StockMovementOutputSerializer(many=True)})
    def get(self, request, pk: int):
        self._product(pk)
        return self.paginated_response(selectors.stock_movement_list(product_id=pk), StockMovementOutputSerializer)


class ProductImageCreateView(_StaffProductMixin, APIView):
    staff_permissions = {"POST": "products.add_productimage"}
    # The API's only body that is not JSON.
    parser_classes = [MultiPartParser]

    @extend_schema(request=ProductImageCreateInputSerializer, responses={201: ProductImageOutputSerializer})
    def post(self, request, pk: int):
        product = self._product(pk)
        serializer = ProductImageCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        image = services.product_image_create(product=product, **serializer.validated_data)
        return Response(
            ProductImageOutputSerializer(image, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class ProductImageDetailView(_StaffProductMixin, APIView):
    staff_permissions = {"PATCH": "products.change_productimage", "DELETE": "products.delete_productimage"}

    @extend_schema(request=ProductImageUpdateInputSerializer, responses={200: ProductImageOutputSerializer})
    def patch(self, request, pk: int, image_id: int):
        image = self._image(pk, image_id)
        serializer = ProductImageUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        image = services.product_image_update(image=image, data=serializer.validated_data)
        return Response(ProductImageOutputSerializer(image, context={"request": request}).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int, image_id: int):
        services.product_image_delete(image=self._image(pk, image_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
