from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from categories import selectors, services
from categories.models import Category
from categories.serializers import CategoryInputSerializer, CategoryOutputSerializer, CategoryStaffOutputSerializer
from ecommerce.common.cache import cached_catalog_response
from ecommerce.common.pagination import PaginatedListMixin
from ecommerce.common.permissions import StaffPermissions, staff_can_view
from ecommerce.common.replicas import ReplicaReadMixin

STAFF_READS = "Staff who may view categories get `translations` too."


def _output(request):
    return CategoryStaffOutputSerializer if staff_can_view(request.user, Category) else CategoryOutputSerializer


class CategoryListCreateView(ReplicaReadMixin, PaginatedListMixin, APIView):
    permission_classes = [StaffPermissions]
    staff_permissions = {"POST": "categories.add_category"}
    catalog_cache_params = {"page", "page_size"}

    @extend_schema(responses={200: CategoryOutputSerializer(many=True)}, description=STAFF_READS)
    def get(self, request):
        return cached_catalog_response(
            request,
            params=self.catalog_cache_params,
            build=lambda: self.paginated_response(selectors.category_list(), _output(request)),
        )

    @extend_schema(request=CategoryInputSerializer, responses={201: CategoryStaffOutputSerializer})
    def post(self, request):
        serializer = CategoryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        category = services.category_create(**serializer.validated_data)
        return Response(
            CategoryStaffOutputSerializer(selectors.category_get(pk=category.pk)).data, status=status.HTTP_201_CREATED
        )


class CategoryDetailView(ReplicaReadMixin, APIView):
    permission_classes = [StaffPermissions]
    staff_permissions = {
        "PUT": "categories.change_category",
        "PATCH": "categories.change_category",
        "DELETE": "categories.delete_category",
    }

    def _get(self, pk: int) -> Category:
        return get_object_or_404(selectors.category_list(), pk=pk)

    @extend_schema(responses={200: CategoryOutputSerializer}, description=STAFF_READS)
    def get(self, request, pk: int):
        return Response(_output(request)(self._get(pk)).data)

    def _update(self, request, pk: int, partial: bool):
        serializer = CategoryInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        category = services.category_update(category=self._get(pk), data=serializer.validated_data)
        return Response(CategoryStaffOutputSerializer(self._get(category.pk)).data)

    @extend_schema(request=CategoryInputSerializer, responses={200: CategoryStaffOutputSerializer})
    def put(self, request, pk: int):
        return self._update(request, pk, partial=False)

    @extend_schema(request=CategoryInputSerializer, responses={200: CategoryStaffOutputSerializer})
    def patch(self, request, pk: int):
        return self._update(request, pk, partial=True)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.category_delete(category=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
