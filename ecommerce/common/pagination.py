from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=N` (default 20, at most 100). A page or page size that is not a
    positive integer is a 400 rather than being silently replaced by the default."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        for param in (self.page_query_param, self.page_size_query_param):
            raw = request.query_params.get(param)
            if raw is not None and not (raw.isdigit() and int(raw) >= 1):
                raise ValidationError({param: ["Must be a positive integer."]})
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
