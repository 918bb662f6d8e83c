from rest_framework import pagination, serializers

from ecommerce.common.serializers import AsciiIntegerField


class PageParamsSerializer(serializers.Serializer):
    page = AsciiIntegerField(min_value=1, required=False)
    # No upper bound: a larger page size is capped at max_page_size, not refused.
    page_size = AsciiIntegerField(min_value=1, required=False)


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=N` (default 20, at most 100). A page or page size that is not a
    positive integer is a 400 rather than being silently replaced by the default."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        PageParamsSerializer(data=request.query_params).is_valid(raise_exception=True)
        return super().paginate_queryset(queryset, request, view)


# For APIViews with a list GET: pages the queryset, and lets drf-spectacular document the page
# parameters and the `{count, next, previous, results}` envelope. (A comment, not a docstring:
# drf-spectacular would show a docstring as every list endpoint's description.)
class PaginatedListMixin:
    pagination_class = PageNumberPagination

    def paginated_response(self, queryset, serializer_class):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        data = serializer_class(page, many=True, context={"request": self.request}).data
        return paginator.get_paginated_response(data)
