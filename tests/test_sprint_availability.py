"""The team's availability per sprint: what the agency PO enters, the checks against the sprint's
calendar, the capacity it sets (hours × focus factor), the audit trail, and who sees the page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.accounts.models import User
from sightline.audit.models import AuditEvent
from sightline.lib.errors import DomainError, InvalidInput
from sightline.projects.models import Membership, Role
from sightline.sprints.models import SprintAvailability
from sightline.sprints.services import (
    AvailabilityRow,
    sprint_close,
    sprint_set_availability,
    sprint_update,
)
from tests.conftest import login, make_sprint

# make_sprint: Monday 2 Nov 2026 to Friday 13 Nov 2026, 10 working days, 80 h for a full-time person.


def _set(po, sprint, *rows):
    return sprint_set_availability(actor=po.user, membership=po, sprint=sprint, rows=list(rows))


def url(sprint, suffix="availability/"):
    return f"/p/ACME/sprints/{sprint.number}/{suffix}"


# --- The service -----------------------------------------------------------------------------------


def test_capacity_is_the_sum_of_hours_times_the_focus_factor(po, dev, tester, sprint):
    sprint = _set(
        po,
        sprint,
        AvailabilityRow(po, Decimal(40)),
        AvailabilityRow(dev, Decimal(80)),
        AvailabilityRow(tester, Decimal(60), days_off=2, note="Conference"),
    )
    assert sprint.capacity_hours == Decimal("144.0")  # 180 h × 0.80
    sprint.refresh_from_db()
    assert sprint.capacity_hours == Decimal("144.0")
    assert SprintAvailability.objects.get(sprint=sprint, membership=tester).note == "Conference"


def test_the_projects_focus_factor_is_used_and_rounded_to_a_tenth(project, po, dev, sprint):
    project.focus_factor = Decimal("0.70")
    project.save()
    sprint.project.refresh_from_db()
    sprint = _set(po, sprint, AvailabilityRow(dev, Decimal("33.5")))
    assert sprint.capacity_hours == Decimal("23.5")  # 23.45 rounds half up


def test_empty_hours_mean_full_days_for_the_working_days_not_taken_off(po, dev, sprint):
    _set(po, sprint, AvailabilityRow(dev, None, days_off=3))
    assert SprintAvailability.objects.get(membership=dev).hours == Decimal(56)  # 7 days × 8 h


def test_holidays_are_not_working_days(project, po, dev, sprint):
    project.holidays = ["2026-11-11"]
    project.save()
    sprint.project.refresh_from_db()
    _set(po, sprint, AvailabilityRow(dev, None))
    assert SprintAvailability.objects.get(membership=dev).hours == Decimal(72)


def test_members_left_out_keep_what_they_had(po, dev, tester, sprint):
    _set(po, sprint, AvailabilityRow(dev, Decimal(80)), AvailabilityRow(tester, Decimal(20)))
    sprint = _set(po, sprint, AvailabilityRow(dev, Decimal(40)))
    assert sprint.capacity_hours == Decimal("48.0")  # (40 + 20) × 0.8


@pytest.mark.parametrize(
    ("row", "field", "words"),
    [
        ({"hours": Decimal(-1)}, "hours", "between 0 and 80"),
        ({"hours": Decimal(81)}, "hours", "between 0 and 80"),
        ({"hours": Decimal(60), "days_off": 3}, "hours", "after 3 days off"),
        ({"hours": None, "days_off": 11}, "days_off", "10 working days"),
        ({"hours": None, "days_off": -1}, "days_off", "between 0"),
        ({"hours": None, "note": "x" * 201}, "note", "200 characters"),
    ],
)
def test_bad_rows_are_refused_naming_the_person_and_field(po, dev, sprint, row, field, words):
    with pytest.raises(InvalidInput) as refused:
        _set(po, sprint, AvailabilityRow(dev, **row))
    assert refused.value.field == f"{dev.pk}-{field}"
    assert words in refused.value.message
    assert dev.user.display_name in refused.value.message
    assert not SprintAvailability.objects.exists()


def test_only_agency_members_of_the_project_have_availability(po, client_po, outsider, sprint):
    for membership in (client_po, outsider):
        with pytest.raises(InvalidInput):
            _set(po, sprint, AvailabilityRow(membership, Decimal(10)))


def test_a_closed_sprint_refuses_new_availability(po, dev):
    sprint = make_sprint(po, active=True)
    sprint_close(actor=po.user, membership=po, sprint=sprint)
    with pytest.raises(DomainError) as refused:
        _set(po, sprint, AvailabilityRow(dev, Decimal(10)))
    assert "closed" in refused.value.message


def test_only_the_agency_po_may_set_availability(dev, sprint):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        sprint_set_availability(
            actor=dev.user, membership=dev, sprint=sprint, rows=[AvailabilityRow(dev, Decimal(10))]
        )


def test_availability_is_audited_as_internal_with_the_capacity_change(po, dev, sprint):
    _set(po, sprint, AvailabilityRow(dev, Decimal(40), days_off=5, note="Holiday"))
    event = AuditEvent.objects.get(action="sprint.availability_set")
    name = dev.user.display_name
    assert event.internal
    assert event.changes[f"{name} hours"] == [None, "40"]
    assert event.changes[f"{name} days off"] == [None, 5]
    assert event.changes["capacity_hours"] == ["80", "32"]


def test_saving_the_same_availability_again_records_nothing(po, dev, sprint):
    _set(po, sprint, AvailabilityRow(dev, Decimal(40)))
    _set(po, sprint, AvailabilityRow(dev, Decimal("40.0")))
    assert AuditEvent.objects.filter(action="sprint.availability_set").count() == 1


def test_a_sprint_without_availability_keeps_its_capacity_entered_by_hand(po, sprint):
    sprint = sprint_update(actor=po.user, membership=po, sprint=sprint, goal="Gift cards", capacity_hours=95)
    assert sprint.capacity_hours == 95


def test_capacity_from_availability_cannot_be_overwritten_by_hand(po, dev, sprint):
    sprint = _set(po, sprint, AvailabilityRow(dev, Decimal(40)))
    with pytest.raises(InvalidInput) as refused:
        sprint_update(actor=po.user, membership=po, sprint=sprint, goal="", capacity_hours=100)
    assert refused.value.field == "capacity_hours"
    sprint_update(actor=po.user, membership=po, sprint=sprint, goal="New goal", capacity_hours=32)


# --- The page --------------------------------------------------------------------------------------


def test_the_agency_po_edits_availability_on_the_page(po, dev, tester, sprint):
    data = {f"{dev.pk}-hours": "80", f"{dev.pk}-days_off": "0", f"{tester.pk}-days_off": "5"}
    response = login(po.user).post(url(sprint), data)
    assert response.status_code == 302
    sprint.refresh_from_db()
    # dev 80 + tester 40 (5 days left) + po 80 (left empty: full time) = 200 h × 0.8
    assert sprint.capacity_hours == Decimal(160)
    page = login(po.user).get(url(sprint)).content.decode()
    assert "3 people, <strong>200 h</strong> available × focus 0.80 = <strong>160 h</strong>" in page


def test_the_page_over_htmx_returns_the_sheet_with_the_new_capacity(po, dev, sprint):
    response = login(po.user).post(url(sprint), {f"{dev.pk}-hours": "10"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="availability"' in html and "<html" not in html
    assert "Saved." in html


def test_a_bad_line_is_shown_on_that_line_and_nothing_is_saved(po, dev, sprint):
    response = login(po.user).post(url(sprint), {f"{dev.pk}-hours": "120"})
    html = response.content.decode()
    assert response.status_code == 422
    assert f"{dev.user.display_name} · Hours available: Hours must be between 0 and 80" in html
    assert not SprintAvailability.objects.exists()


def test_a_non_number_is_refused_with_the_field_named(po, dev, sprint):
    response = login(po.user).post(url(sprint), {f"{dev.pk}-days_off": "many"})
    assert response.status_code == 422
    assert f"{dev.user.display_name} · Days off:" in response.content.decode()


def test_a_closed_sprints_page_is_read_only_and_refuses_a_post(po, dev):
    sprint = make_sprint(po, active=True)
    sprint_close(actor=po.user, membership=po, sprint=sprint)
    page = login(po.user).get(url(sprint)).content.decode()
    assert "is closed" in page and "Save availability" not in page
    response = login(po.user).post(url(sprint), {f"{dev.pk}-hours": "10"})
    assert response.status_code == 400
    assert "closed" in response.content.decode()


def test_developers_see_the_sheet_but_may_not_change_it(dev, sprint):
    client = login(dev.user)
    page = client.get(url(sprint))
    assert page.status_code == 200 and "Save availability" not in page.content.decode()
    assert client.post(url(sprint), {f"{dev.pk}-hours": "10"}).status_code == 403


@pytest.mark.parametrize("role", [Role.CLIENT_PO, Role.CLIENT_STAKEHOLDER])
def test_client_members_do_not_see_who_is_available(members, role, sprint):
    assert login(members[role].user).get(url(sprint)).status_code == 403


def test_client_members_see_the_capacity_total_on_the_sprint_page(po, dev, client_po, sprint):
    _set(po, sprint, AvailabilityRow(dev, Decimal(50)))
    page = login(client_po.user).get(f"/p/ACME/sprints/{sprint.number}/").content.decode()
    assert "1 person, 50 h available × focus 0.80 = 40 h" in page
    assert url(sprint) not in page


def test_outsiders_get_404(outsider, sprint):
    assert login(outsider.user).get(url(sprint)).status_code == 404


def test_the_planning_page_says_where_capacity_comes_from_and_links_the_sheet(po, sprint):
    page = login(po.user).get(f"/p/ACME/sprints/{sprint.number}/").content.decode()
    assert "Capacity entered by hand" in page
    assert "Edit team availability" in page


def _team(project, size):
    for n in range(size):
        user = User.objects.create_user(email=f"dev{n}@agency.test", password="x", full_name=f"Dev {n}")
        Membership.objects.create(project=project, user=user, role=Role.DEVELOPER)


def _queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_availability_page_uses_as_many_queries_for_15_people_as_for_3(project, po, sprint):
    client = login(po.user)
    client.get(url(sprint))  # warm the session
    few = _queries(client, url(sprint))
    _team(project, 12)
    for membership in Membership.objects.filter(project=project, role=Role.DEVELOPER):
        _set(po, sprint, AvailabilityRow(membership, Decimal(8)))
    many = _queries(client, url(sprint))
    assert many == few
