"""One error catalogue per app: every error a service raises is declared in the app's
`exceptions.py` with a code from its `error_codes.py`, and a code means one HTTP status
everywhere (insufficient_stock is a 409 in the cart as at checkout)."""

import importlib
from enum import StrEnum
from importlib.util import find_spec

from ecommerce.common.exceptions import ApplicationError
from ecommerce.common.tests.test_import_graph import APPS


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _catalogues() -> dict[str, set[str]]:
    codes = {}
    for app in APPS:
        if find_spec(f"{app}.exceptions") is None:
            continue
        importlib.import_module(f"{app}.exceptions")
        module = importlib.import_module(f"{app}.error_codes")
        codes[app] = {
            m.value for e in vars(module).values() if isinstance(e, type) and issubclass(e, StrEnum) for m in e
        }
    return codes


def test_every_application_error_is_declared_in_its_apps_catalogue():
    catalogues = _catalogues()
    for error in _subclasses(ApplicationError):
        app = error.__module__.split(".")[0]
        if app == "ecommerce":
            continue  # the shared base classes
        assert error.__module__ == f"{app}.exceptions", f"{error.__qualname__} is declared in {error.__module__}"
        assert error.default_code in catalogues[app], f"{error.__qualname__}: {error.default_code} not in {app}"


def test_a_code_means_one_status_everywhere():
    _catalogues()
    statuses: dict[str, set[int]] = {}
    for error in _subclasses(ApplicationError):
        statuses.setdefault(str(error.default_code), set()).add(error.status_code)
    assert {code: found for code, found in statuses.items() if len(found) > 1} == {}
