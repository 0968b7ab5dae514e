"""Who may answer a decision: the client PO, or the client member it was handed to."""

from sightline.decisions.models import DecisionRequest
from sightline.projects.models import Membership
from sightline.projects.policy import may


def may_answer(membership: Membership | None, decision: DecisionRequest) -> bool:
    """The client PO answers; so does the client member the decision was handed to."""
    if membership is None or membership.project_id != decision.project_id:
        return False
    if may(membership, "decision.answer"):
        return True
    return (
        membership.is_client and decision.holder_id is not None and decision.holder_id == membership.user_id
    )
