from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# Our deepest request body is an object holding a list of objects; 32 levels leave room to grow
# and keep every later step (validation, error rendering) far from Python's recursion limit.
MAX_JSON_DEPTH = 32
# DRF's own words for a body that is not JSON, which it never looks up in a catalogue.
NOT_JSON = _("JSON parse error - {error}")
TOO_DEEP = format_lazy(_("JSON parse error - the body is nested more than {depth} levels deep."), depth=MAX_JSON_DEPTH)


def _deeper_than(value, limit: int) -> bool:
    # Iterative, so that measuring the depth cannot itself run out of stack.
    pending = [(value, 1)]
    while pending:
        node, depth = pending.pop()
        if isinstance(node, dict | list):
            if depth > limit:
                return True
            pending.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return False


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies nested too deeply with a 400. A 2 KB body of a
    thousand `[` makes Python's decoder raise RecursionError, which is not a ValueError."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        except ParseError as exc:
            raise ParseError(NOT_JSON.format(error=str(exc.detail).removeprefix("JSON parse error - "))) from None
        if _deeper_than(data, MAX_JSON_DEPTH):
            raise ParseError(TOO_DEEP)
        return data
