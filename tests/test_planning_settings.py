"""The project's planning settings page: estimate unit, focus factor, start date, holidays and the
fallback velocity range; who may change them, how bad input is refused, and the audit trail."""

from datetime import date
from decimal import Decimal

import pytest

from sightline.audit.models import AuditEvent
from sightline.lib.errors import InvalidInput
from sightline.projects.models import Project, Role
from sightline.projects.services import project_planning_update
from sightline.roadmap.models import Release
from sightline.sprints.services import AvailabilityRow, sprint_set_availability
from tests.conftest import login, make_sprint

URL = "/p/ACME/settings/"
VALID = {"estimate_unit": "points", "focus_factor": "0.75", "start_date": "2026-09-01", "holidays": ""}


def post(membership, **changes):
    return login(membership.user).post(URL, {**VALID, **changes})


def test_the_agency_po_saves_the_planning_settings(po, project):
    response = post(
        po,
        holidays="2026-12-25\n\n 2026-12-24 \n2026-12-25",
        forecast_velocity_low="12",
        forecast_velocity_high="20.5",
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.estimate_unit == "points"
    assert project.focus_factor == Decimal("0.75")
    assert project.start_date == date(2026, 9, 1)
    assert project.holidays == ["2026-12-24", "2026-12-25"]
    assert (project.forecast_velocity_low, project.forecast_velocity_high) == (12, Decimal("20.5"))


def test_the_page_shows_the_current_settings_with_help(po, project):
    project.holidays = ["2026-12-25", "2027-01-01"]
    project.save()
    page = login(po.user).get(URL).content.decode()
    assert "2026-12-25\n2027-01-01" in page
    assert "fewer than 3 sprints are closed" in page
    assert 'value="0.80"' in page


def test_changes_are_audited_field_by_field(po):
    post(po, focus_factor="0.7")
    event = AuditEvent.objects.get(action="project.settings_updated")
    assert event.changes["focus_factor"] == ["0.8", "0.7"]
    assert event.changes["estimate_unit"] == ["both", "points"]
    assert event.actor == po.user


def test_saving_unchanged_settings_records_nothing(po, project):
    post(po)
    post(po)
    assert AuditEvent.objects.filter(action="project.settings_updated").count() == 1


def test_a_bad_holiday_line_is_named(po, project):
    response = post(po, holidays="2026-12-25\n25/12/2026\n2026-02-30")
    html = response.content.decode()
    assert response.status_code == 422
    assert "Line 2: “25/12/2026” is not a date like 2026-12-25." in html
    assert "Line 3: “2026-02-30” is not a date like 2026-12-25." in html
    project.refresh_from_db()
    assert project.holidays == []


@pytest.mark.parametrize("value", ["0", "1.5", "0.05", "abc", "-0.8"])
def test_a_focus_factor_out_of_range_is_refused(po, value):
    response = post(po, focus_factor=value)
    assert response.status_code == 422
    assert "Focus factor:" in response.content.decode()
    assert Project.objects.get(key="ACME").focus_factor == Decimal("0.80")


@pytest.mark.parametrize("focus", ["0.8", "1.5"])  # also said alongside other errors
def test_a_range_with_low_above_high_is_refused(po, focus):
    response = post(po, forecast_velocity_low="20", forecast_velocity_high="10", focus_factor=focus)
    assert response.status_code == 422
    assert "Velocity range: high: Must be at least the low end (20)." in response.content.decode()


@pytest.mark.parametrize(
    ("low", "high", "named"),
    [
        ("10", "", "Velocity range: high"),
        ("", "10", "Velocity range: low"),
        ("0", "5", "Velocity range: low"),
    ],
)
def test_the_range_needs_both_ends_above_zero(po, low, high, named):
    response = post(po, forecast_velocity_low=low, forecast_velocity_high=high)
    assert response.status_code == 422
    assert named in response.content.decode()


@pytest.mark.parametrize("role", [Role.DEVELOPER, Role.TESTER, Role.CLIENT_PO, Role.CLIENT_STAKEHOLDER])
def test_other_roles_may_not_see_or_change_the_settings(members, role):
    client = login(members[role].user)
    assert client.get(URL).status_code == 403
    assert client.post(URL, VALID).status_code == 403


def test_outsiders_get_404(outsider):
    assert login(outsider.user).get(URL).status_code == 404


def test_the_service_checks_the_rules_for_every_caller(po):
    with pytest.raises(InvalidInput) as refused:
        project_planning_update(actor=po.user, membership=po, holidays=["Christmas"])
    assert refused.value.field == "holidays"
    with pytest.raises(InvalidInput) as refused:
        project_planning_update(actor=po.user, membership=po, forecast_velocity_low=Decimal(5))
    assert refused.value.field == "forecast_velocity_high"
    with pytest.raises(InvalidInput) as refused:
        project_planning_update(actor=po.user, membership=po, focus_factor=Decimal("1.2"))
    assert refused.value.field == "focus_factor"


def test_the_engagement_cannot_start_after_its_first_sprint(po, project):
    make_sprint(po, start=date(2026, 11, 2))
    with pytest.raises(InvalidInput) as refused:
        project_planning_update(actor=po.user, membership=po, start_date=date(2026, 11, 3))
    assert refused.value.field == "start_date"
    assert "Sprint 1 starts before it, on 2 Nov 2026. Choose 2 Nov 2026 or earlier." in refused.value.message
    response = post(po, start_date="2026-11-09")
    assert response.status_code == 422
    assert "The engagement cannot start on 9 Nov 2026" in response.content.decode()
    project.refresh_from_db()
    assert project.start_date is None
    assert project_planning_update(actor=po.user, membership=po, start_date=date(2026, 11, 2)).start_date


def test_the_engagement_cannot_start_after_a_release_target_date(po, project):
    Release.objects.create(project=project, name="R1", target_date=date(2027, 1, 15), rank=1)
    Release.objects.create(project=project, name="R2", rank=2)  # no target date: no limit
    with pytest.raises(InvalidInput) as refused:
        project_planning_update(actor=po.user, membership=po, start_date=date(2027, 2, 1))
    assert refused.value.field == "start_date"
    assert "the release “R1” targets 15 Jan 2027" in refused.value.message
    assert project_planning_update(actor=po.user, membership=po, start_date=date(2027, 1, 15)).start_date


def test_a_new_focus_factor_resets_the_capacity_of_open_sprints_with_availability(po, dev, sprint):
    sprint_set_availability(
        actor=po.user, membership=po, sprint=sprint, rows=[AvailabilityRow(dev, Decimal(50))]
    )
    post(po, focus_factor="0.6")
    sprint.refresh_from_db()
    assert sprint.capacity_hours == Decimal(30)


def test_the_settings_tab_is_shown_to_the_agency_po_only(po, dev):
    assert 'href="/p/ACME/settings/"' in login(po.user).get("/p/ACME/").content.decode()
    assert 'href="/p/ACME/settings/"' not in login(dev.user).get("/p/ACME/").content.decode()
