"""Read replicas (DATABASE_REPLICA_URLS): public catalog and review reads go to a replica;
everything else goes to the primary ("default").

Routing is opt-in per request, not per model: the same Product rows are read from the primary
by checkout (which locks them) and by staff (who must see their own edit at once), and from a
replica by an anonymous shopper. A view opts in with ReplicaReadMixin; only its safe-method
requests by non-staff users, after authentication, read a replica. Writes, and every request
that does not opt in, use the primary, so a read that a write depends on never lags.
"""

import random
from contextvars import ContextVar

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS

from ecommerce.common.permissions import is_staff_request

REPLICA_PREFIX = "replica"
_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(REPLICA_PREFIX)]


class ReplicaRouter:
    """Reads of a request that opted in go to a random replica; everything else to "default".
    Replicas are streaming copies of the primary: nothing is ever migrated on them."""

    def db_for_read(self, model, **hints):
        if _reading_replica.get():
            aliases = replica_aliases()
            if aliases:
                return random.choice(aliases)
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows, whichever copy they were read from

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class ReplicaReadMixin:
    """For public catalog and review views: their GETs by anyone but staff read a replica."""

    def dispatch(self, request, *args, **kwargs):
        token = _reading_replica.set(False)
        try:
            return super().dispatch(request, *args, **kwargs)
        finally:
            _reading_replica.reset(token)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication first: staff read the primary
        if request.method in SAFE_METHODS and not is_staff_request(request):
            _reading_replica.set(True)
