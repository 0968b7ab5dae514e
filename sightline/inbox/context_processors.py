"""The inbox in every page's top bar: how many requests wait for the logged-in person in all their
projects. Counted only when a page shows it, in a constant number of queries."""

from functools import cache

from sightline.inbox.selectors import waiting_total


def inbox(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def inbox_total() -> int | None:
        return waiting_total(user)

    return {"inbox_total": inbox_total}
