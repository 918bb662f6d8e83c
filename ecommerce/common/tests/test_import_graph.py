"""The apps form layers: each may use the ones below it and never one above or beside it, in
code or in a foreign key. Built from the source with `ast`, so a new import is checked at once.
docs/architecture.md draws the same graph."""

import ast
from pathlib import Path

from django.conf import settings

# Each app and the apps it may depend on (directly); `ecommerce` (shared infrastructure) is
# below every app and depends on none.
LAYERS: dict[str, set[str]] = {
    "users": set(),
    "categories": set(),
    "addresses": {"users"},
    "coupons": {"users"},
    "products": {"categories"},
    "cart": {"products", "categories", "users"},
    "orders": {"cart", "coupons", "addresses", "products", "categories", "users"},
    "payments": {"orders", "users"},
    "reviews": {"orders", "products", "users"},
    "backoffice": {"orders", "payments", "products", "coupons", "cart", "addresses", "categories", "users", "reviews"},
}
APPS = set(LAYERS)
ROOT = Path(settings.BASE_DIR)
RELATIONS = {"ForeignKey", "OneToOneField", "ManyToManyField"}


def _source_files(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if not {"tests", "migrations"} & set(path.relative_to(ROOT).parts):
            yield path


def _dependencies(path: Path) -> set[str]:
    """Apps named by the file's imports and by its model relations ("orders.Order")."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in RELATIONS:
            target = node.args[0] if node.args else None
            if isinstance(target, ast.Constant) and isinstance(target.value, str) and "." in target.value:
                found.add(target.value.split(".")[0])
    return found & (APPS | {"ecommerce"})


def graph() -> dict[str, dict[str, list[str]]]:
    """{package: {dependency: [files]}} for every app and the shared `ecommerce` package."""
    edges: dict[str, dict[str, list[str]]] = {}
    for package in [*APPS, "ecommerce"]:
        for path in _source_files(package):
            for dependency in _dependencies(path) - {package}:
                edges.setdefault(package, {}).setdefault(dependency, []).append(str(path.relative_to(ROOT)))
    return edges


def test_every_app_depends_only_on_the_layers_below_it():
    upward = {
        f"{package} -> {dependency}: {', '.join(files)}"
        for package, dependencies in graph().items()
        for dependency, files in dependencies.items()
        if dependency != "ecommerce" and dependency not in LAYERS.get(package, set())
    }
    assert not upward, "imports that go up or sideways:\n" + "\n".join(sorted(upward))


def test_shared_infrastructure_imports_no_app():
    # The project's URL conf is the one place that wires the apps together (by dotted strings).
    assert graph().get("ecommerce", {}) == {}


def test_the_allowed_layers_have_no_cycle():
    visiting, done = set(), set()

    def visit(app: str, path: tuple[str, ...]) -> None:
        assert app not in visiting, "cycle: " + " -> ".join((*path, app))
        if app in done:
            return
        visiting.add(app)
        for dependency in LAYERS[app]:
            visit(dependency, (*path, app))
        visiting.discard(app)
        done.add(app)

    for app in LAYERS:
        visit(app, ())


def test_tasks_import_services_never_the_reverse():
    """A service queues a task by name (ecommerce.common.enqueue); importing its tasks module
    would close a circle, since the tasks import the services."""
    reverse = []
    for package in [*APPS, "ecommerce"]:
        for path in _source_files(package):
            if "services" not in path.relative_to(ROOT).with_suffix("").parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                modules = []
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module:
                    modules = [node.module]
                reverse += [f"{path.relative_to(ROOT)}: {name}" for name in modules if name.endswith("tasks")]
    assert not reverse, "services importing tasks:\n" + "\n".join(reverse)


def test_rows_are_locked_only_in_lock_objects():
    """Every row lock lives in a `lock_objects.py`, where its order is decided and documented."""
    elsewhere = [
        str(path.relative_to(ROOT))
        for package in [*APPS, "ecommerce"]
        for path in _source_files(package)
        if path.name != "lock_objects.py" and "select_for_update(" in path.read_text()
    ]
    assert not elsewhere
