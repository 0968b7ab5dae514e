"""The backlog's API routes: items (read, create, edit, rank), their workflow, history and comments."""

from ninja import Router

from sightline.backlog.api import activity, items, workflow

router = Router(tags=["items"])
router.add_router("", items.router)
router.add_router("", workflow.router)
router.add_router("", activity.router)
