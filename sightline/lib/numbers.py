from decimal import Decimal


def plain_number(value) -> str:
    """3, 3.0 and Decimal("3.0") all read "3"; 2.5 reads "2.5" — the same on every database."""
    return format(Decimal(str(value)).normalize(), "f")
