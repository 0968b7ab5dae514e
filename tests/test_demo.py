"""The demo engagement: `sightline load_demo` builds ACME and GLOBEX through the services, once.

The loader runs once for the whole module (setUpTestData); each test reads what it built.
"""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.http import Http404
from django.test import TestCase
from django.utils import timezone

from sightline.accounts.models import User
from sightline.audit.models import AuditEvent
from sightline.backlog.models import AcceptanceDecision, Comment, Epic, Item, ItemTemplate, Status, Subtask
from sightline.demo.management.commands.demo import Command as DemoCommand
from sightline.notifications.models import Notification
from sightline.projects.models import Membership, Project, Role
from sightline.projects.policy import get_project_for
from sightline.roadmap.models import Release
from sightline.sprints.models import ScopeChange, Sprint, SprintState

INTERNAL_NOTE = "Internal: estimate is optimistic, the payment provider's sandbox is flaky"
COUNTED = (
    User,
    Project,
    Membership,
    Epic,
    Item,
    Subtask,
    Comment,
    ItemTemplate,
    Sprint,
    ScopeChange,
    AcceptanceDecision,
    AuditEvent,
    Notification,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


class DemoEngagementTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        out = StringIO()
        call_command("load_demo", stdout=out)
        cls.output = out.getvalue()
        cls.acme = Project.objects.get(key="ACME")
        cls.globex = Project.objects.get(key="GLOBEX")

    def sprints(self, project, state):
        return Sprint.objects.filter(project=project, state=state).order_by("number")

    def test_load_demo_says_what_it_created(self):
        assert "Project ACME" in self.output and "Project GLOBEX" in self.output
        assert "User client@acme.test" in self.output

    def test_both_projects_exist_with_their_own_client(self):
        assert (self.acme.name, self.acme.client_name) == ("Acme Bikes web shop", "Acme Bikes")
        assert (self.globex.name, self.globex.client_name) == ("Globex partner portal", "Globex Corporation")
        assert self.acme.staging_url == "https://staging.acme-bikes.example"
        assert self.acme.vision and len(self.acme.business_goals) == 3
        assert (self.acme.sprint_length_weeks, self.acme.time_zone) == (2, "Europe/London")
        assert set(ItemTemplate.objects.filter(project=self.acme).values_list("type", flat=True)) == {
            "story",
            "bug",
        }

    def test_acme_has_at_least_forty_backlog_items_with_acceptance_criteria(self):
        with_criteria = Item.objects.filter(project=self.acme, criteria__isnull=False).distinct()
        assert with_criteria.count() >= 40
        assert with_criteria.in_backlog_view().count() >= 40  # open work alone, without the history
        assert Epic.objects.filter(project=self.acme).count() >= 5
        assert {"story", "bug", "task", "chore"} <= set(
            Item.objects.filter(project=self.acme).values_list("type", flat=True)
        )
        for item in with_criteria.prefetch_related("criteria"):
            assert 2 <= len(item.criteria.all()) <= 4, item.key

    def test_some_drafts_are_not_ready_for_lack_of_criteria(self):
        drafts = Item.objects.filter(project=self.acme, status=Status.DRAFT)
        assert drafts.count() >= 3
        assert not drafts.filter(criteria__isnull=False).exists()

    def test_some_items_have_hours_and_subtasks_with_some_above_two_hours(self):
        subtasks = Subtask.objects.filter(item__project=self.acme)
        assert subtasks.count() >= 10
        assert any(subtask.is_large for subtask in subtasks)
        assert Item.objects.filter(project=self.acme, estimate_hours__isnull=False).count() >= 3

    def test_acme_has_at_least_six_closed_sprints_with_varied_velocity_and_rollovers(self):
        closed = list(self.sprints(self.acme, SprintState.CLOSED))
        assert len(closed) >= 6
        for sprint in closed:
            assert 12 <= sprint.velocity_points <= 30
            assert sprint.end_date < timezone.localdate()
            accepted = Item.objects.filter(sprint=sprint, status=Status.ACCEPTED)
            assert sprint.velocity_points == sum(item.points for item in accepted)
        velocities = [sprint.velocity_points for sprint in closed]
        assert len(set(velocities)) >= 5 and max(velocities) - min(velocities) >= 10
        assert all(sprint.rolled_over for sprint in closed)
        # Back to back, two weeks each, from the project's start to the current sprint.
        assert self.acme.start_date < closed[0].start_date
        for before, after in zip(closed, closed[1:], strict=False):
            assert after.start_date == before.start_date + timedelta(weeks=2)

    def test_not_every_accepted_item_was_accepted_the_first_time(self):
        accepted = Item.objects.filter(project=self.acme, status=Status.ACCEPTED)
        rejected_once = accepted.filter(decisions__outcome="rejected").distinct().count()
        assert accepted.count() >= 30 and 0 < rejected_once < accepted.count() * 0.2

    def test_the_work_moved_day_by_day_across_the_last_eight_weeks(self):
        since = timezone.now() - timedelta(weeks=8)
        moves = AuditEvent.objects.filter(
            project=self.acme, action="item.transitioned", at__gte=since
        ).values_list("at", "changes")
        days = {at.date() for at, _changes in moves}
        assert len(days) >= 25  # most working days of the eight weeks
        groomed = {
            at.isocalendar()[1] for at, changes in moves if changes.get("status") == ["draft", "ready"]
        }
        assert len(groomed) >= 3  # the backlog is refined along the way, not all at kick-off
        assert self.acme.holidays and all(date.fromisoformat(day) for day in self.acme.holidays)

    def test_release_one_is_tight_and_release_two_has_room(self):
        """Release 1 needs about as many sprints as are left before its target; Release 2, the work after
        it, fits with a sprint to spare (each with estimated items left and one or two without)."""
        closed = list(self.sprints(self.acme, SprintState.CLOSED))
        mean = sum(sprint.velocity_points for sprint in closed) / len(closed)
        active = self.sprints(self.acme, SprintState.ACTIVE).get()
        cumulative = Decimal(0)
        sprints_needed = []
        for release in Release.objects.filter(project=self.acme).order_by("target_date"):
            open_items = Item.objects.filter(epic__release=release).exclude(status=Status.ACCEPTED)
            unestimated = open_items.filter(points__isnull=True).count()
            assert open_items.filter(points__isnull=False).exists() and 1 <= unestimated <= 2, release.name
            cumulative += sum(item.points or 3 for item in open_items)  # the median estimate is 3
            sprints_to_target = (release.target_date - active.end_date).days // 14 + 1
            sprints_needed.append((cumulative / mean, sprints_to_target))
        (needed_1, left_1), (needed_2, left_2) = sprints_needed
        assert (left_1, left_2) == (4, 7)
        assert left_1 - 0.5 < needed_1 < left_1 + 0.5
        assert needed_2 < left_2 - 1

    def test_some_items_were_rejected_once_then_fixed_and_accepted(self):
        rejected_then_accepted = Item.objects.filter(
            project=self.acme, status=Status.ACCEPTED, decisions__outcome="rejected"
        ).distinct()
        assert rejected_then_accepted.count() >= 2
        decision = AcceptanceDecision.objects.filter(
            item__in=rejected_then_accepted, outcome="rejected"
        ).first()
        assert len(decision.reason) >= 10 and decision.decided_by.email == "client@acme.test"

    def test_the_active_sprint_is_current_and_has_items_in_every_state(self):
        active = self.sprints(self.acme, SprintState.ACTIVE).get()
        assert active.start_date <= timezone.localdate() <= active.end_date
        assert active.goal and active.capacity_hours > 0
        items = Item.objects.filter(sprint=active)
        delivered = items.filter(status=Status.DELIVERED)
        assert delivered.count() >= 3
        assert all(item.staging_url or item.delivery_note for item in delivered)
        assert all(item.delivered_at < timezone.now() for item in delivered)
        rejected = items.get(status=Status.REJECTED)
        assert len(rejected.rejection_reason) >= 10
        for state in (Status.ACCEPTED, Status.PLANNED, Status.IN_PROGRESS):
            assert items.filter(status=state).exists(), state

    def test_the_active_sprint_took_one_scope_change_and_one_critical_bug(self):
        active = self.sprints(self.acme, SprintState.ACTIVE).get()
        changes = {change.item.type: change for change in ScopeChange.objects.filter(sprint=active)}
        assert changes["bug"].item.priority == "critical"
        assert len(changes["story"].reason) > 20

    def test_a_next_sprint_is_planned_with_a_goal_and_items(self):
        planned = self.sprints(self.acme, SprintState.PLANNED).get()
        assert planned.goal
        assert Item.objects.filter(sprint=planned, status=Status.PLANNED).count() >= 3

    def test_globex_has_a_closed_sprint_and_an_active_one_with_a_delivery(self):
        assert Item.objects.filter(project=self.globex).count() >= 8
        assert self.sprints(self.globex, SprintState.CLOSED).count() == 1
        active = self.sprints(self.globex, SprintState.ACTIVE).get()
        assert Item.objects.filter(sprint=active, status=Status.DELIVERED).count() == 1

    def test_demo_users_have_their_roles_and_the_password_demo(self):
        expected = {
            ("po@agency.test", "ACME"): Role.AGENCY_PO,
            ("po@agency.test", "GLOBEX"): Role.AGENCY_PO,
            ("dev@agency.test", "ACME"): Role.DEVELOPER,
            ("dev@agency.test", "GLOBEX"): Role.DEVELOPER,
            ("qa@agency.test", "ACME"): Role.TESTER,
            ("qa@agency.test", "GLOBEX"): Role.TESTER,
            ("client@acme.test", "ACME"): Role.CLIENT_PO,
            ("exec@acme.test", "ACME"): Role.CLIENT_STAKEHOLDER,
            ("client@globex.test", "GLOBEX"): Role.CLIENT_PO,
        }
        actual = {
            (m.user.email, m.project.key): m.role
            for m in Membership.objects.select_related("user", "project")
        }
        assert actual == expected
        users = User.objects.filter(email__in={email for email, _key in expected})
        assert all(user.full_name for user in users)
        for hashed in {user.password for user in users}:  # hashing is slow: each distinct hash once
            assert check_password("demo", hashed)

    def test_the_site_administrator_is_a_superuser_but_no_project_member(self):
        admin = User.objects.get(email="admin@agency.test")
        assert admin.is_superuser and admin.is_staff and admin.check_password("demo")
        assert not Membership.objects.filter(user=admin).exists()

    def test_each_client_is_kept_out_of_the_other_clients_project(self):
        acme_client, globex_client = (
            User.objects.get(email=e) for e in ("client@acme.test", "client@globex.test")
        )
        assert not Membership.objects.filter(user=acme_client, project=self.globex).exists()
        for user, key in ((acme_client, "GLOBEX"), (globex_client, "ACME")):
            with self.assertRaises(Http404):
                get_project_for(user, key)

    def test_the_internal_comment_is_there_and_marked_internal(self):
        comment = Comment.objects.get(body=INTERNAL_NOTE)
        assert comment.internal and comment.item.project == self.acme
        assert comment.author.email == "dev@agency.test"
        assert Comment.objects.filter(item__project=self.acme, internal=False).exists()

    def test_the_history_is_audited_and_dated_in_the_past(self):
        events = AuditEvent.objects.filter(project=self.acme)
        assert (
            events.filter(
                action="item.transitioned",
                changes__status=["delivered", "accepted"],
                actor__email="client@acme.test",
            ).count()
            >= 20
        )
        assert events.filter(action="sprint.closed", actor__email="po@agency.test").count() >= 3
        first_sprint = self.sprints(self.acme, SprintState.CLOSED).first()
        assert events.order_by("at").first().at.date() < first_sprint.start_date
        assert events.order_by("-at").first().at < timezone.now()

    def test_loading_again_changes_nothing(self):
        before = counts()
        out = StringIO()
        call_command("load_demo", stdout=out)
        assert counts() == before
        assert "nothing changed" in out.getvalue()

    def test_the_demo_command_prints_every_login_with_its_password(self):
        table = DemoCommand.logins("http://127.0.0.1:8000/")
        for email in (
            "po@agency.test",
            "dev@agency.test",
            "qa@agency.test",
            "client@acme.test",
            "exec@acme.test",
            "client@globex.test",
            "admin@agency.test",
        ):
            assert email in table
        assert "'demo'" in table and "http://127.0.0.1:8000/" in table
