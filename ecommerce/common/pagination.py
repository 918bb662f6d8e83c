from collections.abc import Callable

import orjson
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import TupleGreaterThan, TupleLessThan
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination, serializers
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from ecommerce.common.serializers import AsciiIntegerField

INVALID_CURSOR = _("This cursor is not one this list gave out (or it belongs to another ordering).")


class PageParamsSerializer(serializers.Serializer):
    page = AsciiIntegerField(min_value=1, required=False)
    # No upper bound: a larger page size is capped at max_page_size, not refused.
    page_size = AsciiIntegerField(min_value=1, required=False)


class PagedQuerySet:
    """A queryset as the paginator sees it: counted by `count` (e.g. once per catalog version,
    from the cache, so that paging through it does not count the whole match again for every
    page), and its page turned into rows by `render` (the page's rows as JSON texts) instead
    of being loaded."""

    ordered = True

    def __init__(self, queryset: QuerySet, *, count: Callable[[], int] | None, render: Callable | None):
        self.queryset, self._count, self._render = queryset, count or queryset.count, render

    def count(self) -> int:
        return self._count()

    def __getitem__(self, key):
        page = self.queryset[key]
        return page if self._render is None else self._render(page)


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=N` (default 20, at most 100). A page or page size that is not a
    positive integer is a 400 rather than being silently replaced by the default."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        PageParamsSerializer(data=request.query_params).is_valid(raise_exception=True)
        return super().paginate_queryset(queryset, request, view)


class KeysetCursorPagination(PageNumberPagination):
    """`?cursor=` (empty for the first page): pages for infinite scrolling that cost the same at
    any depth. The cursor holds the last row's (ordering value, primary key), signed so that a
    tampered one is a 400; the next page is `(field, pk) > (value, pk)` in the walk's direction,
    one index range (each ordering has an index on (field, id)). Ties on the ordering field are
    broken by the primary key in the same direction, so no row is skipped or repeated.
    The answer is `{next, previous, results}`: no count, which would cost a scan."""

    cursor_query_param = "cursor"
    salt = "ecommerce.pagination.cursor"

    def paginate_queryset(self, queryset, request, view=None):
        PageParamsSerializer(data=request.query_params).is_valid(raise_exception=True)
        self.request = request
        self.page_size = self.get_page_size(request)
        self.field, self.descending = _first_ordering(queryset)
        raw = request.query_params.get(self.cursor_query_param, "")
        position = self._decode(queryset, raw) if raw else None
        backwards = bool(position and position["back"])
        walk_descending = self.descending != backwards
        keys = (self.field, "pk") if self.field != "pk" else ("pk",)
        queryset = queryset.order_by(*(f"-{key}" if walk_descending else key for key in keys))
        if position is not None:
            lookup = TupleLessThan if walk_descending else TupleGreaterThan
            queryset = queryset.filter(lookup(tuple(F(key) for key in keys), position["values"]))
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
        # Walking forwards, a previous page exists when we started from a cursor; backwards, the
        # other way round.
        self.has_next = more if not backwards else position is not None
        self.has_previous = position is not None if not backwards else more
        self.rows = rows
        return rows

    def _decode(self, queryset, raw: str) -> dict:
        try:
            data = signing.loads(raw, salt=self.salt)
            if data["f"] != self.field or data["d"] != self.descending:
                raise ValueError("another ordering")
            model_fields = [queryset.model._meta.get_field(self.field), queryset.model._meta.pk]
            values = [field.to_python(value) for field, value in zip(model_fields, data["v"], strict=False)]
            return {"values": tuple(values[: 1 if self.field == "pk" else 2]), "back": bool(data["b"])}
        except (signing.BadSignature, KeyError, TypeError, ValueError, FieldDoesNotExist, DjangoValidationError) as exc:
            raise serializers.ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from exc

    def _link(self, row, *, back: bool) -> str:
        field = row._meta.pk if self.field == "pk" else row._meta.get_field(self.field)
        values = [field.value_to_string(row), row._meta.pk.value_to_string(row)]
        token = signing.dumps({"f": self.field, "d": self.descending, "v": values, "b": back}, salt=self.salt)
        url = remove_query_param(self.request.build_absolute_uri(), "page")
        return replace_query_param(url, self.cursor_query_param, token)

    def get_next_link(self):
        return self._link(self.rows[-1], back=False) if self.has_next and self.rows else None

    def get_previous_link(self):
        return self._link(self.rows[0], back=True) if self.has_previous and self.rows else None

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})


def _first_ordering(queryset: QuerySet) -> tuple[str, bool]:
    order = queryset.query.order_by or queryset.model._meta.ordering or ["pk"]
    first = str(order[0])
    name = first.lstrip("-")
    return ("pk" if name == "id" else name), first.startswith("-")


class CatalogPagination(PageNumberPagination):
    """Page numbers, or cursor pages when the request has a `cursor` parameter (even empty)."""

    def get_paginated_response_schema(self, schema):
        envelope = super().get_paginated_response_schema(schema)
        envelope["required"] = ["next", "previous", "results"]
        envelope["properties"]["count"]["description"] = "Absent in cursor mode (`cursor=`)."
        return envelope

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": KeysetCursorPagination.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Cursor pages: empty for the first page, then the `next` or `previous` link's value.",
                "schema": {"type": "string"},
            },
        ]


# For APIViews with a list GET: pages the queryset, and lets drf-spectacular document the page
# parameters and the `{count, next, previous, results}` envelope. (A comment, not a docstring:
# drf-spectacular would show a docstring as every list endpoint's description.)
class PaginatedListMixin:
    pagination_class = PageNumberPagination

    def paginated_response(
        self,
        queryset,
        serializer_class,
        *,
        count: Callable[[], int] | None = None,
        render: Callable[[QuerySet], list[str]] | None = None,
    ) -> HttpResponseBase:
        """In page-number mode, `count`, when given, counts the rows instead of the queryset, and
        `render`, when given, makes a page's rows JSON texts (each what `serializer_class` would
        make of the row), which are joined into the answer as they are."""
        if KeysetCursorPagination.cursor_query_param in self.request.query_params and issubclass(
            self.pagination_class, CatalogPagination
        ):
            paginator = KeysetCursorPagination()
        else:
            paginator = self.pagination_class()
            if count is not None or render is not None:
                queryset = PagedQuerySet(queryset, count=count, render=render)
            if render is not None:
                rows = paginator.paginate_queryset(queryset, self.request, view=self)
                return _rendered_page(paginator, rows)
        page = paginator.paginate_queryset(queryset, self.request, view=self)
        data = serializer_class(page, many=True, context={"request": self.request}).data
        return paginator.get_paginated_response(data)


def _rendered_page(paginator: PageNumberPagination, rows: list[str]) -> HttpResponse:
    """The page-number envelope around rows that are JSON already."""
    envelope = {
        "count": paginator.page.paginator.count,
        "next": paginator.get_next_link(),
        "previous": paginator.get_previous_link(),
    }
    body = b"".join((orjson.dumps(envelope)[:-1], b',"results":[', ",".join(rows).encode(), b"]}"))
    return HttpResponse(body, content_type="application/json")
