"""The REST API under /api/v1/: one NinjaAPI, one router per domain app. Docs at /api/v1/docs."""

from ninja import NinjaAPI

from sightline.accounts.api import router as accounts_router
from sightline.api.auth import AUTH
from sightline.api.errors import JSONParser, install_error_handlers
from sightline.backlog.api import router as backlog_router
from sightline.decisions.api import router as decisions_router
from sightline.feedback.api import router as feedback_router
from sightline.inbox.api import router as inbox_router
from sightline.planning.api import router as planning_router
from sightline.projects.api import router as projects_router
from sightline.reviews.api import router as reviews_router
from sightline.sprints.api import router as sprints_router

DESCRIPTION = """
The delivery workspace's API: projects, backlog items and their workflow, sprints.

**Authentication**: `Authorization: Bearer <token>` (create one with `POST /api/v1/auth/token`, on your
account page, or with `sightline create_token EMAIL`), or the browser session — then unsafe methods need the
`X-CSRFToken` header.

**Errors** are JSON: `{"detail": "...", "errors": [{"field": "...", "message": "..."}]}` with 400 (a business
rule or an illegal transition, which adds `allowed`), 401 (not authenticated), 403 (your role may not; the
message names the roles that may), 404 (no such object, or not your project), 409 (stale `version`, with
`current_version`), 422 (invalid input, naming the field).

**Lists of items** are paginated: `?page=1&page_size=50` (at most 500) →
`{items, count, page, page_size, next}` where `next` is the number of the next page or null.
"""

api = NinjaAPI(
    title="Sightline API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=AUTH,
    parser=JSONParser(),
)
install_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("", projects_router)
api.add_router("", backlog_router)
api.add_router("", sprints_router)
api.add_router("", decisions_router)
api.add_router("", inbox_router)
api.add_router("", "sightline.roadmap.api.router")
api.add_router("", reviews_router)
api.add_router("", feedback_router)
api.add_router("", planning_router)
