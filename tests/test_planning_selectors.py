"""Planning reads against known data: velocity, first-time acceptance, release scopes with unestimated
items at the median, burn-up, the forecast calendar, and the cumulative flow rebuilt from the audit trail."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item, Status
from sightline.backlog.transitions import item_accept, item_reject, item_transition
from sightline.forecast.calendar import ForecastError
from sightline.planning.flow import cumulative_flow
from sightline.planning.periods import sprint_calendar
from sightline.planning.selectors import (
    burnup_series,
    first_time_acceptance,
    project_today,
    release_scopes,
    velocity_history,
)
from sightline.sprints.services import sprint_close
from tests.conftest import make_sprint
from tests.planning_helpers import at, closed_sprints, epic, item, release

pytestmark = pytest.mark.django_db


# --- velocity ------------------------------------------------------------------------------------------
def test_velocity_history_is_the_closed_sprints_oldest_first(project, po):
    closed_sprints(project, [10, 20, 15, 25], counts=[2, 4, 3, 5])
    make_sprint(po, start=date(2026, 8, 10), active=True)
    history = velocity_history(project)
    assert history.unit == "points"
    assert history.samples == (10.0, 20.0, 15.0, 25.0)
    assert [s.accepted_items for s in history.sprints] == [2, 4, 3, 5]
    assert velocity_history(project, limit=2).samples == (15.0, 25.0)


def test_velocity_in_hours_counts_the_accepted_items_hours(project, po):
    project.estimate_unit = "hours"
    project.save()
    first, second = closed_sprints(project, [99, 99])
    for hours, sprint, status in [
        (6, first, Status.ACCEPTED),
        (4, first, Status.ACCEPTED),
        (8, second, Status.ACCEPTED),
    ]:
        made = item(po, hours=hours, status=status)
        Item.objects.filter(pk=made.pk).update(sprint=sprint)
    rolled = item(po, hours=30, status=Status.IN_PROGRESS)
    Item.objects.filter(pk=rolled.pk).update(sprint=second)
    assert velocity_history(project).samples == (10.0, 8.0)


def test_first_time_acceptance_counts_items_never_rejected(project, po, client_po, make_item):
    sprint = make_sprint(po, active=True)
    straight = make_item(Status.DELIVERED, sprint=sprint, title="Straight through")
    bounced = make_item(Status.DELIVERED, sprint=sprint, title="Rejected once")
    still_out = make_item(Status.DELIVERED, sprint=sprint, title="Rejected, not fixed")
    item_accept(actor=client_po.user, membership=client_po, item=straight)
    item_reject(actor=client_po.user, membership=client_po, item=bounced, reason="The total is wrong")
    bounced = item_transition(actor=po.user, membership=po, item=bounced, to=Status.IN_PROGRESS)
    bounced = item_transition(
        actor=po.user,
        membership=po,
        item=bounced,
        to=Status.DELIVERED,
        staging_url="https://staging.acme.test/x",
    )
    item_accept(actor=client_po.user, membership=client_po, item=bounced)
    item_reject(actor=client_po.user, membership=client_po, item=still_out, reason="Does not load at all")
    sprint_close(actor=po.user, membership=po, sprint=sprint)

    rate = first_time_acceptance(project, [sprint.number])
    assert (rate.accepted, rate.first_time) == (2, 1)
    assert rate.rate == 0.5
    assert first_time_acceptance(project, []).rate is None


# --- release scopes ------------------------------------------------------------------------------------
@pytest.fixture
def roadmap(project, po):
    """R1 (1 Mar) with epics E1, E2; R2 (no date) with E3; E4 unscheduled. Estimated items: 3, 5, 8, 2, 1
    and 4 (accepted), so the median is 3.5."""
    r1 = release(project, "R1", date(2027, 3, 1))
    r2 = release(project, "R2")
    e2 = epic(project, "Second", release=r1, rank=2)
    e1 = epic(project, "First", release=r1, rank=1)
    e3 = epic(project, "Third", release=r2, rank=3)
    e4 = epic(project, "Loose", rank=4)
    item(po, epic=e1, points=4, status=Status.ACCEPTED, created=date(2026, 6, 1), accepted=date(2026, 6, 10))
    item(po, epic=e1, points=5, created=date(2026, 6, 1))
    item(po, epic=e1, points=None, status=Status.DRAFT, created=date(2026, 6, 20), title="Not sized")
    item(po, epic=e2, points=8, created=date(2026, 6, 20))
    item(po, epic=e3, points=2)
    item(po, epic=e4, points=3)
    item(po, points=1)
    return {"r1": r1, "r2": r2, "e1": e1, "e2": e2, "e3": e3, "e4": e4}


def test_release_scope_counts_unestimated_items_at_the_median(project, roadmap):
    scopes = release_scopes(project)
    assert scopes.median == 3.5 and not scopes.median_is_default
    r1, r2 = scopes.releases
    assert [r.release.name for r in scopes.releases] == ["R1", "R2"]
    assert [e.title for e in r1.epics] == ["First", "Second"]
    assert r1.remaining == 5 + 3.5 + 8
    assert r1.remaining_count == 3
    assert [i.title for i in r1.unestimated] == ["Not sized"]
    assert r1.done == 4
    assert r2.remaining == 2


def test_what_if_epics_move_between_releases(project, roadmap):
    scopes = release_scopes(project)
    r1, r2 = scopes.with_epics({roadmap["r1"].pk: [roadmap["e1"].pk, roadmap["e4"].pk]})
    assert [e.title for e in r1.epics] == ["First", "Loose"]
    assert r1.remaining == 5 + 3.5 + 3
    assert [e.title for e in r2.epics] == ["Third"]
    r1, r2 = scopes.with_epics({roadmap["r1"].pk: [roadmap["e1"].pk, roadmap["e3"].pk]})
    assert r2.epics == []


def test_nothing_estimated_counts_each_item_as_one(project, po):
    r1 = release(project, "R1")
    e1 = epic(project, "Only", release=r1)
    item(po, epic=e1)
    item(po, epic=e1)
    scopes = release_scopes(project)
    assert scopes.median_is_default and scopes.median == 1
    assert scopes.releases[0].remaining == 2
    assert len(scopes.releases[0].unestimated) == 2


def test_a_release_without_epics_has_nothing_remaining(project):
    release(project, "Empty")
    scope = release_scopes(project).releases[0]
    assert scope.epics == [] and scope.remaining == 0


def test_burnup_follows_creation_and_acceptance_dates(project, roadmap):
    closed_sprints(project, [10, 10])  # 1-12 Jun and 15-26 Jun
    scope = release_scopes(project).releases[0]
    points = burnup_series(scope, history=velocity_history(project), today=date(2026, 7, 1))
    assert [(p.day, p.done, p.scope) for p in points] == [
        (date(2026, 5, 31), 0, 0),
        (date(2026, 6, 12), 4, 9),
        (date(2026, 6, 26), 4, 9 + 3.5 + 8),
        (date(2026, 7, 1), 4, 9 + 3.5 + 8),
    ]


def test_release_scopes_cost_the_same_queries_for_2_or_20_epics(project, po):
    def build(epics, items):
        Item.objects.all().delete()
        for r in list(project.releases.all()):
            r.delete()
        project.epics.all().delete()
        first, second = release(project, "A"), release(project, "B")
        made = [epic(project, f"E{n}", release=first if n % 2 else second, rank=n) for n in range(epics)]
        Item.objects.bulk_create(
            Item(
                project=project,
                number=n,
                key=f"ACME-{n}",
                title="x",
                epic=made[n % epics],
                points=n % 5 or None,
            )
            for n in range(1, items + 1)
        )
        with CaptureQueriesContext(connection) as queries:
            scopes = release_scopes(project)
        assert len(scopes.epics) == epics
        return len(queries)

    assert build(2, 10) == build(20, 300) == 4


# --- the forecast calendar -------------------------------------------------------------------------------
def test_calendar_starts_with_the_active_sprint(project, po):
    closed_sprints(project, [10])
    active = make_sprint(po, start=date(2026, 6, 15), active=True)
    calendar = sprint_calendar(project, today=date(2026, 6, 20))
    assert calendar.first_start == active.start_date
    assert calendar.length_days == 14


def test_a_sprint_past_its_end_date_gives_way_to_periods_from_today_or_the_next_working_day(project, po):
    closed_sprints(project, [10])
    make_sprint(po, start=date(2026, 6, 15), active=True)  # ends Fri 26 Jun, still active
    assert sprint_calendar(project, today=date(2026, 6, 26)).first_start == date(2026, 6, 15)
    assert sprint_calendar(project, today=date(2026, 7, 8)).first_start == date(2026, 7, 8)
    assert sprint_calendar(project, today=date(2026, 7, 11)).first_start == date(2026, 7, 13)  # Sat: Mon


def test_calendar_starts_after_the_last_sprint_or_today(project):
    project.sprint_length_weeks = 1
    project.holidays = ["2026-12-25", "not a date"]
    project.working_days = [0, 1, 2, 3]
    project.save()
    closed_sprints(project, [10])  # ends 12 Jun
    calendar = sprint_calendar(project, today=date(2026, 6, 10))
    assert calendar.first_start == date(2026, 6, 13)
    assert calendar.length_days == 7
    assert calendar.work.working_days == frozenset({0, 1, 2, 3})
    assert calendar.work.holidays == frozenset({date(2026, 12, 25)})
    assert sprint_calendar(project, today=date(2026, 9, 1)).first_start == date(2026, 9, 1)


def test_calendar_starts_with_the_next_planned_sprint_and_never_before_the_project(project, po):
    make_sprint(po, start=date(2026, 11, 2))
    assert sprint_calendar(project, today=date(2026, 10, 28)).first_start == date(2026, 11, 2)
    project.start_date = date(2026, 11, 9)
    assert sprint_calendar(project, today=date(2026, 10, 28)).first_start == date(2026, 11, 9)


def test_today_is_the_projects_date(project):
    from datetime import UTC, datetime

    project.time_zone = "Pacific/Auckland"
    assert project_today(project, datetime(2026, 6, 1, 13, 0, tzinfo=UTC)) == date(2026, 6, 2)


def test_an_unknown_time_zone_is_refused_not_taken_for_utc(project):
    from datetime import UTC, datetime

    project.time_zone = "Nowhere/Atlantis"
    with pytest.raises(ForecastError) as refused:
        project_today(project, datetime(2026, 6, 1, 13, 0, tzinfo=UTC))
    assert refused.value.field == "time_zone"
    assert "Nowhere/Atlantis" in refused.value.message


# --- cumulative flow ---------------------------------------------------------------------------------------
def _moved(item_obj, day, before, after, hour=12):
    AuditEvent.objects.create(
        project=item_obj.project,
        item=item_obj,
        at=at(day, hour),
        action="item.transitioned",
        target_type="item",
        target_id=item_obj.pk,
        changes={"status": [before, after]},
    )


def test_cumulative_flow_rebuilds_each_days_counts_from_the_audit_trail(project, po):
    today = date(2026, 11, 20)
    d = lambda n: today - timedelta(days=n)  # noqa: E731
    old = item(po, points=3, status=Status.ACCEPTED, created=d(90), title="Old")  # before the window
    _moved(old, d(3), Status.DELIVERED, Status.ACCEPTED)
    walking = item(po, points=2, status=Status.IN_PROGRESS, created=d(10), title="Walking")
    _moved(walking, d(8), Status.DRAFT, Status.READY)
    _moved(walking, d(5), Status.READY, Status.PLANNED)
    _moved(walking, d(2), Status.PLANNED, Status.IN_PROGRESS)
    item(po, points=1, status=Status.DRAFT, created=d(1), title="New")
    _moved(old, d(200), Status.DRAFT, Status.READY)  # long before the window: ignored

    flow = cumulative_flow(project, today=today)
    assert len(flow.days) == 56 and flow.days[-1] == today
    series = dict(flow.series)
    assert list(series) == ["Draft", "Ready", "Planned", "In progress", "Rejected", "Delivered", "Accepted"]

    def on(n):
        i = flow.days.index(d(n))
        return {label: counts[i] for label, counts in series.items() if counts[i]}

    assert on(20) == {"Delivered": 1}
    assert on(10) == {"Delivered": 1, "Draft": 1}
    assert on(8) == {"Delivered": 1, "Ready": 1}
    assert on(5) == {"Delivered": 1, "Planned": 1}
    assert on(3) == {"Accepted": 1, "Planned": 1}
    assert on(1) == {"Accepted": 1, "In progress": 1, "Draft": 1}
    assert on(0) == on(1)


def test_cumulative_flow_costs_two_queries_whatever_the_size(project, po):
    for n in range(30):
        made = item(po, points=1, status=Status.READY, created=date(2026, 11, 1))
        _moved(made, date(2026, 11, 2 + n % 10), Status.DRAFT, Status.READY)
    with CaptureQueriesContext(connection) as queries:
        cumulative_flow(project, today=date(2026, 11, 20))
    assert len(queries) == 2
