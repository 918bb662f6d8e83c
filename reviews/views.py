from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ecommerce.common.pagination import PaginatedListMixin
from ecommerce.common.replicas import ReplicaReadMixin
from ecommerce.common.views import get_or_404
from reviews import selectors, services
from reviews.models import Review
from reviews.serializers import (
    ReviewCreateInputSerializer,
    ReviewFilterSerializer,
    ReviewOutputSerializer,
    ReviewUpdateInputSerializer,
)


class _ReadPublicWriteAuthenticated:
    def get_permissions(self):
        return [AllowAny()] if self.request.method in SAFE_METHODS else [IsAuthenticated()]


class ReviewListCreateView(ReplicaReadMixin, _ReadPublicWriteAuthenticated, PaginatedListMixin, APIView):
    @extend_schema(parameters=[ReviewFilterSerializer], responses={200: ReviewOutputSerializer(many=True)})
    def get(self, request):
        filters = ReviewFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        reviews = selectors.review_list(user=request.user, **filters.validated_data)
        return self.paginated_response(reviews, ReviewOutputSerializer)

    @extend_schema(request=ReviewCreateInputSerializer, responses={201: ReviewOutputSerializer})
    def post(self, request):
        serializer = ReviewCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_create(user=request.user, **serializer.validated_data)
        return Response(ReviewOutputSerializer(review).data, status=status.HTTP_201_CREATED)


class ReviewDetailView(ReplicaReadMixin, _ReadPublicWriteAuthenticated, APIView):
    def _get(self, request, pk: int) -> Review:
        return get_or_404(selectors.review_get, user=request.user, pk=pk)

    @extend_schema(responses={200: ReviewOutputSerializer})
    def get(self, request, pk: int):
        return Response(ReviewOutputSerializer(self._get(request, pk)).data)

    @extend_schema(request=ReviewUpdateInputSerializer, responses={200: ReviewOutputSerializer})
    def patch(self, request, pk: int):
        review = self._get(request, pk)
        serializer = ReviewUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        review = services.review_update(review=review, user=request.user, data=serializer.validated_data)
        return Response(ReviewOutputSerializer(review).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.review_delete(review=self._get(request, pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
