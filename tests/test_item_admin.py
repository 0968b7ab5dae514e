"""Items in the site administration: they are made in the app or the API, never in the admin; a site
administrator corrects the fields the item page edits, and the correction moves the version on and is in
the item's history like any other edit. The workflow's fields stay as the workflow left them."""

import pytest

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item, Status
from sightline.backlog.transitions import item_accept
from sightline.projects.models import EstimateUnit
from tests.conftest import login


@pytest.fixture
def site_admin(django_user_model):
    return django_user_model.objects.create_superuser(email="root@agency.test", password="x-Long-pass-1")


@pytest.fixture
def item(make_item):
    return make_item(Status.READY, title="Checkout with saved card")


def change_url(item) -> str:
    return f"/admin/backlog/item/{item.pk}/change/"


def change_form_data(response) -> dict:
    """What the admin's change page would post back unchanged: its fields and the inlines' counts."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is not None:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
    return data


def test_the_admin_refuses_to_add_an_item_even_for_a_superuser(site_admin, item):
    browser = login(site_admin)
    assert browser.get("/admin/backlog/item/add/").status_code == 403
    response = browser.post("/admin/backlog/item/add/", {"project": item.project_id, "title": "Sneaky"})
    assert response.status_code == 403
    assert list(Item.objects.values_list("title", flat=True)) == ["Checkout with saved card"]
    assert "/admin/backlog/item/add/" not in browser.get("/admin/backlog/item/").content.decode()


def test_an_admin_edit_of_the_title_bumps_the_version_and_is_in_the_history(site_admin, item):
    browser = login(site_admin)
    data = change_form_data(browser.get(change_url(item)))
    data["title"] = "Checkout with a saved card"

    response = browser.post(change_url(item), data)

    assert response.status_code == 302
    fresh = Item.objects.get(pk=item.pk)
    assert fresh.title == "Checkout with a saved card"
    assert fresh.version == item.version + 1
    event = AuditEvent.objects.filter(item=item).latest("id")
    assert (event.action, event.actor) == ("item.updated", site_admin)
    assert event.changes == {"title": ["Checkout with saved card", "Checkout with a saved card"]}
    assert "site administration" in event.note


def test_saving_the_admin_page_unchanged_records_nothing(site_admin, item):
    browser = login(site_admin)
    events = AuditEvent.objects.count()
    response = browser.post(change_url(item), change_form_data(browser.get(change_url(item))))
    assert response.status_code == 302
    assert Item.objects.get(pk=item.pk).version == item.version
    assert AuditEvent.objects.count() == events


def test_the_workflow_fields_cannot_be_changed_in_the_admin(site_admin, item, project):
    browser = login(site_admin)
    page = browser.get(change_url(item))
    form = page.context["adminform"].form
    for name in ("status", "rank", "sprint", "version", "number", "project", "accepted_by", "delivered_at"):
        assert name not in form.fields
    data = change_form_data(page)
    data.update({"status": Status.ACCEPTED, "rank": "1", "version": "99", "number": "7"})

    assert browser.post(change_url(item), data).status_code == 302
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.status, fresh.rank, fresh.version, fresh.number) == (
        Status.READY,
        item.rank,
        item.version,
        item.number,
    )


def test_an_admin_edit_that_breaks_an_item_rule_is_shown_on_its_field_and_writes_nothing(
    site_admin, item, project
):
    project.estimate_unit = EstimateUnit.POINTS
    project.save(update_fields=["estimate_unit"])
    browser = login(site_admin)
    data = change_form_data(browser.get(change_url(item)))
    data["estimate_hours"] = "4"

    response = browser.post(change_url(item), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["estimate_hours"] == [
        "Hours: this project estimates in points only; leave hours empty."
    ]
    fresh = Item.objects.get(pk=item.pk)
    assert (fresh.points, fresh.estimate_hours, fresh.version) == (
        item.points,
        item.estimate_hours,
        item.version,
    )


def test_an_admin_edit_of_what_the_client_accepted_is_refused_on_its_field(site_admin, client_po, make_item):
    delivered = make_item(Status.DELIVERED, title="Pay with a saved card")
    accepted = item_accept(actor=client_po.user, membership=client_po, item=delivered)
    browser = login(site_admin)
    data = change_form_data(browser.get(change_url(accepted)))
    data["title"] = "Pay with any card"

    response = browser.post(change_url(accepted), data)

    assert response.status_code == 200
    (message,) = response.context["adminform"].form.errors["title"]
    assert "is accepted (Done)" in message
    fresh = Item.objects.get(pk=accepted.pk)
    assert (fresh.title, fresh.version) == ("Pay with a saved card", accepted.version)
