"""Reminders ahead of the ceremonies."""

import datetime


def acceptance_before_planning(*, today: datetime.date, dry_run: bool) -> list[str]:
    """The day before a planned sprint starts, remind the client PO of deliveries awaiting acceptance."""
    return []
