"""The reference the benchmark holds the shop to: the same catalog endpoints written the plain
DRF way (ModelSerializers, ReadOnlyModelViewSets, DRF's own filter, search, ordering and page
number classes; no cache), and a bare Django view for the cost of the request path itself.
Served by the same gunicorn as the shop, under /bench/ (bench/urls.py)."""

from django.http import JsonResponse
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, pagination, serializers, viewsets
from rest_framework.permissions import AllowAny

from categories.models import Category
from products.models import Product, Variant


def bare(request):
    return JsonResponse({"status": "ok"})


class Pages(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description"]


class VariantSerializer(serializers.ModelSerializer):
    price = serializers.DecimalField(max_digits=12, decimal_places=2, source="unit_price")

    class Meta:
        model = Variant
        fields = ["id", "sku", "price", "stock", "is_active"]


class ProductSerializer(serializers.ModelSerializer):
    category = CategorySerializer()
    variants = VariantSerializer(many=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "title",
            "slug",
            "description",
            "price",
            "price_max",
            "currency",
            "category",
            "stock",
            "is_active",
            "rating_avg",
            "review_count",
            "option_summary",
            "variants",
            "created_at",
            "updated_at",
        ]


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Category.objects.order_by("name", "pk")
    serializer_class = CategorySerializer
    pagination_class = Pages
    permission_classes = [AllowAny]


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        Product.objects.filter(is_active=True)
        .select_related("category")
        .prefetch_related("variants")
        .order_by("-created_at", "-pk")
    )
    serializer_class = ProductSerializer
    pagination_class = Pages
    permission_classes = [AllowAny]
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_fields = {"category__id": ["exact"], "category__slug": ["exact"]}
    search_fields = ["title", "description"]
    ordering_fields = ["price", "created_at", "title", "rating_avg"]
