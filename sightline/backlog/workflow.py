"""The item workflow: which state may follow which, and who may move it.

    draft ──► ready ──► planned ──► in_progress ──► delivered ──► accepted (Done)
                                         ▲               │
                                         └── rejected ◄──┘   (reason required)

Any state except accepted may go back to draft (agency PO). Planned items taken out of a sprint
during planning go back to ready.
"""

from sightline.backlog.estimates import has_estimate, ready_need
from sightline.backlog.models import Status

S = Status

# (from, to) → the permission (see projects.policy) the actor needs.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.READY): "item.work",
    (S.READY, S.PLANNED): "sprint.manage",
    (S.PLANNED, S.READY): "sprint.manage",
    (S.PLANNED, S.IN_PROGRESS): "item.work",
    (S.IN_PROGRESS, S.DELIVERED): "item.work",
    (S.DELIVERED, S.ACCEPTED): "item.accept",
    (S.DELIVERED, S.REJECTED): "item.accept",
    (S.REJECTED, S.IN_PROGRESS): "item.work",
}
for _state in (S.READY, S.PLANNED, S.IN_PROGRESS, S.DELIVERED, S.REJECTED):
    TRANSITIONS[(_state, S.DRAFT)] = "item.reset_to_draft"


def allowed_targets(current: str) -> list[str]:
    return [to for (frm, to) in TRANSITIONS if frm == current]


def required_permission(current: str, target: str) -> str | None:
    return TRANSITIONS.get((current, target))


def definition_of_ready_gaps(item, criteria_count: int, unit: str = "both") -> list[str]:
    """What an item still lacks to be ready; empty when it meets the Definition of Ready.

    ``unit`` is the project's estimate unit: points, hours, or both (either estimate will do)."""
    gaps = []
    if not (item.user_story.strip() or item.description.strip()):
        gaps.append("a user story or description")
    if criteria_count < 1:
        gaps.append("at least one acceptance criterion")
    if not has_estimate(item, unit):
        gaps.append(ready_need(unit))
    if not item.priority:
        gaps.append("a priority")
    return gaps
