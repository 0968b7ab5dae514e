"""Creating and editing backlog items through the services: keys from the project and a sequence number, and
validation on create and update naming the field. The helpers here are shared by the other item service
modules."""

from decimal import Decimal

import pytest

from sightline.backlog.epics import epic_create
from sightline.backlog.models import Item, Status
from sightline.backlog.services import item_create, item_update
from sightline.lib.errors import InvalidInput

S = Status


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Every test creates five members; a cheap hasher keeps the module fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def create(membership, **fields):
    fields.setdefault("title", "Checkout with saved card")
    return item_create(actor=membership.user, membership=membership, **fields)


def update(membership, item, changes, *, version=None, criteria=None):
    version = Item.objects.get(pk=item.pk).version if version is None else version
    return item_update(
        actor=membership.user,
        membership=membership,
        item=item,
        version=version,
        changes=changes,
        criteria=criteria,
    )


def backlog_keys(project) -> list[str]:
    return list(Item.objects.filter(project=project).ranked().values_list("key", flat=True))


def fresh(item):
    return Item.objects.get(pk=item.pk)


# --- Keys -------------------------------------------------------------------------------------------------


def test_items_are_keyed_by_project_and_a_sequence_number(po, globex_po):
    keys = [create(po).key for _ in range(3)]
    assert keys == ["ACME-1", "ACME-2", "ACME-3"]
    assert create(globex_po).key == "GLOBEX-1"


def test_an_item_key_is_never_reused_after_a_deletion(po):
    create(po)
    last = create(po)
    last.delete()
    assert create(po).key == "ACME-3"


def test_an_item_records_its_creator_and_goes_to_the_bottom_of_the_backlog(dev, po):
    first = create(po)
    second = create(dev, title="Wish list")
    assert second.created_by == dev.user
    assert second.rank > first.rank
    assert second.status == S.DRAFT and second.version == 1


def test_criteria_are_stored_in_order_without_blank_lines(po):
    item = create(po, criteria=["  First  ", "", "   ", "Second"])
    assert list(item.criteria.values_list("position", "text")) == [(0, "First"), (1, "Second")]


# --- Validation on create and update ----------------------------------------------------------------------


BAD_TITLES = [("", "empty"), ("   \t ", "whitespace"), ("x" * 201, "201 characters")]


@pytest.mark.parametrize("title", [t for t, _ in BAD_TITLES], ids=[i for _, i in BAD_TITLES])
def test_creating_an_item_with_a_bad_title_is_refused_on_the_title(title, po):
    with pytest.raises(InvalidInput) as refused:
        create(po, title=title)
    assert refused.value.field == "title"
    assert not Item.objects.exists()


@pytest.mark.parametrize("title", [t for t, _ in BAD_TITLES], ids=[i for _, i in BAD_TITLES])
def test_renaming_an_item_to_a_bad_title_is_refused_on_the_title(title, po, make_item):
    item = make_item()
    with pytest.raises(InvalidInput) as refused:
        update(po, item, {"title": title})
    assert refused.value.field == "title"
    assert Item.objects.get(pk=item.pk).title == "Checkout with saved card"


def test_a_title_of_200_characters_is_accepted_and_trimmed(po):
    assert create(po, title=f"  {'x' * 200}  ").title == "x" * 200


def test_the_title_error_says_how_long_it_is(po):
    with pytest.raises(InvalidInput, match="at most 200 characters \\(it has 201\\)"):
        create(po, title="x" * 201)


@pytest.mark.parametrize(
    ("field", "value"), [("type", "epic"), ("type", "Story"), ("priority", "urgent"), ("priority", "")]
)
def test_an_unknown_type_or_priority_is_refused_naming_the_field(field, value, po, make_item):
    with pytest.raises(InvalidInput) as refused:
        create(po, **{field: value})
    assert refused.value.field == field
    assert field in refused.value.message
    item = make_item()
    with pytest.raises(InvalidInput) as refused:
        update(po, item, {field: value})
    assert refused.value.field == field


@pytest.mark.parametrize("field", ["points", "estimate_hours"])
def test_a_negative_estimate_is_refused(field, po, make_item):
    with pytest.raises(InvalidInput) as refused:
        create(po, **{field: -1})
    assert refused.value.field == field
    item = make_item()
    with pytest.raises(InvalidInput) as refused:
        update(po, item, {field: -0.5})
    assert refused.value.field == field


@pytest.mark.parametrize("field", ["points", "estimate_hours"])
def test_an_estimate_of_zero_is_refused_naming_the_field(field, po, make_item):
    with pytest.raises(InvalidInput) as refused:
        create(po, **{field: 0})
    assert refused.value.field == field
    assert "more than 0" in refused.value.message
    item = make_item()
    with pytest.raises(InvalidInput) as refused:
        update(po, item, {field: 0})
    assert refused.value.field == field


def test_a_fractional_estimate_is_fine(po):
    assert create(po, points=0.5).points == Decimal("0.5")


def test_an_epic_of_another_project_is_refused(po, globex_po, make_item):
    foreign = epic_create(actor=globex_po.user, membership=globex_po, title="Globex loyalty")
    with pytest.raises(InvalidInput) as refused:
        create(po, epic=foreign)
    assert refused.value.field == "epic"
    item = make_item()
    with pytest.raises(InvalidInput) as refused:
        update(po, item, {"epic": foreign})
    assert refused.value.field == "epic"
    assert Item.objects.get(pk=item.pk).epic is None


def test_an_epic_of_the_same_project_is_kept(po):
    epic = epic_create(actor=po.user, membership=po, title="Checkout")
    assert create(po, epic=epic).epic == epic


@pytest.mark.parametrize("field", ["status", "key", "version", "rank", "sprint", "accepted_by"])
def test_fields_the_workflow_owns_cannot_be_edited_directly(field, po, make_item):
    item = make_item()
    with pytest.raises(InvalidInput) as refused:
        update(po, item, {field: None})
    assert refused.value.field == field
    assert Item.objects.get(pk=item.pk).version == item.version
