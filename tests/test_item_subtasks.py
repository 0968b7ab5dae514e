"""Subtasks on the item page: the over-two-hours warning, validation naming the field, toggling done, and
clients who see them but cannot change them."""

import pytest

from sightline.backlog.subtasks import subtask_add
from sightline.lib.errors import InvalidInput
from tests.conftest import login
from tests.test_item_pages import text, url

# --- Subtasks -------------------------------------------------------------------------------------


def test_subtasks_over_two_hours_carry_a_visible_warning(dev, make_item):
    item = make_item()
    client = login(dev.user)
    response = client.post(
        url("subtask_add", item.key),
        {"title": "Wire the vault", "estimate_hours": "3"},
        headers={"HX-Request": "true"},
    )
    html = text(response)
    assert response.status_code == 200 and html.lstrip().startswith('<section class="card" id="subtasks"')
    assert "Wire the vault" in html and "Over 2 h" in html
    client.post(url("subtask_add", item.key), {"title": "Write the test", "estimate_hours": "1.5"})
    html = text(client.get(url("item", item.key)))
    assert html.count("Over 2 h") == 1 and "4.5 h estimated" in html


def test_a_subtask_without_a_title_is_refused_naming_the_field(dev, make_item):
    item = make_item()
    response = login(dev.user).post(url("subtask_add", item.key), {"title": "", "estimate_hours": "1"})
    assert response.status_code == 422 and "Subtask: This field is required." in text(response)


@pytest.mark.parametrize("hours", ["0", "-1"])
def test_a_subtask_of_zero_hours_or_less_is_refused_naming_the_field(dev, make_item, hours):
    item = make_item()
    response = login(dev.user).post(
        url("subtask_add", item.key), {"title": "Wire it", "estimate_hours": hours}
    )
    assert response.status_code == 422
    assert "Hours: A subtask&#x27;s estimate must be more than 0" in response.content.decode()
    assert not item.subtasks.exists()


@pytest.mark.parametrize("hours", [0, -1])
def test_the_service_refuses_a_subtask_of_zero_hours_or_less_for_every_caller(dev, make_item, hours):
    item = make_item()
    with pytest.raises(InvalidInput) as refused:
        subtask_add(actor=dev.user, membership=dev, item=item, title="Wire it", estimate_hours=hours)
    assert refused.value.field == "estimate_hours"
    assert refused.value.message.startswith("Hours: a subtask's estimate must be more than 0")
    assert not item.subtasks.exists()


def test_toggling_a_subtask_marks_it_done_and_back(dev, make_item):
    item = make_item()
    subtask = subtask_add(actor=dev.user, membership=dev, item=item, title="Wire the vault", estimate_hours=1)
    client = login(dev.user)
    response = client.post(url("subtask_toggle", item.key, subtask.pk))
    assert response.status_code == 302 and response.url.endswith("#subtasks")
    subtask.refresh_from_db()
    assert subtask.done
    html = text(client.post(url("subtask_toggle", item.key, subtask.pk), headers={"HX-Request": "true"}))
    subtask.refresh_from_db()
    assert not subtask.done and "0 of 1 done" in html


def test_clients_see_subtasks_but_cannot_change_them(client_po, dev, make_item):
    item = make_item()
    subtask = subtask_add(actor=dev.user, membership=dev, item=item, title="Wire the vault")
    client = login(client_po.user)
    html = text(client.get(url("item", item.key)))
    assert "Wire the vault" in html and "subtask-form" not in html
    assert client.post(url("subtask_add", item.key), {"title": "Mine"}).status_code == 403
    assert client.post(url("subtask_toggle", item.key, subtask.pk)).status_code == 403
