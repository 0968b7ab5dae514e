"""The demo's decisions: Claire, Acme's client PO, finds two open decisions in her inbox (one overdue with
its cost of delay, one due in three days that blocks an item of the running sprint) and one she answered
weeks ago; loading again adds nothing."""

from datetime import timedelta

from django.test import TestCase
from django.utils import timezone

from sightline.accounts.models import User
from sightline.audit.models import AuditEvent
from sightline.decisions.inbox import rows as inbox_rows
from sightline.decisions.models import DecisionRequest, DecisionState
from sightline.decisions.selectors import blocking_decisions_of
from sightline.demo.decisions import load_decisions
from sightline.demo.engagement import load_demo
from sightline.projects.models import Project
from sightline.sprints.selectors import active_sprint


class DemoDecisionsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.today = timezone.localdate()
        cls.created = load_demo(today=cls.today)
        cls.acme = Project.objects.get(key="ACME")
        cls.claire = User.objects.get(email="client@acme.test")

    def test_claire_has_two_open_decisions_in_her_inbox(self):
        rows = inbox_rows(projects=[self.acme], holder=self.claire)
        assert len(rows) == 2
        overdue, soon = rows
        assert overdue.overdue and overdue.due == self.today - timedelta(days=2)
        assert overdue.cost_of_delay.startswith("Each day without an answer")
        assert not soon.overdue and soon.due == self.today + timedelta(days=3)
        assert [overdue.asked_by, soon.asked_by] == ["Dan Novak", "Priya Patel"]

    def test_the_decision_due_in_three_days_blocks_an_item_of_the_running_sprint(self):
        decision = DecisionRequest.objects.get(project=self.acme, due_date=self.today + timedelta(days=3))
        (item,) = decision.blocking_items.all()
        assert item.sprint == active_sprint(self.acme)
        assert blocking_decisions_of(item) == [decision]

    def test_one_decision_was_answered_weeks_ago(self):
        answered = DecisionRequest.objects.get(project=self.acme, state=DecisionState.ANSWERED)
        assert answered.answered_by == self.claire and answered.answer_comment
        assert answered.answered_at.date() <= self.today - timedelta(days=20)
        assert answered.created_at < answered.answered_at
        event = AuditEvent.objects.get(action="decision.answered", target_id=answered.pk)
        assert event.at == answered.answered_at

    def test_globex_has_no_decisions(self):
        assert not DecisionRequest.objects.filter(project__key="GLOBEX").exists()

    def test_the_decisions_are_dated_in_the_past_and_numbered_in_order(self):
        decisions = DecisionRequest.objects.filter(project=self.acme).order_by("number")
        assert [d.reference for d in decisions] == ["D-1", "D-2", "D-3"]
        assert [d.created_at for d in decisions] == sorted(d.created_at for d in decisions)
        assert all(d.created_at < timezone.now() for d in decisions)

    def test_loading_again_adds_no_decision(self):
        before = DecisionRequest.objects.count()
        assert load_decisions(today=self.today) == []
        assert load_demo(today=self.today) == []
        assert DecisionRequest.objects.count() == before == 3
