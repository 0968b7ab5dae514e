"""The inbox row: one request waiting for someone on the client's side.

Every kind of client request (acceptance, decision, roadmap change, criteria review) is turned into
these rows by its own provider listed in ``sightline.inbox.registry.PROVIDERS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class InboxRow:
    kind: str  # "acceptance" | "decision" | "roadmap_change" | "criteria_review"
    id: int  # the request's id (for acceptance: the item id)
    title: str
    project: str  # project key
    asked_by: str  # display name of who asked
    due: date | None
    overdue: bool
    cost_of_delay: str  # "" when none stated
    url: str  # the page where it can be answered in full
    holder_id: int | None  # the client user who holds it now (None = any client PO / acceptor)
    holder_name: str
    created_at: datetime
    template: str  # the partial that renders the inline answer form, e.g. "decisions/_inbox_row.html"
    obj: object = None  # the model instance, for the partial
