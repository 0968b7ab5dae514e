"""Input types shared by the API's routers.

Every value that reaches the database is bounded here, so that no input, however odd, can make a
query fail: integers fit the columns, decimals fit their digits, text has no NUL characters (which
PostgreSQL refuses) and no lone surrogates (which no database can store).
"""

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema

from sightline.backlog.models import TITLE_MAX, ItemType, Priority, Status
from sightline.projects.models import Role


class Input(BaseModel):
    """Base of request bodies and query schemas: plain pydantic, so that only JSON objects validate (ninja's
    ``Schema`` reads attributes off any object, which would turn a JSON string into an item)."""

    model_config = ConfigDict(extra="ignore")


MAX_NUMBER = 2_147_483_647  # the largest value of a 32-bit integer column (PostgreSQL `integer`)
MAX_ID = 9_223_372_036_854_775_807  # the largest value of a 64-bit primary key


def plain_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("Text must be valid Unicode") from None
    return value


def text(*, max_length: int, min_length: int = 0) -> Any:
    """A string type of bounded length that every database accepts."""
    return Annotated[
        str, StringConstraints(min_length=min_length, max_length=max_length), AfterValidator(plain_text)
    ]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Number = Annotated[int, Field(ge=1, le=MAX_NUMBER)]
Title = text(min_length=1, max_length=TITLE_MAX)
LongText = text(max_length=50_000)
Note = text(max_length=10_000)
Email = text(min_length=3, max_length=254)


def tenths(maximum: str) -> Any:
    """A decimal from 0 to ``maximum``, rounded to one decimal place (as the columns store it)."""
    return Annotated[
        Decimal,
        Field(ge=0, le=Decimal(maximum), allow_inf_nan=False),
        AfterValidator(lambda value: value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)),
        WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(maximum)}),
    ]


def _above_zero(value: Decimal) -> Decimal:
    if value <= 0:
        raise ValueError("An estimate must be more than 0 (send null while the item is not estimated)")
    return value


def estimate(maximum: str) -> Any:
    """An item estimate: more than 0, at most ``maximum``, rounded to one decimal place."""
    return Annotated[
        Decimal,
        Field(gt=0, le=Decimal(maximum), allow_inf_nan=False),
        AfterValidator(lambda value: value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)),
        AfterValidator(_above_zero),
        WithJsonSchema({"type": "number", "exclusiveMinimum": 0, "maximum": float(maximum)}),
    ]


Points = estimate("9999.9")
Hours = estimate("99999.9")
Labels = Annotated[list[text(min_length=1, max_length=50)], Field(max_length=20)]
Criteria = Annotated[list[text(max_length=2_000)], Field(max_length=50)]

ItemTypeName = Literal[tuple(ItemType.values)]  # type: ignore[valid-type]
PriorityName = Literal[tuple(Priority.values)]  # type: ignore[valid-type]
StatusName = Literal[tuple(Status.values)]  # type: ignore[valid-type]
RoleName = Literal[tuple(Role.values)]  # type: ignore[valid-type]


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def optional(**constraints: Any) -> Any:
    """A field that may be left out but, when given, may not be null (for partial updates)."""
    return Field(default=None, json_schema_extra=_no_default, **constraints)
