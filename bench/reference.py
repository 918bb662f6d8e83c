"""The reference the benchmark holds the shop to: the same catalog endpoints, with the same
fields (images included), written the plain DRF way (ModelSerializers, ReadOnlyModelViewSets,
DRF's own filter, search, ordering and page number classes; no cache), and a bare Django view
for the cost of the request path itself. Served by the same gunicorn as the shop, under /bench/
(bench/urls.py)."""

from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import JsonResponse
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import filters, pagination, serializers, viewsets
from rest_framework.permissions import AllowAny

from categories.models import Category
from products.models import Product, ProductImage, Variant
from products.serializers import ProductDetailOutputSerializer, ProductImageOutputSerializer, ProductOutputSerializer


def bare(request):
    return JsonResponse({"status": "ok"})


class Pages(pagination.PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug", "description", "product_count"]


class ProductCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "name", "slug"]


class VariantSerializer(serializers.ModelSerializer):
    price = serializers.DecimalField(max_digits=12, decimal_places=2, source="unit_price")
    in_stock = serializers.BooleanField()

    class Meta:
        model = Variant
        fields = ["id", "sku", "options", "price", "stock", "in_stock", "is_active"]


class ImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    thumbnail = serializers.SerializerMethodField()
    medium = serializers.SerializerMethodField()
    large = serializers.SerializerMethodField()

    class Meta:
        model = ProductImage
        fields = ProductImageOutputSerializer.Meta.fields

    def _url(self, name):
        return self.context["request"].build_absolute_uri(default_storage.url(name)) if name else None

    def get_url(self, image):
        return self._url(image.file)

    def get_thumbnail(self, image):
        return self._url(image.thumbnail)

    def get_medium(self, image):
        return self._url(image.medium)

    def get_large(self, image):
        return self._url(image.large)


class ProductSerializer(serializers.ModelSerializer):
    """The shop's product fields, made by DRF's generic path."""

    category = ProductCategorySerializer()
    in_stock = serializers.BooleanField()
    image = serializers.SerializerMethodField()
    options = serializers.JSONField(source="option_summary")
    variants = VariantSerializer(many=True)

    class Meta:
        model = Product
        fields = ProductOutputSerializer.Meta.fields  # the same answer as the shop's

    def get_image(self, product):
        images = list(product.images.all())
        return ImageSerializer(images[0], context=self.context).data if images else None


class ProductDetailSerializer(ProductSerializer):
    images = ImageSerializer(many=True)

    class Meta(ProductSerializer.Meta):
        fields = ProductDetailOutputSerializer.Meta.fields


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Category.objects.order_by("name", "pk")
    serializer_class = CategorySerializer
    pagination_class = Pages
    permission_classes = [AllowAny]


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = (
        Product.objects.filter(is_active=True)
        .select_related("category")
        .prefetch_related("variants", Prefetch("images", queryset=ProductImage.objects.order_by("position", "pk")))
        .order_by("-created_at", "-pk")
    )
    pagination_class = Pages
    permission_classes = [AllowAny]
    filter_backends = [DjangoFilterBackend, filters.SearchFilter, filters.OrderingFilter]
    filterset_fields = {"category__id": ["exact"], "category__slug": ["exact"]}
    search_fields = ["title", "description"]
    ordering_fields = ["price", "created_at", "title", "rating_avg"]

    def get_serializer_class(self):
        return ProductDetailSerializer if self.action == "retrieve" else ProductSerializer
