"""Query-string values parsed once, so no filter can turn hostile input into a 500."""

# Largest primary key a BigAutoField holds; anything larger cannot name a record (and overflows SQLite).
MAX_ID = 2**63 - 1


def id_param(value) -> int | None:
    """A record id from the query string, or None if the value is missing, not a whole number, not
    positive or too large to be an id."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
