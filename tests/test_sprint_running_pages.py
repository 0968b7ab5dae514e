"""Starting a sprint and changing the scope of a running one from the pages: one running sprint at a time, a
reason for each addition, and its items grouped by state."""

from datetime import date

from sightline.backlog.models import Item, ItemType, Priority, Status
from sightline.sprints.models import ScopeChange, Sprint, SprintState
from tests.conftest import login, make_sprint
from tests.test_sprint_pages import HTMX, url

# --- Starting and running -------------------------------------------------------------------------


def test_po_starts_the_sprint(po, sprint):
    response = login(po.user).post(url("start", 1), follow=True)
    sprint.refresh_from_db()
    assert sprint.state == SprintState.ACTIVE
    assert "Sprint 1 started." in response.content.decode()


def test_starting_a_second_sprint_while_one_runs_says_why_not(po, active_sprint):
    make_sprint(po, start=date(2026, 11, 16))
    html = login(po.user).post(url("start", 2), follow=True).content.decode()
    assert "Sprint 1 is still active; close it before starting Sprint 2." in html
    assert Sprint.objects.get(number=2).state == SprintState.PLANNED


def test_adding_to_a_running_sprint_without_a_reason_shows_the_error_at_the_reason_field(
    po, active_sprint, make_item
):
    item = make_item(Status.READY)
    response = login(po.user).post(url("plan", 1), {"item": item.key, "scope_reason": "  "})
    html = response.content.decode()
    assert response.status_code == 422
    assert f'<label for="scope-{item.key}">Scope-change reason' in html
    assert "Scope-change reason: Sprint 1 is active: only critical bugs may join it without a reason." in html
    assert 'aria-invalid="true"' in html
    assert Item.objects.get(pk=item.pk).status == Status.READY and not ScopeChange.objects.exists()


def test_adding_to_a_running_sprint_with_a_reason_records_and_lists_the_scope_change(
    po, active_sprint, make_item
):
    item = make_item(Status.READY)
    c = login(po.user)
    response = c.post(
        url("plan", 1), {"item": item.key, "scope_reason": "Client needs it for the fair"}, **HTMX
    )
    change = ScopeChange.objects.get()
    assert (change.item, change.sprint, change.reason) == (
        item,
        active_sprint,
        "Client needs it for the fair",
    )
    expected = f"added on {change.at:%-d %b} by {po.user.display_name}: Client needs it for the fair"
    assert expected in response.content.decode()
    assert expected in c.get(url("detail", 1)).content.decode()


def test_a_critical_bug_joins_a_running_sprint_without_a_reason(po, active_sprint, make_item):
    bug = make_item(Status.READY, type=ItemType.BUG, priority=Priority.CRITICAL, title="Checkout crashes")
    response = login(po.user).post(url("plan", 1), {"item": bug.key})
    assert response.status_code == 302
    assert ScopeChange.objects.get().reason == "Critical bug"


def test_running_sprint_groups_its_items_by_state(po, active_sprint, make_item):
    make_item(Status.IN_PROGRESS, sprint=active_sprint, title="Being built")
    make_item(Status.DELIVERED, sprint=active_sprint, title="On staging")
    html = login(po.user).get(url("detail", 1)).content.decode()
    in_progress = html.index('status-in_progress">In progress')
    delivered = html.index('status-delivered">Delivered')
    assert in_progress < html.index("Being built") < delivered < html.index("On staging")
    assert "Close sprint" in html and "Remove<span" not in html
