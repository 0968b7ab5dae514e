"""The demo's decision requests in ACME, asked and answered through the services.

Three questions for Claire, Acme's client PO: one answered weeks ago, one overdue with its cost of delay,
one due in three days that blocks an item of the running sprint. Each is created only when missing.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from sightline.backlog.models import Item
from sightline.decisions.models import DecisionRequest
from sightline.decisions.services import OptionInput, decision_answer, decision_create
from sightline.notifications.models import Notification
from sightline.projects.models import Membership, Project

LONDON = ZoneInfo("Europe/London")
CLIENT = "client@acme.test"


@dataclass(frozen=True)
class DecisionSpec:
    asker: str
    question: str
    context: str
    options: tuple[OptionInput, ...]
    asked: int  # days before today
    due: int  # days after the day it was asked
    cost_of_delay: str = ""
    recommendation_reason: str = ""
    blocks: tuple[str, ...] = ()  # item titles
    answer: tuple[int, str, int] | None = None  # (option number, comment, days before today)


DECISIONS = (
    DecisionSpec(
        asker="po@agency.test",
        question="Which stores offer click & collect at launch?",
        context=(
            "Click & collect needs a shelf and a trained person at each store. The two city-centre stores "
            "have both today; the three others would need a week of preparation each."
        ),
        options=(
            OptionInput(
                "All five stores from day one",
                pros="One simple message to shoppers",
                cons="Three stores must be ready first: launch moves by about three weeks",
                effort="2 points, plus store preparation",
            ),
            OptionInput(
                "The two city-centre stores first, the others as they are ready",
                pros="Launches with the checkout; we learn before rolling out",
                cons="Shoppers near the other stores wait",
                effort="3 points (a per-store switch)",
                recommended=True,
            ),
        ),
        recommendation_reason="It ships with the checkout and each store joins with a switch, no release.",
        asked=24,
        due=5,
        answer=(2, "Agreed. Leeds and York should follow before the spring sale.", 21),
    ),
    DecisionSpec(
        asker="dev@agency.test",
        question="When the tills and the warehouse disagree on stock, which one does the website trust?",
        context=(
            "Stock counts come from the tills (per store) and from the warehouse feed (central stock). "
            "About 2 % of sizes disagree every morning. The website must show one number."
        ),
        options=(
            OptionInput(
                "The tills: the stores' count wins",
                pros="What is on the shelf is what we sell",
                cons="Central stock is hidden until a store counts it",
                effort="1 point",
            ),
            OptionInput(
                "The warehouse feed wins",
                pros="One source, updated every hour",
                cons="Sizes sold in store today still show as available",
                effort="1 point",
            ),
            OptionInput(
                "The lower of the two, and a daily list of differences for the shop team",
                pros="Never sells what is not there; differences get fixed",
                cons="Slightly fewer sizes shown online",
                effort="3 points",
                recommended=True,
            ),
        ),
        recommendation_reason="Overselling a bike costs a refund and a customer; one size less costs little.",
        cost_of_delay="Each day without an answer pushes the stock work of the next sprint back by a day.",
        asked=6,
        due=4,
        blocks=("Adjust stock levels per store",),
    ),
    DecisionSpec(
        asker="po@agency.test",
        question="How should riders pay the £20 fitting deposit?",
        context=(
            "The deposit is meant to cut missed fittings. Card payment is live for orders, so the choice is "
            "mostly about what riders see and what the stores handle."
        ),
        options=(
            OptionInput(
                "Charge the card when booking",
                pros="Uses the card payment we already run; saved cards work",
                cons="Card fees on small amounts; refunds for cancellations",
                effort="3 points",
                recommended=True,
            ),
            OptionInput(
                "Hold the amount on the card, charge it only for a no-show",
                pros="Riders who come pay nothing up front",
                cons="Holds expire after 7 days: bookings made earlier need a second step",
                effort="5 points",
            ),
            OptionInput(
                "No online deposit: pay in store",
                pros="Nothing to build",
                cons="Does nothing against missed fittings",
                effort="none",
            ),
        ),
        recommendation_reason="It is the smallest change that does what the deposit is for.",
        cost_of_delay="The deposit is planned in this sprint: answered later, it moves to the next one.",
        asked=1,
        due=4,
        blocks=("Pay a £20 deposit when booking a fitting",),
    ),
)


def _at(day: date, hour: int, minute: int) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def load_decisions(*, today: date, clock=None) -> list[str]:
    """Create the ACME decisions that are missing; returns what was created. ``clock`` (the loader's
    ``Clock``) dates the audit events and notifications of each step."""
    project = Project.objects.filter(key="ACME").first()
    if project is None:
        return []
    members = {m.user.email: m for m in Membership.objects.filter(project=project).select_related("user")}
    if CLIENT not in members:
        return []
    created = []
    for spec in DECISIONS:
        if DecisionRequest.objects.filter(project=project, question=spec.question).exists():
            continue
        asked_on = today - timedelta(days=spec.asked)
        asker = members[spec.asker]
        keys = list(Item.objects.filter(project=project, title__in=spec.blocks).values_list("key", flat=True))
        decision = decision_create(
            actor=asker.user,
            membership=asker,
            question=spec.question,
            context=spec.context,
            options=spec.options,
            due_date=asked_on + timedelta(days=spec.due),
            recommendation_reason=spec.recommendation_reason,
            cost_of_delay=spec.cost_of_delay,
            blocking_item_keys=keys,
            today=asked_on,
        )
        asked_at = _at(asked_on, 10, 20)
        if clock is not None:
            clock.stamp(asked_at)
        dates = {"created_at": asked_at, "updated_at": asked_at}
        if spec.answer is not None:
            number, comment, days_ago = spec.answer
            client = members[CLIENT]
            option = decision.options.order_by("position")[number - 1]
            decision_answer(
                actor=client.user, membership=client, decision=decision, option_id=option.pk, comment=comment
            )
            # Everyone has long read what was said about a decision settled weeks ago.
            Notification.objects.filter(url=decision.get_absolute_url(), read_at__isnull=True).update(
                read_at=timezone.now()
            )
            answered_at = _at(today - timedelta(days=days_ago), 16, 5)
            if clock is not None:
                clock.stamp(answered_at)
            dates.update(answered_at=answered_at, updated_at=answered_at)
        # Demo history written after the fact: the decision's own timestamps are dated like the rest.
        DecisionRequest.objects.filter(pk=decision.pk).update(**dates)
        created.append(f"Decision {decision.reference} in ACME · {spec.question}")
    return created
