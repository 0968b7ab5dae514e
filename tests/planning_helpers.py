"""Building planning data for the tests: closed sprints with a known velocity, releases, epics and
items of a known size and state. Items are created through the service (their audit trail included);
their state and dates are then set directly, the way a history would have left them."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sightline.backlog.models import Epic, Item, Status
from sightline.backlog.services import item_create
from sightline.roadmap.models import Release
from sightline.sprints.models import Sprint, SprintState

FIRST_SPRINT = date(2026, 6, 1)  # a Monday


def closed_sprints(project, velocities, *, start: date = FIRST_SPRINT, counts=None) -> list[Sprint]:
    """Closed two-week sprints 1..n in a row from ``start``, with the given velocities."""
    sprints = []
    for n, velocity in enumerate(velocities, start=1):
        begin = start + timedelta(days=14 * (n - 1))
        sprints.append(
            Sprint.objects.create(
                project=project,
                number=n,
                start_date=begin,
                end_date=begin + timedelta(days=11),
                state=SprintState.CLOSED,
                velocity_points=Decimal(str(velocity)),
                accepted_count=(counts[n - 1] if counts else 3),
            )
        )
    return sprints


def release(project, name, target=None, rank=0) -> Release:
    return Release.objects.create(project=project, name=name, target_date=target, rank=rank)


def epic(project, title, *, release=None, rank=0) -> Epic:
    return Epic.objects.create(project=project, title=title, release=release, rank=rank)


def at(day: date, hour: int = 12, zone: str = "Europe/London") -> datetime:
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(zone))


def item(
    membership, *, epic=None, points=None, hours=None, status=Status.READY, created=None, accepted=None, **kw
):
    """An item of ``epic`` with an estimate, in ``status``; ``created``/``accepted`` date it."""
    made = item_create(
        actor=membership.user,
        membership=membership,
        title=kw.pop("title", "Compare two bikes"),
        points=points,
        estimate_hours=hours,
        epic=epic,
        **kw,
    )
    fields = {"status": status}
    if created is not None:
        fields["created_at"] = at(created)
    if status == Status.ACCEPTED:
        fields["accepted_at"] = at(accepted or created or date(2026, 6, 1))
    Item.objects.filter(pk=made.pk).update(**fields)
    made.refresh_from_db()
    return made


def build_roadmap(project, po, *, velocities=(8, 12, 10, 14, 9, 11)) -> dict:
    """Closed sprints of the given velocities; R1 (target 2 Nov 2026) with Checkout (13 + 8 + 5 + 4 points)
    and Wishlist (20 points and an unestimated item); R2 (1 Feb 2027) with Accounts (40); Gift cards
    (15) in no release."""
    closed_sprints(project, velocities)
    r1 = release(project, "R1", date(2026, 11, 2))
    r2 = release(project, "R2", date(2027, 2, 1))
    e1 = epic(project, "Checkout", release=r1, rank=1)
    e2 = epic(project, "Wishlist", release=r1, rank=2)
    e3 = epic(project, "Accounts", release=r2, rank=3)
    e4 = epic(project, "Gift cards", rank=4)
    for points in (13, 8, 5, 4):
        item(po, epic=e1, points=points)
    item(po, epic=e2, points=20)
    item(po, epic=e2, points=None, status=Status.DRAFT, title="Share a wishlist")
    item(po, epic=e3, points=40)
    item(po, epic=e4, points=15)
    return {"r1": r1, "r2": r2, "e1": e1, "e2": e2, "e3": e3, "e4": e4}
