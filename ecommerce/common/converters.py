"""The path converter of every id in the shop's URLs (registered as `id` in ecommerce/urls.py)."""

# The largest primary key (a BigAutoField, 64-bit signed).
MAX_ID = 2**63 - 1


class IdConverter:
    """ASCII digits within the range a primary key holds. A larger number matches no URL, so it
    is a 404 on every database before any view runs: PostgreSQL finds no row for it, but
    SQLite's driver cannot even send it (OverflowError)."""

    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("beyond any primary key")  # Django reads it as "no match"
        return number

    def to_url(self, value) -> str:
        return str(value)
