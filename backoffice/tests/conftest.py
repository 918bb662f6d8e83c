import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython

SHOP_STAFF = "Shop staff"


@pytest.fixture
def shop_staff_group(db) -> Group:
    """The Shop staff group, as the back office's migrations make it. A transactional test
    flushes every table when it ends, the group with them (with --reuse-db, even one of an
    earlier run), so a test that needs the group asks for it here instead of trusting the
    migration to have left it."""
    if not Group.objects.filter(name=SHOP_STAFF).exists():
        _migrations_data_steps_run("backoffice")
    return Group.objects.get(name=SHOP_STAFF)


def _migrations_data_steps_run(app_label: str) -> None:
    # The migrations' own steps, on the models as they stood at each migration, so the group
    # and its permissions are never written down a second time.
    loader = MigrationLoader(connection)
    [leaf] = loader.graph.leaf_nodes(app_label)
    for key in loader.graph.forwards_plan(leaf):
        if key[0] != app_label:
            continue
        steps = [operation for operation in loader.graph.nodes[key].operations if isinstance(operation, RunPython)]
        if steps:
            state_apps = loader.project_state(key, at_end=False).apps
            for step in steps:
                step.code(state_apps, None)
