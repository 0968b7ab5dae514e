"""The demo's criteria review and feedback for ACME.

The agency PO asked the client to read the criteria of the next three items the team estimates at
grooming on Tuesday; the client has reviewed one of them, with a comment. At the last sprint review the
client's executive said the filters cover the photos on a phone: the agency PO turned that into a backlog
item. This week the client PO left feedback on a delivery that nobody has converted yet.

Built through the services; the times are those the steps are meant to have happened at (see ``Clock`` in
``clock.py``).
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from sightline.backlog.models import Item, Status
from sightline.feedback.models import Feedback
from sightline.feedback.services import feedback_convert, feedback_give
from sightline.projects.models import Membership, Project
from sightline.reviews.models import CriteriaReview, CriteriaReviewItem
from sightline.reviews.services import criteria_review_mark_reviewed, criteria_review_request
from sightline.sprints.models import Sprint, SprintState

LONDON = ZoneInfo("Europe/London")
PO, CLIENT, EXEC = "po@agency.test", "client@acme.test", "exec@acme.test"

REVIEW_NOTE = (
    "We estimate these at grooming on Tuesday. Please check that the criteria say what you expect; "
    "a comment is enough when something is missing."
)
REVIEW_COMMENT = "Looks right. Could the confirmation email also name the store where the fitting is?"
EXEC_FEEDBACK = (
    "On my phone the filters cover half of the bike photos.\n\n"
    "Could they fold away once I have picked a size? Most of our customers browse on their phones."
)
CLIENT_FEEDBACK = (
    "Tried it on staging: it works. The confirmation email still says 'Acme Cycles', our old name, "
    "and the phone number in its footer is the one of the closed Leeds store."
)


def next_tuesday(day: date) -> date:
    """The first Tuesday after ``day``."""
    return day + timedelta(days=(1 - day.weekday()) % 7 or 7)


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def _working_day_before(day: date) -> date:
    day -= timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def load_reviews(*, today: date, clock) -> list[str]:
    """Create ACME's criteria review and feedback unless there are some; returns what was created."""
    project = Project.objects.filter(key="ACME").first()
    if project is None:
        return []
    members = {
        m.user.email: m for m in Membership.objects.filter(project=project).select_related("user", "project")
    }
    if not {PO, CLIENT, EXEC} <= set(members):
        return []
    created = []
    if not Feedback.objects.filter(project=project).exists():
        created += _feedback(project, members, today, clock)
    if not CriteriaReview.objects.filter(project=project).exists():
        created += _review(project, members, today, clock)
    return created


def _feedback(project, members, today: date, clock) -> list[str]:
    po, client, executive = members[PO], members[CLIENT], members[EXEC]
    sprints = list(Sprint.objects.filter(project=project).order_by("number"))
    closed = [s for s in sprints if s.state == SprintState.CLOSED]
    review_day = closed[-1].end_date if closed else _working_day_before(today)
    given = feedback_give(
        actor=executive.user, membership=executive, text=EXEC_FEEDBACK, sprint=closed[-1] if closed else None
    )
    _stamp(clock, given, _at(review_day, 15, 10))
    item = feedback_convert(
        actor=po.user, membership=po, feedback=given, title="Fold the filters away on phones", priority="high"
    )
    Feedback.objects.filter(pk=given.pk).update(converted_at=_at(review_day, 16, 40))
    clock.stamp(_at(review_day, 16, 40))

    active = next((s for s in sprints if s.state == SprintState.ACTIVE), None)
    delivered = (
        Item.objects.filter(project=project, sprint=active, status=Status.DELIVERED)
        .order_by("rank", "id")
        .first()
        if active
        else None
    )
    open_one = feedback_give(
        actor=client.user, membership=client, text=CLIENT_FEEDBACK, item=delivered, sprint=active
    )
    _stamp(clock, open_one, _at(_working_day_before(today), 17, 5))
    return [
        f"Feedback on ACME: one converted into {item.key}, one open"
        + (f" on {delivered.key}" if delivered else ""),
    ]


def _review(project, members, today: date, clock) -> list[str]:
    po, client = members[PO], members[CLIENT]
    now = max(today, timezone.localdate())
    waiting = CriteriaReviewItem.objects.filter(review__project=project, reviewed_at__isnull=True).values(
        "item_id"
    )
    items = list(
        Item.objects.filter(project=project, status=Status.READY, sprint__isnull=True, criteria__isnull=False)
        .exclude(pk__in=waiting)
        .distinct()
        .order_by("rank", "id")[:3]
    )
    if len(items) < 3:
        return []
    asked = _working_day_before(today)
    review = criteria_review_request(
        actor=po.user,
        membership=po,
        items=items,
        due_date=next_tuesday(now),
        title="Items we estimate at Tuesday's grooming",
        note=REVIEW_NOTE,
        today=now,
    )
    CriteriaReview.objects.filter(pk=review.pk).update(created_at=_at(asked, 11, 30))
    clock.stamp(_at(asked, 11, 30))
    first = review.entries.get(item=items[0])
    criteria_review_mark_reviewed(actor=client.user, membership=client, entry=first, comment=REVIEW_COMMENT)
    CriteriaReviewItem.objects.filter(pk=first.pk).update(reviewed_at=_at(asked, 16, 20))
    clock.stamp(_at(asked, 16, 20))
    return [
        f"Criteria review of {', '.join(i.key for i in items)} due {next_tuesday(now):%a %d %b}, one reviewed"
    ]


def _stamp(clock, feedback: Feedback, when: datetime) -> None:
    Feedback.objects.filter(pk=feedback.pk).update(created_at=when)
    clock.stamp(when)
