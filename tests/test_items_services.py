"""Creating, editing and ranking backlog items through the services: keys, validation, optimistic locking,
the audit trail of edits, and who may change what."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from sightline.accounts.models import User
from sightline.audit.models import AuditEvent
from sightline.backlog.epics import epic_create
from sightline.backlog.item_templates import template_save
from sightline.backlog.models import AcceptanceCriterion, Item, ItemTemplate, Priority, Status
from sightline.backlog.services import item_create, item_move, item_update
from sightline.backlog.transitions import item_reject
from sightline.lib.errors import DomainError, InvalidInput, StaleVersion
from sightline.projects.models import Membership, Role

S = Status


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Every test creates five members; a cheap hasher keeps the module fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def globex_po(other_project):
    user = User.objects.create_user(email="po@globex.test", password="x")
    return Membership.objects.create(project=other_project, user=user, role=Role.AGENCY_PO)


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


# --- Optimistic locking -----------------------------------------------------------------------------------


def test_an_update_with_a_stale_version_is_refused_and_writes_nothing(po, make_item):
    item = make_item()
    update(po, item, {"title": "Saved cards"})
    events = AuditEvent.objects.filter(item=item).count()

    with pytest.raises(StaleVersion) as refused:
        update(po, item, {"title": "One-click pay"}, version=1)

    assert refused.value.current_version == 2
    assert refused.value.field == "version"
    assert "version 2, yours 1" in refused.value.message
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.title, fresh.version) == ("Saved cards", 2)
    assert AuditEvent.objects.filter(item=item).count() == events


def test_two_people_editing_the_same_version_cannot_lose_an_update(po, dev, make_item):
    item = make_item()
    read_by_both = Item.objects.get(pk=item.pk)

    update(po, read_by_both, {"priority": Priority.HIGH}, version=read_by_both.version)
    with pytest.raises(StaleVersion) as refused:
        update(dev, read_by_both, {"title": "Saved cards v2"}, version=read_by_both.version)

    assert refused.value.current_version == read_by_both.version + 1
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.priority, fresh.title) == (Priority.HIGH, "Checkout with saved card")


def test_every_saved_change_bumps_the_version(po, make_item):
    item = make_item()
    for n, title in enumerate(["A", "B", "C"], start=2):
        item = update(po, item, {"title": title})
        assert Item.objects.get(pk=item.pk).version == n


def test_an_update_without_a_version_is_not_checked(po, make_item):
    item = make_item()
    item_update(actor=po.user, membership=po, item=item, version=None, changes={"title": "Imported"})
    assert Item.objects.get(pk=item.pk).title == "Imported"


@pytest.mark.parametrize("points", [3, 3.0, Decimal("3"), Decimal("3.00")], ids=repr)
def test_an_update_that_changes_nothing_writes_nothing(points, po, make_item):
    item = make_item()
    update(
        po,
        item,
        {"title": "Checkout with saved card", "points": points, "estimate_hours": None},
        criteria=["Card is remembered", "Pay in one click"],
    )
    assert Item.objects.get(pk=item.pk).version == item.version
    assert not AuditEvent.objects.filter(item=item, action="item.updated").exists()


# --- The audit of edits -----------------------------------------------------------------------------------


def test_an_update_records_each_changed_field_before_and_after(po, dev, make_item):
    item = make_item()
    epic = epic_create(actor=po.user, membership=po, title="Checkout")
    update(
        po,
        item,
        {
            "title": "Saved cards",
            "points": 5,
            "priority": Priority.MEDIUM,
            "epic": epic,
            "assignee": dev.user,
            "labels": ["payments"],
        },
    )

    event = AuditEvent.objects.get(item=item, action="item.updated")
    assert event.actor == po.user
    assert event.changes == {
        "title": ["Checkout with saved card", "Saved cards"],
        "points": ["3", "5"],
        "epic": [None, "Checkout"],
        "assignee": [None, str(dev.user)],
        "labels": [[], ["payments"]],
    }
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.title, fresh.points, fresh.epic, fresh.assignee) == ("Saved cards", 5, epic, dev.user)


def test_changed_criteria_are_recorded_before_and_after(po, make_item):
    item = make_item()
    update(po, item, {}, criteria=["Card is remembered", "Receipt is emailed"])
    event = AuditEvent.objects.get(item=item, action="item.updated")
    assert event.changes == {
        "criteria": [["Card is remembered", "Pay in one click"], ["Card is remembered", "Receipt is emailed"]]
    }
    assert Item.objects.get(pk=item.pk).version == item.version + 1


def test_replacing_criteria_keeps_the_ticks_of_unchanged_criteria(po, client_po, make_item):
    item = make_item(S.DELIVERED, criteria=["Card is remembered", "Pay in one click", "Receipt is emailed"])
    ticked = list(
        item.criteria.filter(text__in=["Card is remembered", "Pay in one click"]).values_list("id", flat=True)
    )
    item_reject(
        actor=client_po.user,
        membership=client_po,
        item=item,
        reason="Receipt never arrives",
        criteria_met=ticked,
    )

    update(
        po,
        item,
        {},
        criteria=["Pay in one click", "Receipt is emailed within a minute", "Card is remembered"],
    )

    assert list(AcceptanceCriterion.objects.filter(item=item).values_list("text", "met")) == [
        ("Pay in one click", True),
        ("Receipt is emailed within a minute", False),
        ("Card is remembered", True),
    ]


# --- Who may change what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["agency_po", "developer", "tester"])
def test_the_agency_team_edits_items(role, members, make_item):
    item = update(members[role], make_item(), {"title": "Saved cards"}, criteria=["Only one"])
    assert Item.objects.get(pk=item.pk).title == "Saved cards"


@pytest.mark.parametrize("role", ["agency_po", "developer", "tester"])
def test_whoever_may_edit_an_item_may_change_just_its_priority(role, members, make_item):
    item = update(members[role], make_item(), {"priority": Priority.HIGH})
    assert Item.objects.get(pk=item.pk).priority == Priority.HIGH


def test_the_client_po_may_change_the_priority(client_po, make_item):
    item = update(client_po, make_item(), {"priority": Priority.CRITICAL})
    assert Item.objects.get(pk=item.pk).priority == Priority.CRITICAL
    assert AuditEvent.objects.filter(item=item, action="item.updated").latest("id").actor == client_po.user


@pytest.mark.parametrize(
    ("changes", "criteria"),
    [
        ({"title": "Mine now"}, None),
        ({"priority": Priority.HIGH, "title": "Also this"}, None),
        ({"points": 1}, None),
        ({}, ["A new criterion"]),
        ({"priority": Priority.HIGH}, ["A new criterion"]),
    ],
    ids=["title", "priority-and-title", "points", "criteria", "priority-and-criteria"],
)
def test_the_client_po_may_change_nothing_but_the_priority(changes, criteria, client_po, make_item):
    item = make_item()
    with pytest.raises(PermissionDenied):
        update(client_po, item, changes, criteria=criteria)
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.title, fresh.priority, fresh.version) == (item.title, item.priority, item.version)


@pytest.mark.parametrize("changes", [{"priority": Priority.HIGH}, {"title": "Mine now"}])
def test_a_stakeholder_may_not_edit_items(changes, stakeholder, make_item):
    with pytest.raises(PermissionDenied):
        update(stakeholder, make_item(), changes)


@pytest.mark.parametrize("role", ["client_po", "client_stakeholder"])
def test_client_roles_may_not_create_items(role, members):
    with pytest.raises(PermissionDenied, match="agency_po, developer, tester"):
        create(members[role])
    assert not Item.objects.exists()


# --- Templates --------------------------------------------------------------------------------------------


def test_a_new_item_can_start_from_the_template_of_its_type(po):
    template_save(
        actor=po.user,
        membership=po,
        type="bug",
        user_story="",
        description="Steps to reproduce:",
        criteria=["Expected happens", " "],
    )
    item = create(po, type="bug", use_template=True)
    assert item.description == "Steps to reproduce:"
    assert list(item.criteria.values_list("text", flat=True)) == ["Expected happens"]
    assert ItemTemplate.objects.get(type="bug").criteria == ["Expected happens"]


def test_text_given_for_a_new_item_wins_over_its_template(po):
    template_save(
        actor=po.user,
        membership=po,
        type="story",
        user_story="As a … I want …",
        description="",
        criteria=["Template criterion"],
    )
    item = create(po, use_template=True, user_story="As a buyer I want gift cards", criteria=["Mine"])
    assert item.user_story == "As a buyer I want gift cards"
    assert list(item.criteria.values_list("text", flat=True)) == ["Mine"]


def save_bug_template(po, **text):
    values = {"user_story": "", "description": "Steps to reproduce:", "criteria": ["Expected happens"]}
    values.update(text)
    return template_save(actor=po.user, membership=po, type="bug", **values)


def test_saving_a_template_records_each_changed_field_before_and_after(po):
    save_bug_template(po)
    first = AuditEvent.objects.get(action="template.saved")
    assert first.changes == {
        "user_story": [None, ""],
        "description": [None, "Steps to reproduce:"],
        "criteria": [None, ["Expected happens"]],
    }

    save_bug_template(po, description="Steps to reproduce:\n1.", criteria=["Expected happens", "No error"])
    second = AuditEvent.objects.filter(action="template.saved").latest("id")
    assert second.actor == po.user
    assert second.changes == {
        "description": ["Steps to reproduce:", "Steps to reproduce:\n1."],
        "criteria": [["Expected happens"], ["Expected happens", "No error"]],
    }


def test_saving_a_template_unchanged_records_no_event(po):
    save_bug_template(po)
    save_bug_template(po, criteria=["Expected happens", "  "])
    assert AuditEvent.objects.filter(action="template.saved").count() == 1


# --- Ranking through item_move ----------------------------------------------------------------------------


@pytest.fixture
def four(po):
    """ACME-1..4 in backlog order."""
    return [create(po, title=f"Item {n}") for n in range(1, 5)]


def move(membership, item, **where):
    return item_move(actor=membership.user, membership=membership, item=item, **where)


def fresh(item):
    return Item.objects.get(pk=item.pk)


def test_an_item_moved_to_the_top_comes_first(po, four, project):
    move(po, four[3], to_top=True)
    assert backlog_keys(project) == ["ACME-4", "ACME-1", "ACME-2", "ACME-3"]


def test_moving_the_top_item_to_the_top_keeps_the_order(po, four, project):
    move(po, four[0], to_top=True)
    assert backlog_keys(project) == ["ACME-1", "ACME-2", "ACME-3", "ACME-4"]


@pytest.mark.parametrize(
    ("moved", "position", "expected"),
    [(3, 1, "4123"), (3, 2, "1423"), (0, 3, "2314"), (0, 4, "2341"), (0, 99, "2341"), (2, 2, "1324")],
)
def test_an_item_moved_to_a_position_lands_there(moved, position, expected, po, four, project):
    move(po, four[moved], position=position)
    assert backlog_keys(project) == [f"ACME-{n}" for n in expected]


@pytest.mark.parametrize(("moved", "anchor", "expected"), [(3, 0, "1423"), (0, 3, "2341"), (0, 1, "2134")])
def test_an_item_moved_after_another_lands_just_below_it(moved, anchor, expected, po, four, project):
    move(po, four[moved], after=fresh(four[anchor]))
    assert backlog_keys(project) == [f"ACME-{n}" for n in expected]


@pytest.mark.parametrize(("moved", "anchor", "expected"), [(3, 0, "4123"), (0, 3, "2314"), (3, 2, "1243")])
def test_an_item_moved_before_another_lands_just_above_it(moved, anchor, expected, po, four, project):
    move(po, four[moved], before=fresh(four[anchor]))
    assert backlog_keys(project) == [f"ACME-{n}" for n in expected]


def test_moving_between_neighbours_with_no_room_left_respaces_the_ones_below(po, four, project):
    for n, item in enumerate(four):
        Item.objects.filter(pk=item.pk).update(rank=1000 + n)
    move(po, four[3], after=fresh(four[0]))
    assert backlog_keys(project) == ["ACME-1", "ACME-4", "ACME-2", "ACME-3"]
    ranks = list(Item.objects.filter(project=project).ranked().values_list("rank", flat=True))
    assert ranks == sorted(set(ranks))


def test_a_move_is_recorded_with_where_it_went(po, four):
    move(po, four[3], to_top=True)
    event = AuditEvent.objects.get(item=four[3], action="item.ranked")
    assert event.note == "Moved to top"
    assert event.changes["rank"][0] == four[3].rank
    assert fresh(four[3]).version == four[3].version + 1


def test_the_client_po_may_rank_the_backlog(client_po, four, project):
    move(client_po, four[2], to_top=True)
    assert backlog_keys(project)[0] == "ACME-3"


@pytest.mark.parametrize("role", ["developer", "tester", "client_stakeholder"])
def test_a_role_without_the_ranking_permission_may_not_rank(role, members, four, project):
    with pytest.raises(PermissionDenied, match="agency_po, client_po"):
        move(members[role], four[3], to_top=True)
    assert backlog_keys(project) == ["ACME-1", "ACME-2", "ACME-3", "ACME-4"]
    assert fresh(four[3]).version == four[3].version


@pytest.mark.parametrize("side", ["before", "after"])
def test_a_neighbour_from_another_project_is_refused(side, po, globex_po, four, project):
    foreign = create(globex_po)
    with pytest.raises(DomainError) as refused:
        move(po, four[0], **{side: foreign})
    assert refused.value.field == "neighbour"
    assert backlog_keys(project) == ["ACME-1", "ACME-2", "ACME-3", "ACME-4"]


def test_an_item_cannot_be_its_own_neighbour(po, four):
    with pytest.raises(DomainError, match="another item"):
        move(po, four[1], after=four[1])


@pytest.mark.parametrize(("where", "field"), [({}, "position"), ({"position": 0}, "position")])
def test_a_move_must_say_where_to(where, field, po, four):
    with pytest.raises(DomainError) as refused:
        move(po, four[1], **where)
    assert refused.value.field == field
