"""The public product list's entries rendered by PostgreSQL: one query makes the page's JSON.

A page of the list is twenty products with their category, options, active variants and first
image. Loading those as model instances and serializing them costs the web process far more
than the database spends finding them; here PostgreSQL writes each entry as JSON text and the
view joins the texts into the answer, so the page is one query however deep it is.

The entries are exactly what ProductOutputSerializer makes of the same rows, in the request's
language (products/tests/test_list_entries.py holds the two to each other): the translation
fallback of ecommerce.common.translations (a missing or empty translation is the shop's own
text, an option's values value by value), money as text with its two decimals, times in UTC as
DRF writes them, and image addresses as stored_file_url makes them. That last one needs a
storage whose address of a name is a fixed prefix and the name, which holds for the shop's
names (products/<id>/<hex>.<ext>, made by products.services.images) on the file system and on
a bucket with unsigned addresses; media_prefix() says when it does not, and the serializer
answers instead.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import get_language

from products.serializers import stored_file_url

_PROBE = "products/0/probe.webp"


def media_prefix(request) -> str | None:
    """What image addresses start with for this request, or None if an address is not that
    prefix and the name (a signed URL, say)."""
    url = stored_file_url(_PROBE, request)
    return url[: -len(_PROBE)] if url and url.endswith(_PROBE) else None


def _iso(column: str) -> str:
    # DRF's isoformat() in UTC: microseconds only when there are any, "Z" for +00:00.
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        f" || CASE WHEN mod(date_part('microseconds', {column})::int, 1000000) = 0 THEN ''"
        f" ELSE to_char({utc}, '.US') END || 'Z'"
    )


def _file_url(column: str) -> str:
    return f"CASE WHEN {column} = '' THEN NULL ELSE shop.media || {column} END"


def _entry_sql(translate: bool) -> str:
    """The SQL of one product's entry (rows p, c; shop.language and shop.media given). With
    `translate`, texts are shop.language's translation where there is one."""

    def text(alias: str, field: str, *, in_json: bool = False) -> str:
        # `alias` is a row, or with `in_json` a JSON object (an entry of the option summary).
        plain = f"({alias}->>'{field}')" if in_json else f"{alias}.{field}"
        if not translate:
            return plain
        translations = f"({alias}->'translations')" if in_json else f"{alias}.translations"
        return f"coalesce(nullif({translations} -> shop.language ->> '{field}', ''), {plain})"

    def values(option: str) -> str:
        # An option's values, each its translation where it has one.
        if not translate:
            return f"({option}->'values')"
        given = f"({option}->'translations' -> shop.language -> 'values' ->> (x.n - 1)::int)"
        return (
            f"(SELECT coalesce(json_agg(coalesce(nullif({given}, ''), x.own) ORDER BY x.n), '[]')"
            f" FROM jsonb_array_elements_text({option}->'values') WITH ORDINALITY x(own, n))"
        )

    if translate:
        # {name: value} kept in the shop's language, each name and value translated through the
        # product's option summary (what products.serializers.options_translated does).
        position = (
            "(SELECT y.n FROM jsonb_array_elements_text(o.opt->'values') WITH ORDINALITY y(val, n)"
            " WHERE y.val = e.value ORDER BY y.n LIMIT 1)"
        )
        variant_options = (
            "(SELECT coalesce(json_object_agg("
            "coalesce(nullif(o.opt->'translations' -> shop.language ->> 'name', ''), e.key),"
            " coalesce(nullif(o.opt->'translations' -> shop.language -> 'values'"
            f" ->> ({position} - 1)::int, ''), e.value)"
            " ORDER BY e.n), '{}')"
            " FROM jsonb_each_text(v.options) WITH ORDINALITY e(key, value, n)"
            " LEFT JOIN LATERAL (SELECT s.opt FROM jsonb_array_elements(p.option_summary) s(opt)"
            " WHERE s.opt->>'name' = e.key LIMIT 1) o ON true)"
        )
    else:
        variant_options = "v.options"
    image = (
        "(SELECT json_build_object('id', i.id, 'url', {url}, 'alt', i.alt, 'width', i.width, 'height', i.height,"
        " 'position', i.position, 'thumbnail', {thumbnail}, 'medium', {medium}, 'large', {large},"
        " 'renditions', i.renditions)"
        " FROM products_productimage i WHERE i.product_id = p.id ORDER BY i.position, i.id LIMIT 1)"
    ).format(**{field: _file_url(f"i.{field}") for field in ("thumbnail", "medium", "large")}, url=_file_url("i.file"))
    return (
        "json_build_object("
        f"'id', p.id, 'title', {text('p', 'title')}, 'slug', p.slug, 'description', {text('p', 'description')},"
        " 'price', p.price::text, 'price_max', p.price_max::text, 'currency', p.currency,"
        f" 'category', json_build_object('id', c.id, 'name', {text('c', 'name')}, 'slug', c.slug),"
        " 'stock', p.stock, 'in_stock', p.stock > 0, 'is_active', p.is_active,"
        " 'rating_avg', p.rating_avg::text, 'review_count', p.review_count,"
        f" 'image', {image},"
        " 'options', (SELECT coalesce(json_agg(json_build_object("
        f"'name', {text('s.opt', 'name', in_json=True)}, 'values', {values('s.opt')}) ORDER BY s.n), '[]')"
        " FROM jsonb_array_elements(p.option_summary) WITH ORDINALITY s(opt, n)),"
        " 'variants', (SELECT coalesce(json_agg(json_build_object("
        f"'id', v.id, 'sku', v.sku, 'options', {variant_options}, 'price', coalesce(v.price, p.base_price)::text,"
        " 'stock', v.stock, 'in_stock', v.stock > 0, 'is_active', v.is_active) ORDER BY v.id), '[]')"
        " FROM products_variant v WHERE v.product_id = p.id AND v.is_active),"
        f" 'created_at', {_iso('p.created_at')}, 'updated_at', {_iso('p.updated_at')})::text"
    )


_ENTRIES = {translate: _entry_sql(translate) for translate in (False, True)}


def product_entries(page: QuerySet, *, language: str, media: str) -> list[str]:
    """The JSON text of each product of `page` (a sliced, ordered product queryset), in order.
    The page's ids come first, from the index alone where one covers the filter and order;
    only those rows are read and rendered."""
    try:
        ids_sql, ids_params = page.values("pk").query.get_compiler(using=page.db).as_sql()
    except EmptyResultSet:  # an empty page, or a filter no row can match: Django asks nothing either
        return []
    sql = (
        f"SELECT {_ENTRIES[language != settings.LANGUAGE_CODE]}"
        " FROM (SELECT %s::text AS language, %s::text AS media) shop,"
        f" unnest(ARRAY({ids_sql})) WITH ORDINALITY page(id, n)"
        " JOIN products_product p ON p.id = page.id JOIN categories_category c ON c.id = p.category_id"
        " ORDER BY page.n"
    )
    with connections[page.db].cursor() as cursor:
        cursor.execute(sql, [language, media, *ids_params])
        return [row[0] for row in cursor.fetchall()]


def product_entries_renderer(request, db: str) -> Callable[[QuerySet], list[str]] | None:
    """How a page of the public list is rendered for this request, or None where the serializer
    must do it: off PostgreSQL (the embedded SQLite default), for a renderer other than JSON (the
    browsable API), or with image addresses that are not a prefix and the name."""
    if connections[db].vendor != "postgresql" or request.accepted_renderer.format != "json":
        return None
    media = media_prefix(request)
    if media is None:
        return None
    language = get_language()
    return lambda page: product_entries(page, language=language, media=media)
