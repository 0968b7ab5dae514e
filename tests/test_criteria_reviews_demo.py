"""The demo engagement's criteria review and feedback: present for client@acme.test, loaded once."""

from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from sightline.accounts.models import User
from sightline.demo.engagement import load_demo
from sightline.demo.reviews import next_tuesday
from sightline.feedback.models import Feedback
from sightline.projects.models import Project
from sightline.reviews import inbox
from sightline.reviews.models import CriteriaReview, CriteriaReviewItem


class DemoReviewsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.created = load_demo()
        cls.acme = Project.objects.get(key="ACME")
        cls.client_po = User.objects.get(email="client@acme.test")

    def test_a_review_of_three_items_is_due_next_tuesday_with_one_reviewed(self):
        review = CriteriaReview.objects.get(project=self.acme)
        assert review.due_date == next_tuesday(timezone.localdate()) and review.due_date.weekday() == 1
        entries = list(review.entries.select_related("item", "reviewed_by"))
        assert len(entries) == 3 and all(e.item.criteria.exists() for e in entries)
        reviewed = [e for e in entries if e.is_reviewed]
        assert len(reviewed) == 1 and reviewed[0].reviewed_by == self.client_po and reviewed[0].comment
        assert review.is_open

    def test_the_review_waits_in_the_inbox_of_client_at_acme(self):
        rows = inbox.rows(projects=Project.objects.filter(key__in=["ACME", "GLOBEX"]), holder=self.client_po)
        assert [row.project for row in rows] == ["ACME"]
        globex_client = User.objects.get(email="client@globex.test")
        assert inbox.rows(projects=Project.objects.filter(key="GLOBEX"), holder=globex_client) == []

    def test_two_pieces_of_feedback_one_converted_one_open(self):
        converted, still_open = (
            Feedback.objects.filter(project=self.acme).order_by("created_at").select_related("item_created")
        )
        assert converted.item_created is not None and converted.item_created.from_feedback == converted
        assert converted.author.email == "exec@acme.test" and converted.sprint is not None
        assert still_open.item_created is None and still_open.author == self.client_po
        self.client.force_login(self.client_po)
        page = self.client.get(converted.item_created.get_absolute_url()).content.decode()
        assert "feedback by" in page
        listing = self.client.get(reverse("feedback:list", args=["ACME"]), {"state": "open"}).content.decode()
        assert "Acme Cycles" in listing

    def test_loading_again_changes_nothing(self):
        before = (
            CriteriaReview.objects.count(),
            CriteriaReviewItem.objects.count(),
            Feedback.objects.count(),
        )
        assert load_demo() == []
        assert (
            CriteriaReview.objects.count(),
            CriteriaReviewItem.objects.count(),
            Feedback.objects.count(),
        ) == before
        assert any(line.startswith("Criteria review of ") for line in self.created)
