"""The backlog's API routes: items (read, create, edit, rank), their workflow, history and comments;
epics (edit, move)."""

from ninja import Router

from sightline.backlog.api import activity, epics, items, workflow

router = Router(tags=["items"])
router.add_router("", items.router)
router.add_router("", workflow.router)
router.add_router("", activity.router)
router.add_router("", epics.router)
