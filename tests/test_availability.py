"""Availability: each client member states when they usually have time and an out-of-office period; the
agency sees both on the People page and in the Waiting-on-the-client view, where due dates falling in an
out-of-office period are flagged."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from sightline.audit.models import AuditEvent
from sightline.backlog.models import Item
from sightline.inbox.services import availability_update
from sightline.lib.errors import InvalidInput
from sightline.projects.models import Membership
from tests.conftest import login
from tests.inbox_helpers import delivered_items

PEOPLE = reverse("projects:members", args=["ACME"])
SAVE = reverse("inbox:availability", args=["ACME"])


def save(member, **fields):
    values = {"availability": "", "out_of_office_from": None, "out_of_office_until": None, **fields}
    return availability_update(actor=member.user, membership=member, **values)


def test_a_client_member_states_their_availability_and_the_agency_sees_it(stakeholder, po):
    soon = timezone.localdate() + timedelta(days=3)
    response = login(stakeholder.user).post(
        SAVE,
        {
            "availability": "Tue/Thu mornings",
            "out_of_office_from": soon.isoformat(),
            "out_of_office_until": (soon + timedelta(days=4)).isoformat(),
        },
    )
    assert response.status_code == 302 and response["Location"] == PEOPLE
    member = Membership.objects.get(pk=stakeholder.pk)
    assert member.availability == "Tue/Thu mornings" and member.out_of_office_from == soon
    html = login(po.user).get(PEOPLE).content.decode()
    assert "Tue/Thu mornings" in html and f"Out of office {soon:%-d %b}" in html
    assert "Your availability" not in html  # agency members have no form
    event = AuditEvent.objects.get(action="membership.availability_changed")
    assert event.changes["availability"] == ["", "Tue/Thu mornings"]


def test_the_form_shows_the_members_current_values(stakeholder):
    save(stakeholder, availability="Mondays")
    html = login(stakeholder.user).get(PEOPLE).content.decode()
    assert 'value="Mondays"' in html and 'action="' + SAVE + '"' in html


def test_the_last_day_away_must_not_come_before_the_first(stakeholder):
    response = login(stakeholder.user).post(
        SAVE,
        {"availability": "Fridays", "out_of_office_from": "2026-12-10", "out_of_office_until": "2026-12-01"},
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "The last day away must be on or after the first day away." in html
    assert 'value="Fridays"' in html  # the input is kept
    assert Membership.objects.get(pk=stakeholder.pk).availability == ""


def test_an_out_of_office_period_needs_both_days(client_po):
    with pytest.raises(InvalidInput) as refused:
        save(client_po, out_of_office_from=date(2026, 12, 1))
    assert refused.value.field == "out_of_office_until"
    with pytest.raises(InvalidInput) as refused:
        save(client_po, out_of_office_until=date(2026, 12, 1))
    assert refused.value.field == "out_of_office_from"


def test_a_one_day_absence_is_fine_and_html_is_kept_as_text(client_po, po):
    save(
        client_po,
        availability="<b>Wed</b>",
        out_of_office_from=date(2026, 12, 1),
        out_of_office_until=date(2026, 12, 1),
    )
    html = login(po.user).get(PEOPLE).content.decode()
    assert "&lt;b&gt;Wed&lt;/b&gt;" in html and "<b>Wed</b>" not in html


def test_an_overlong_availability_or_a_bad_date_is_refused_next_to_the_field(stakeholder):
    c = login(stakeholder.user)
    too_long = c.post(SAVE, {"availability": "x" * 201})
    assert too_long.status_code == 422 and "at most 200 characters" in too_long.content.decode()
    bad_date = c.post(SAVE, {"out_of_office_from": "31/02/2026", "out_of_office_until": "2026-03-01"})
    assert bad_date.status_code == 422 and "Enter a valid date." in bad_date.content.decode()


def test_the_database_refuses_a_period_that_ends_before_it_starts(stakeholder):
    with pytest.raises(IntegrityError):
        Membership.objects.filter(pk=stakeholder.pk).update(
            out_of_office_from=date(2026, 12, 10), out_of_office_until=date(2026, 12, 1)
        )


@pytest.mark.parametrize("role", ["agency_po", "developer", "tester"])
def test_agency_members_have_no_availability_to_state_here(members, role):
    assert login(members[role].user).post(SAVE, {"availability": "Always"}).status_code == 403
    with pytest.raises(PermissionDenied):
        save(members[role], availability="Always")


def test_each_person_states_only_their_own(client_po, stakeholder):
    with pytest.raises(PermissionDenied):
        availability_update(
            actor=client_po.user,
            membership=stakeholder,
            availability="Never",
            out_of_office_from=None,
            out_of_office_until=None,
        )


def test_a_due_date_in_the_holders_out_of_office_period_is_flagged_to_the_agency(client_po, po, project):
    item = delivered_items(project, 1, days_ago=0)[0]
    due = _due(item)
    save(client_po, out_of_office_from=due - timedelta(days=1), out_of_office_until=due + timedelta(days=5))
    html = login(po.user).get(reverse("inbox:waiting", args=["ACME"])).content.decode()
    row = html[html.index(f'id="inbox-acceptance-{item.pk}"') :].split("</tr>")[0]
    assert f"{client_po.user.display_name} is away on the due date" in row


def test_a_due_date_outside_the_period_is_not_flagged(client_po, po, project):
    item = delivered_items(project, 1, days_ago=0)[0]
    due = _due(item)
    save(client_po, out_of_office_from=due + timedelta(days=1), out_of_office_until=due + timedelta(days=5))
    html = login(po.user).get(reverse("inbox:waiting", args=["ACME"])).content.decode()
    assert "is away on the due date" not in html
    assert "out of office" in html  # still listed with the client's people


def test_the_handover_choice_warns_about_someone_away_on_the_due_date(client_po, stakeholder, project):
    item = delivered_items(project, 1, days_ago=0)[0]
    due = _due(item)
    save(stakeholder, out_of_office_from=due, out_of_office_until=due)
    html = login(client_po.user).get(reverse("inbox:mine")).content.decode()
    assert f"{stakeholder.user.display_name} (client stakeholder) — out of office on the due date" in html


def _due(item):
    from sightline.acceptance.inbox import row_for

    return row_for(Item.objects.select_related("project").get(pk=item.pk)).due
