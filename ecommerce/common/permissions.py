from rest_framework.permissions import SAFE_METHODS, BasePermission


def is_staff_request(request) -> bool:
    return bool(request.user and request.user.is_authenticated and request.user.is_staff)


class IsStaffOrReadOnly(BasePermission):
    """Anyone may read; only staff may write."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return is_staff_request(request)
