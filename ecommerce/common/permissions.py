from rest_framework.permissions import SAFE_METHODS, BasePermission


def is_staff_request(request) -> bool:
    return bool(request.user and request.user.is_authenticated and request.user.is_staff)


def staff_can(user, permission: str) -> bool:
    """What the admin would let this person do: an active staff member holding the Django
    permission (superusers hold every one). `is_staff` alone only lets them in."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff and user.has_perm(permission))


def staff_can_view(user, model) -> bool:
    """Whether staff see every row of `model` (not only their own), as the admin decides it:
    the view or the change permission."""
    opts = model._meta
    return staff_can(user, f"{opts.app_label}.view_{opts.model_name}") or staff_can(
        user, f"{opts.app_label}.change_{opts.model_name}"
    )


class StaffPermissions(BasePermission):
    """A request that the contract reserves for staff needs the permission the admin checks
    for the same change. A view names it per method:

        staff_permissions = {"POST": "products.add_product", "DELETE": "products.delete_product"}

    A read the view does not name is left to its other permission classes; a write it does not
    name is refused, so that a method added later is closed until someone says who may use it.
    A view permission is held too by whoever may change the model, as the admin has it."""

    def has_permission(self, request, view):
        method = "GET" if request.method == "HEAD" else request.method
        permission = view.staff_permissions.get(method)
        if permission is None:
            return method in SAFE_METHODS
        return any(staff_can(request.user, granting) for granting in _granting(permission))


def _granting(permission: str) -> tuple[str, ...]:
    """The permissions that grant `permission` in the admin (ModelAdmin.has_view_permission)."""
    app_label, _, codename = permission.partition(".")
    if codename.startswith("view_"):
        return permission, f"{app_label}.change_{codename.removeprefix('view_')}"
    return (permission,)
