"""Who hears about a decision request, and the email that asks the client for it."""

from datetime import date

from sightline.decisions.models import DecisionRequest
from sightline.inbox.holders import holder_answers
from sightline.projects.models import AGENCY_ROLES, Membership, Role


def client_recipients(decision: DecisionRequest) -> list:
    """Who must answer: the holder while they are still a client member of the project, or else the
    project's client PO(s)."""
    if holder_answers(decision):
        return [decision.holder]
    return [
        m.user
        for m in Membership.objects.filter(
            project_id=decision.project_id, role=Role.CLIENT_PO
        ).select_related("user")
    ]


def agency_team(project_id: int) -> list:
    return [
        m.user
        for m in Membership.objects.filter(project_id=project_id, role__in=AGENCY_ROLES).select_related(
            "user"
        )
    ]


def day_text(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


def request_email(decision: DecisionRequest) -> str:
    """The plain-text email asking the client for a decision."""
    asker = decision.created_by.display_name if decision.created_by else "The team"
    lines = [f"{asker} asks you to decide ({decision.reference}):", decision.question, ""]
    if decision.context:
        lines += [decision.context, ""]
    lines.append("The options:")
    for number, option in enumerate(decision.options.all(), start=1):
        recommended = " — our recommendation" if option.pk == decision.recommended_option_id else ""
        lines.append(f"{number}. {option.label}{recommended}")
        for name, value in (("Effort", option.effort), ("Pros", option.pros), ("Cons", option.cons)):
            if value:
                lines.append(f"   {name}: {value}")
    if decision.recommendation_reason:
        lines += ["", f"Why we recommend it: {decision.recommendation_reason}"]
    lines += ["", f"Please answer by {day_text(decision.due_date)}."]
    if decision.cost_of_delay:
        lines.append(f"If the answer comes later: {decision.cost_of_delay}")
    keys = [item.key for item in decision.blocking_items.all()]
    if keys:
        lines.append(f"Waiting for your answer: {', '.join(keys)}.")
    return "\n".join(lines)
