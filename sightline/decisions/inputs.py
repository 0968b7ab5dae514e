"""Checking what the agency writes in a decision request, before anything is written.

Each refusal is an ``InvalidInput`` naming its field (``options.1.label`` is the second option's label).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sightline.backlog.models import Item, Status
from sightline.decisions.models import (
    EFFORT_MAX,
    LABEL_MAX,
    MAX_OPTIONS,
    MIN_OPTIONS,
    QUESTION_MAX,
    SENTENCE_MAX,
)
from sightline.lib.errors import InvalidInput
from sightline.projects.models import CLIENT_ROLES, Membership, Project

CONTEXT_MAX = 20_000
PROS_CONS_MAX = 2_000
COMMENT_MAX = 4_000
LATEST_DUE_DATE = date(2100, 12, 31)


@dataclass(frozen=True)
class OptionInput:
    """One option as the agency writes it."""

    label: str
    pros: str = ""
    cons: str = ""
    effort: str = ""
    recommended: bool = False


@dataclass(frozen=True)
class CleanedDecision:
    question: str
    context: str
    options: list[OptionInput]
    recommended: int | None
    recommendation_reason: str
    cost_of_delay: str
    items: list[Item]


def clean_text(value: str | None, *, field: str, label: str, max_length: int, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(f"{label} is required.", field=field)
    if len(value) > max_length:
        raise InvalidInput(
            f"{label} must be at most {max_length} characters (it has {len(value)}).", field=field
        )
    return value


def _clean_options(options: Sequence[OptionInput]) -> tuple[list[OptionInput], int | None]:
    options = list(options)
    if len(options) < MIN_OPTIONS:
        raise InvalidInput(
            f"A decision needs at least {MIN_OPTIONS} options to choose from (it has {len(options)}).",
            field="options",
        )
    if len(options) > MAX_OPTIONS:
        raise InvalidInput(
            f"A decision offers at most {MAX_OPTIONS} options, so that the choice stays clear "
            f"(it has {len(options)}).",
            field="options",
        )
    cleaned, seen = [], set()
    for i, option in enumerate(options):
        name = f"Option {i + 1}"
        label = clean_text(
            option.label, field=f"options.{i}.label", label=f"{name}'s label", max_length=LABEL_MAX
        )
        if not label:
            raise InvalidInput(f"{name} needs a label.", field=f"options.{i}.label")
        if label.casefold() in seen:
            raise InvalidInput(
                f"{name} has the same label as another option (“{label}”): say how they differ.",
                field=f"options.{i}.label",
            )
        seen.add(label.casefold())
        cleaned.append(
            OptionInput(
                label=label,
                pros=clean_text(
                    option.pros, field=f"options.{i}.pros", label=f"{name}'s pros", max_length=PROS_CONS_MAX
                ),
                cons=clean_text(
                    option.cons, field=f"options.{i}.cons", label=f"{name}'s cons", max_length=PROS_CONS_MAX
                ),
                effort=clean_text(
                    option.effort,
                    field=f"options.{i}.effort",
                    label=f"{name}'s effort",
                    max_length=EFFORT_MAX,
                ),
                recommended=bool(option.recommended),
            )
        )
    recommended = [i for i, option in enumerate(cleaned) if option.recommended]
    if len(recommended) > 1:
        raise InvalidInput("Recommend one option at most.", field="recommended")
    return cleaned, (recommended[0] if recommended else None)


def clean_due_date(due_date: date | None, today: date) -> date:
    if due_date is None:
        raise InvalidInput("A due date is required: by when do you need the answer?", field="due_date")
    if due_date < today:
        raise InvalidInput(
            f"The due date {due_date:%d %b %Y} is in the past; choose today or a later day.", field="due_date"
        )
    if due_date > LATEST_DUE_DATE:
        raise InvalidInput(f"The due date must be before {LATEST_DUE_DATE.year + 1}.", field="due_date")
    return due_date


def _clean_items(project: Project, keys: Iterable[str]) -> list[Item]:
    wanted: list[str] = []
    for key in keys:
        key = (key or "").strip().upper()
        if key and key not in wanted:
            wanted.append(key)
    if not wanted:
        return []
    found = {item.key: item for item in Item.objects.filter(project=project, key__in=wanted)}
    missing = [key for key in wanted if key not in found]
    if missing:
        raise InvalidInput(
            f"No item {', '.join(missing)} in {project.key}: give the keys of items in this project.",
            field="blocking_items",
        )
    done = [key for key in wanted if found[key].status == Status.ACCEPTED]
    if done:
        raise InvalidInput(
            f"{', '.join(done)} {'is' if len(done) == 1 else 'are'} already accepted (Done): "
            "a decision cannot block finished work.",
            field="blocking_items",
        )
    return [found[key] for key in wanted]


def clean_decision(
    project: Project,
    *,
    question: str,
    context: str,
    options: Sequence[OptionInput],
    recommendation_reason: str,
    cost_of_delay: str,
    blocking_item_keys: Iterable[str],
) -> CleanedDecision:
    question = clean_text(
        question, field="question", label="The question", max_length=QUESTION_MAX, required=True
    )
    context = clean_text(context, field="context", label="The context", max_length=CONTEXT_MAX)
    cleaned, recommended = _clean_options(options)
    reason = clean_text(
        recommendation_reason,
        field="recommendation_reason",
        label="The reason for the recommendation",
        max_length=SENTENCE_MAX,
    )
    if reason and recommended is None:
        raise InvalidInput(
            "You gave a reason for a recommendation but recommended no option: choose the option you "
            "recommend, or leave the reason empty.",
            field="recommended",
        )
    cost = clean_text(
        cost_of_delay, field="cost_of_delay", label="The cost of delay", max_length=SENTENCE_MAX
    )
    items = _clean_items(project, blocking_item_keys)
    return CleanedDecision(question, context, cleaned, recommended, reason, cost, items)


def check_holder(project: Project, holder) -> None:
    if holder is None:
        return
    if not Membership.objects.filter(project=project, user=holder, role__in=CLIENT_ROLES).exists():
        raise InvalidInput(
            f"{holder.display_name} is not a client member of {project.key}: a decision is asked of the "
            "client.",
            field="holder",
        )
