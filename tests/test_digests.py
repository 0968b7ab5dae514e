"""Weekly digests: what the client and the team read, what they never read, and sending once a week."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sightline.accounts.models import User
from sightline.audit.services import audit_record
from sightline.backlog.models import Status
from sightline.backlog.services import comment_add, item_create
from sightline.backlog.transitions import item_accept, item_reject, item_transition
from sightline.digests.content import build_digest, period_for
from sightline.digests.models import Audience, DigestSent
from sightline.digests.services import digests_send, render_digest
from sightline.notifications.models import NotificationPreference
from sightline.projects.models import Membership, Role
from tests.conftest import login, make_sprint

SECRET_NOTE = "Internal: the client's budget is nearly spent"
SECRET_EVENT = "Internal event about the margin"
GLOBEX_TITLE = "Globex confidential launch page"


@pytest.fixture
def week(members, po, client_po, dev, make_item, other_project):
    """ACME with an active sprint: one item accepted, one on staging, one rejected, one in progress;
    an internal note and an internal audit event; and an accepted and a delivered item in GLOBEX."""
    sprint = make_sprint(po, active=True, goal="Let buyers pay with a saved card")
    accepted = make_item(Status.DELIVERED, sprint=sprint, title="Pay with a saved card", points=5)
    item_accept(actor=client_po.user, membership=client_po, item=accepted)
    staging = make_item(Status.DELIVERED, sprint=sprint, title="Compare two bikes", points=3)
    rejected = make_item(Status.DELIVERED, sprint=sprint, title="Print the invoice", points=2)
    item_reject(
        actor=client_po.user, membership=client_po, item=rejected, reason="The VAT line is missing on the PDF"
    )
    make_item(Status.IN_PROGRESS, sprint=sprint, title="Filter by frame size", points=8)
    comment_add(actor=dev.user, membership=dev, item=staging, body=SECRET_NOTE, internal=True)
    audit_record(
        actor=po.user,
        project=po.project,
        item=staging,
        action="item.transitioned",
        target=staging,
        changes={"status": ["delivered", "delivered"]},
        note=SECRET_EVENT,
        internal=True,
    )
    globex_po = Membership.objects.create(
        project=other_project,
        user=User.objects.create_user(email="po@globex.test", password="x-Long-pass-1"),
        role=Role.AGENCY_PO,
    )
    globex_client = Membership.objects.create(
        project=other_project,
        user=User.objects.create_user(email="client@globex.test", password="x-Long-pass-1"),
        role=Role.CLIENT_PO,
    )
    globex_sprint = make_sprint(globex_po, active=True, goal="Globex goal")
    for title in (GLOBEX_TITLE, GLOBEX_TITLE + " two"):
        item = item_create(actor=globex_po.user, membership=globex_po, title=title, points=1, criteria=["Ok"])
        item.user_story = "As a visitor I want it"
        item.save()
        for step in (Status.READY, Status.PLANNED, Status.IN_PROGRESS, Status.DELIVERED):
            item = item_transition(
                actor=globex_po.user,
                membership=globex_po,
                item=item,
                to=step,
                sprint=globex_sprint,
                scope_reason="Agreed",
                staging_url="https://staging.globex.test/launch",
            )
    item_accept(actor=globex_client.user, membership=globex_client, item=item)
    return {"sprint": sprint, "accepted": accepted, "staging": staging, "rejected": rejected}


def _rendered(project, audience, reader):
    subject, text, html = render_digest(build_digest(project, audience, reader=reader))
    return subject, text, html


@pytest.mark.parametrize("audience", [Audience.CLIENT, Audience.TEAM])
def test_no_digest_contains_internal_notes_or_another_projects_items(week, project, po, client_po, audience):
    reader = client_po.user if audience == Audience.CLIENT else po.user
    subject, text, html = _rendered(project, audience, reader)
    for body in (text, html):
        assert SECRET_NOTE not in body
        assert SECRET_EVENT not in body
        assert "Globex" not in body
        assert "globex" not in body


def test_the_client_digest_says_what_was_accepted_and_what_is_on_staging_with_links(
    week, project, client_po, settings
):
    subject, text, html = _rendered(project, Audience.CLIENT, client_po.user)
    staging = week["staging"]
    review = f"{settings.SIGHTLINE_BASE_URL}/p/ACME/items/{staging.key}/review/"
    for body in (text, html):
        assert "Pay with a saved card" in body  # accepted this week
        assert "Compare two bikes" in body  # on staging
        assert review in body
        assert "https://staging.acme.test/checkout" in body
        assert "Let buyers pay with a saved card" in body  # the sprint goal
        assert "5 of 18 points accepted (1 of 4 items)" in body
    assert "Accepted in the last seven days" in html and "Ready for your review" in html
    assert "your week at a glance" in subject


def test_the_client_digest_leaves_out_the_teams_detail(week, project, client_po):
    _subject, text, html = _rendered(project, Audience.CLIENT, client_po.user)
    for body in (text, html):
        assert "Filter by frame size" not in body  # work in progress is the team's business
        assert "Every state change" not in body and "EVERY STATE CHANGE" not in body
        assert "Velocity" not in body


def test_the_team_digest_has_state_changes_rejections_with_reasons_and_what_waits_with_its_age(
    week, project, po
):
    subject, text, html = _rendered(project, Audience.TEAM, po.user)
    for body in (text, html):
        assert "The VAT line is missing on the PDF" in body
        assert "Filter by frame size" in body
        assert "awaiting acceptance, on staging for" in body
        assert "In progress → " in body
    assert subject.startswith("[ACME] Team digest, week of ")


def test_the_team_digest_gives_the_velocity_of_the_last_closed_sprint(week, project, po):
    from sightline.sprints.services import sprint_close

    sprint_close(actor=po.user, membership=po, sprint=week["sprint"])
    _subject, text, html = _rendered(project, Audience.TEAM, po.user)
    assert "Velocity of Sprint 1: 5 points" in text
    assert "Velocity of Sprint 1:" in html


def test_the_team_digest_lists_scope_changes_with_their_reason(week, project, po, make_item):
    make_item(Status.PLANNED, sprint=week["sprint"], title="Urgent banner", points=1)
    _subject, text, _html = _rendered(project, Audience.TEAM, po.user)
    assert "Urgent banner joined Sprint 1" in text
    assert "Agreed with the client" in text


def test_html_in_item_titles_is_escaped_in_the_email(members, po, client_po, make_item, project):
    make_item(Status.DELIVERED, title="<script>alert(1)</script> & <b>bold</b>")
    for audience, reader in ((Audience.CLIENT, client_po.user), (Audience.TEAM, po.user)):
        _subject, text, html = _rendered(project, audience, reader)
        assert "<script>" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
        assert "<script>alert(1)</script> & <b>bold</b>" in text  # plain text shows it as typed


def test_the_email_html_is_a_whole_document_with_a_title_and_a_language(week, project, client_po):
    subject, _text, html = _rendered(project, Audience.CLIENT, client_po.user)
    assert html.lstrip().startswith("<!doctype html>")
    assert '<html lang="en">' in html and '<meta charset="utf-8">' in html
    assert f"<title>{subject}</title>" in html
    assert html.count("<table") == html.count("</table>")
    assert html.count("<ul") == html.count("</ul>") and html.count("<li") == html.count("</li>")


def _items(make_item, sprint, n):
    for i in range(n):
        make_item(Status.DELIVERED, sprint=sprint, title=f"Delivered {i}")
        make_item(Status.IN_PROGRESS, sprint=sprint, title=f"Working {i}")


@pytest.mark.parametrize("audience", [Audience.CLIENT, Audience.TEAM])
def test_building_a_digest_takes_as_many_queries_for_thirty_items_as_for_three(
    members, po, client_po, make_item, project, audience
):
    sprint = make_sprint(po, active=True)
    reader = client_po.user if audience == Audience.CLIENT else po.user

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            render_digest(build_digest(project, audience, reader=reader))
        return len(queries)

    _items(make_item, sprint, 3)
    few = count()
    _items(make_item, sprint, 27)
    assert count() == few


def test_each_audience_goes_to_its_own_members(week, project, mailoutbox):
    outcomes = digests_send(projects=[project])
    sent = {(o.audience, o.email) for o in outcomes if o.status == "sent"}
    assert sent == {
        ("client", "client_po@example.test"),
        ("client", "client_stakeholder@example.test"),
        ("team", "agency_po@example.test"),
        ("team", "developer@example.test"),
        ("team", "tester@example.test"),
    }
    assert len(mailoutbox) == 5
    message = next(m for m in mailoutbox if m.to == ["client_po@example.test"])
    assert message.alternatives[0][1] == "text/html"
    assert "Compare two bikes" in message.body and "Compare two bikes" in message.alternatives[0][0]


def test_running_twice_in_a_week_sends_nothing_new(week, project, mailoutbox):
    now = timezone.now()
    digests_send(projects=[project], now=now)
    first = len(mailoutbox)
    again = digests_send(projects=[project], now=now + timedelta(minutes=5))
    assert len(mailoutbox) == first
    assert {o.status for o in again} == {"already sent"}
    monday = period_for(project, now).start
    assert f"already sent for the week of {monday:%-d %b %Y}" in str(again[0])
    assert DigestSent.objects.filter(project=project).count() == first


def test_the_next_week_sends_again(week, project, mailoutbox):
    now = timezone.now()
    digests_send(projects=[project], audiences=[Audience.CLIENT], now=now)
    digests_send(projects=[project], audiences=[Audience.CLIENT], now=now + timedelta(days=7))
    assert len(mailoutbox) == 4
    assert DigestSent.objects.values("period_start").distinct().count() == 2


def test_the_week_begins_on_monday_in_the_projects_time_zone(project):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    project.time_zone = "Pacific/Auckland"
    # Sunday 22:30 UTC is already Monday morning in Auckland.
    sunday_night_utc = datetime(2026, 3, 8, 22, 30, tzinfo=ZoneInfo("UTC"))
    assert str(period_for(project, sunday_night_utc).start) == "2026-03-09"
    project.time_zone = "Europe/London"
    assert str(period_for(project, sunday_night_utc).start) == "2026-03-02"


def test_a_dry_run_sends_and_records_nothing(week, project, mailoutbox):
    outcomes = digests_send(projects=[project], dry_run=True)
    assert mailoutbox == []
    assert DigestSent.objects.count() == 0
    assert {o.status for o in outcomes} == {"would send"}


def test_the_command_takes_a_project_an_audience_and_a_dry_run(week, project, mailoutbox, capsys):
    call_command("send_digests", "--project", "ACME", "--audience", "client", "--dry-run")
    out = capsys.readouterr().out
    assert "ACME client digest to client_po@example.test: would send" in out
    assert "team digest" not in out
    assert "2 digests would be sent." in out
    assert mailoutbox == []
    call_command("send_digests", "--project", "ACME", "--audience", "client")
    call_command("send_digests", "--project", "ACME", "--audience", "client")
    out = capsys.readouterr().out
    assert "already sent for the week of" in out
    assert len(mailoutbox) == 2


def test_the_command_refuses_an_unknown_project(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no project 'NOPE'"):
        call_command("send_digests", "--project", "NOPE")


def test_a_quiet_week_sends_nothing(members, project, mailoutbox):
    outcomes = digests_send(projects=[project])
    assert mailoutbox == []
    assert {o.status for o in outcomes} == {"nothing to say"}


def test_a_person_who_turned_the_weekly_digest_off_does_not_get_it(week, project, client_po, mailoutbox):
    NotificationPreference.objects.create(user=client_po.user, kind="digest.weekly", delivery="off")
    digests_send(projects=[project], audiences=[Audience.CLIENT])
    assert [m.to for m in mailoutbox] == [["client_stakeholder@example.test"]]


# --- The preview page ------------------------------------------------------------------------------


def test_the_agency_po_previews_both_digests(week, po):
    c = login(po.user)
    client = c.get("/p/ACME/digest/?audience=client")
    assert client.status_code == 200
    assert b"For the team" in client.content and b"For the client" in client.content
    assert b'src="/p/ACME/digest/email/?audience=client"' in client.content
    assert b"sandbox=" in client.content
    team = c.get("/p/ACME/digest/?audience=team")
    assert team.status_code == 200 and b"Team digest" in team.content


def test_the_client_previews_the_client_digest_only(week, client_po, stakeholder):
    for member in (client_po, stakeholder):
        c = login(member.user)
        page = c.get("/p/ACME/digest/")
        assert page.status_code == 200
        assert b"your week at a glance" in page.content
        assert b"For the team" not in page.content
        assert c.get("/p/ACME/digest/?audience=team").status_code == 403
        assert c.get("/p/ACME/digest/email/?audience=team").status_code == 403


def test_developers_and_testers_preview_the_team_digest(week, dev, tester):
    for member in (dev, tester):
        c = login(member.user)
        assert b"Team digest" in c.get("/p/ACME/digest/").content
        assert c.get("/p/ACME/digest/?audience=client").status_code == 403


def test_outsiders_get_404_for_the_preview_and_the_email(week, outsider):
    c = login(outsider.user)
    assert c.get("/p/ACME/digest/").status_code == 404
    assert c.get("/p/ACME/digest/email/").status_code == 404


def test_the_email_frame_allows_inline_styles_on_that_response_only(week, client_po):
    c = login(client_po.user)
    email = c.get("/p/ACME/digest/email/?audience=client")
    assert email.status_code == 200
    policy = email["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in policy and "default-src 'none'" in policy
    assert "script-src" not in policy and "sandbox" in policy
    assert email["X-Frame-Options"] == "SAMEORIGIN"
    assert b"Compare two bikes" in email.content
    page = c.get("/p/ACME/digest/")
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    assert b"style=" not in page.content


def test_the_preview_shows_the_plain_text_version_escaped(members, client_po, make_item):
    make_item(Status.DELIVERED, title="<img src=x onerror=alert(1)>")
    page = login(client_po.user).get("/p/ACME/digest/")
    assert b"<img src=x" not in page.content
    assert b"&lt;img src=x onerror=alert(1)&gt;" in page.content


def test_deliveries_the_reader_must_answer_say_by_when_and_others_do_not(
    week, project, client_po, stakeholder
):
    _s, text, html = _rendered(project, Audience.CLIENT, client_po.user)
    assert "1 delivery to accept or reject" in text
    assert "please answer by" in text and "please answer by" in html
    _s, text, html = _rendered(project, Audience.CLIENT, stakeholder.user)
    assert "Compare two bikes" in text  # a stakeholder may look at it on staging too
    assert "to accept or reject" not in text and "please answer by" not in text
    assert "Nothing waits for you right now." in text


def test_the_team_digest_names_who_holds_a_delivery_only_while_they_are_still_a_client_member(
    week, project, po, client_po, stakeholder
):
    from sightline.inbox.services import request_handover

    request_handover(
        actor=client_po.user, membership=client_po, obj=week["staging"], to_user=stakeholder.user, note=""
    )
    held = f"held by {stakeholder.user.display_name}"
    _, text, html = _rendered(project, Audience.TEAM, po.user)
    assert held in text and held in html
    stakeholder.delete()
    _, text, html = _rendered(project, Audience.TEAM, po.user)
    assert held not in text and held not in html
