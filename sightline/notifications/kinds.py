"""Every kind of notification, with the label people see on their preferences page.

Add a kind here (one line) before passing it to ``notify``; the preferences page lists them in this order.
"""

KINDS: dict[str, str] = {
    "item.delivered": "Work ready for your review on staging",
    "item.accepted": "Work accepted by the client",
    "item.rejected": "Work rejected by the client",
    "sprint.planned": "What the new sprint contains",
    "sprint.goal_shared": "Draft goal of the next sprint",
    "acceptance.reminder": "Reminder: deliveries to accept before planning",
    "decision.requested": "A decision is asked of you",
    "decision.answered": "A decision was answered",
    "decision.withdrawn": "A decision request was withdrawn",
    "decision.reminder": "Reminder: a decision is due or overdue",
    "roadmap_change.proposed": "A roadmap change is proposed",
    "roadmap_change.decided": "A roadmap change was approved or declined",
    "criteria_review.requested": "Acceptance criteria to review",
    "criteria_review.reviewed": "Acceptance criteria were reviewed",
    "criteria_review.commented": "A question or change about acceptance criteria",
    "feedback.given": "Feedback was given",
    "feedback.converted": "Your feedback became a backlog item",
    "feedback.scheduled": "Your feedback was scheduled",
    "feedback.accepted": "Work from your feedback was accepted",
    "request.handed_over": "A request was handed over to you",
    "digest.weekly": "The weekly digest of each project (off stops it)",
}


def label(kind: str) -> str:
    """The plain-language label of ``kind`` (the kind itself when it is not listed)."""
    return KINDS.get(kind, kind)
