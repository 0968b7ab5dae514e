"""Pages answer odd input the way they answer any invalid form: a 400 or 422 naming the field, and
nothing written. Numbers larger than a database column holds and text longer than its column are
refused by the forms, before any query (SQLite cannot even bind such a number; PostgreSQL refuses text
longer than a `varchar` column)."""

import pytest
from django.urls import reverse

from sightline.accounts.models import Invitation
from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item, Status
from tests.conftest import login

HUGE = "99999999999999999999"  # more than a 64-bit integer holds
LONG_URL = "https://staging.acme.test/" + "a" * 200  # 226 characters; the column holds 200


def ranks(project) -> list[tuple[str, int, int]]:
    return list(Item.objects.filter(project=project).order_by("pk").values_list("key", "rank", "version"))


def test_a_backlog_offset_beyond_any_row_is_a_bad_request_naming_the_offset(po, make_item):
    make_item(title="A")
    response = login(po.user).get(reverse("backlog:list", args=["ACME"]), {"offset": HUGE})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Offset: Ensure this value is less than or equal to 2147483647." in html
    assert "ACME-1" in html  # the backlog itself is still shown, from the top


def test_a_backlog_offset_beyond_any_row_in_a_load_more_request_is_a_bad_request(po, make_item):
    make_item(title="A")
    response = login(po.user).get(
        reverse("backlog:list", args=["ACME"]), {"offset": HUGE}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert "Offset" in response.content.decode()


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
def test_moving_an_item_to_a_position_beyond_any_row_is_refused_naming_the_position(
    htmx, po, project, make_item
):
    make_item(title="A")
    b = make_item(title="B")
    before, events = ranks(project), AuditEvent.objects.count()
    response = login(po.user).post(
        reverse("backlog:move", args=["ACME", b.key]),
        {"position": HUGE},
        headers={"HX-Request": "true"} if htmx else {},
    )
    assert response.status_code == 400
    assert "Position: Ensure this value is less than or equal to 2147483647." in response.content.decode()
    assert ranks(project) == before and AuditEvent.objects.count() == events


def test_delivering_with_a_staging_link_longer_than_its_column_is_refused_naming_it(dev, make_item):
    item = make_item(Status.IN_PROGRESS)
    events = AuditEvent.objects.count()
    response = login(dev.user).post(
        reverse("backlog:transition", args=["ACME", item.key]),
        {"to": Status.DELIVERED, "version": item.version, "staging_url": LONG_URL, "note": "On staging"},
    )
    assert response.status_code == 422
    assert response.context["transition_form"].errors["staging_url"] == [
        "Ensure this value has at most 200 characters (it has 226)."
    ]
    assert "Staging link" in response.content.decode()
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.status, fresh.staging_url, fresh.version) == (Status.IN_PROGRESS, "", item.version)
    assert AuditEvent.objects.count() == events


def test_delivering_from_the_board_with_a_staging_link_longer_than_its_column_is_refused(
    dev, active_sprint, make_item
):
    item = make_item(Status.IN_PROGRESS, sprint=active_sprint)
    events = AuditEvent.objects.count()
    response = login(dev.user).post(
        reverse("sprints:board_move", args=["ACME"]),
        {"item": item.key, "to": Status.DELIVERED, "version": item.version, "staging_url": LONG_URL},
    )
    assert response.status_code == 422
    assert "Staging link: Ensure this value has at most 200 characters" in response.content.decode()
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.status, fresh.version) == (Status.IN_PROGRESS, item.version)
    assert AuditEvent.objects.count() == events


def test_an_invitation_to_an_address_longer_than_its_column_is_refused_naming_the_email(po):
    address = "a" * 250 + "@acme.test"  # 260 characters: a valid address, but the column holds 254
    response = login(po.user).post(
        reverse("projects:members", args=["ACME"]), {"email": address, "role": "tester"}
    )
    assert response.status_code == 422
    assert response.context["form"].errors["email"] == [
        "Ensure this value has at most 254 characters (it has 260)."
    ]
    assert not Invitation.objects.exists()


def test_handing_a_request_to_a_person_number_beyond_any_row_is_refused_naming_the_field(
    client_po, stakeholder, make_item, sprint
):
    delivered = make_item(Status.DELIVERED, sprint=sprint)
    events = AuditEvent.objects.count()
    response = login(client_po.user).post(
        reverse("inbox:handover", args=["ACME"]),
        {"kind": "acceptance", "id": delivered.pk, "to_user": HUGE},
    )
    assert response.status_code == 422
    assert "Ensure this value is less than or equal to" in response.content.decode()
    assert Item.objects.get(pk=delivered.pk).acceptance_holder is None
    assert AuditEvent.objects.count() == events


def test_handing_over_a_request_number_beyond_any_row_finds_nothing(client_po, stakeholder):
    response = login(client_po.user).post(
        reverse("inbox:handover", args=["ACME"]),
        {"kind": "acceptance", "id": HUGE, "to_user": stakeholder.user.pk},
    )
    assert response.status_code == 404
