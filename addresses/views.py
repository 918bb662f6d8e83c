from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from addresses import selectors, services
from addresses.models import Address
from addresses.serializers import AddressInputSerializer, AddressOutputSerializer
from ecommerce.common.pagination import PaginatedListMixin
from ecommerce.common.views import get_or_404


class AddressListCreateView(PaginatedListMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: AddressOutputSerializer(many=True)})
    def get(self, request):
        return self.paginated_response(selectors.address_list(user=request.user), AddressOutputSerializer)

    @extend_schema(request=AddressInputSerializer, responses={201: AddressOutputSerializer})
    def post(self, request):
        serializer = AddressInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        address = services.address_create(user=request.user, **serializer.validated_data)
        return Response(AddressOutputSerializer(address).data, status=status.HTTP_201_CREATED)


class AddressDetailView(APIView):
    permission_classes = [IsAuthenticated]

    def _get(self, request, pk: int) -> Address:
        return get_or_404(selectors.address_get, user=request.user, pk=pk)

    @extend_schema(responses={200: AddressOutputSerializer})
    def get(self, request, pk: int):
        return Response(AddressOutputSerializer(self._get(request, pk)).data)

    @extend_schema(request=AddressInputSerializer, responses={200: AddressOutputSerializer})
    def patch(self, request, pk: int):
        address = self._get(request, pk)
        serializer = AddressInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        address = services.address_update(address=address, data=serializer.validated_data)
        return Response(AddressOutputSerializer(address).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk: int):
        services.address_delete(address=self._get(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
