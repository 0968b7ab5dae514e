"""The permission walk: every URL pattern of the site and of the API, for each of the five roles, a
non-member and an anonymous visitor.

Each route's expectation is written down below; a route that is added without one fails
``test_every_route_has_an_expectation``. Members whose role may act get an answer that is neither a
refusal nor a server error; members whose role may not get 403; non-members get 404 everywhere in a
project; anonymous visitors are sent to the login page (pages) or get 401 (API).
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from sightline.accounts.services import token_create
from sightline.api.api import api
from sightline.backlog.epics import epic_create
from sightline.backlog.models import Status
from sightline.backlog.services import comment_add
from sightline.backlog.subtasks import subtask_add
from sightline.decisions.services import OptionInput, decision_create
from sightline.feedback.services import feedback_give
from sightline.projects.models import Role
from sightline.reviews.services import criteria_review_request
from sightline.roadmap.changes import roadmap_change_propose
from sightline.roadmap.models import Release
from tests.conftest import make_sprint

PO, DEV, QA, CPO, CST = (r.value for r in Role)
EVERYONE = {PO, DEV, QA, CPO, CST}
AGENCY = {PO, DEV, QA}
WHO = [PO, DEV, QA, CPO, CST, "outsider", "anonymous"]


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class Route:
    method: str = "GET"
    allow: frozenset = frozenset(EVERYONE)
    data: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    scoped: bool = True  # inside a project: outsiders get 404
    ends_on_login: bool = False  # logging out lands everyone on the login page


def R(method="GET", allow=EVERYONE, data=None, **params):
    return Route(method, frozenset(allow), data or {}, params)


ROADMAP_WHY = {"rationale": "Agreed at the sprint review", "impact": "No forecast date moves"}

DECISION_FORM = {
    "question": "Gift wrapping at checkout?",
    "option_1_label": "Yes",
    "option_2_label": "Not now",
    "due_date": "2099-01-06",
}
DECISION_JSON = {
    "question": "Gift wrapping at checkout?",
    "options": [{"label": "Yes"}, {"label": "Not now"}],
    "due_date": "2099-01-06",
}

# --- Pages -----------------------------------------------------------------------------------------
PAGES = {
    "home": Route(scoped=False),
    "accounts:tokens": Route(scoped=False),
    "notifications:list": Route(scoped=False),
    "notifications:mark_read": Route("POST", scoped=False),
    "notifications:preferences": Route(scoped=False),
    "notifications:preferences#post": Route("POST", scoped=False, data={"item.delivered": "daily"}),
    "accounts:logout": Route("POST", scoped=False, ends_on_login=True),
    "projects:overview": R(),
    "projects:members": R(),
    "projects:members#invite": R("POST", {PO}, {"email": "new@acme.test", "role": CST}),
    "projects:settings": R("GET", {PO}),
    "projects:settings#post": R("POST", {PO}, {"estimate_unit": "both", "focus_factor": "0.75"}),
    "backlog:list": R(),
    "backlog:create": R("GET", AGENCY),
    "backlog:create#post": R(
        "POST", AGENCY, {"type": "story", "title": "Compare two bikes", "priority": "high"}
    ),
    "backlog:item": R(),
    "backlog:edit": R("GET", AGENCY),
    "backlog:move": R("POST", {PO, CPO}, {"to_top": "1"}),
    "backlog:priority": R("POST", {PO, DEV, QA, CPO}, {"priority": "high"}),
    "backlog:transition": R("POST", {PO}, {"to": "draft"}),
    "backlog:subtask_add": R("POST", AGENCY, {"title": "Write the migration", "estimate_hours": "1"}),
    "backlog:subtask_toggle": R("POST", AGENCY),
    "backlog:comment_add": R("POST", EVERYONE, {"body": "Looks good on my phone"}),
    "backlog:history": R(),
    "backlog:epics": R(),
    "backlog:epics#post": R("POST", {PO}, {"title": "Gift cards", "priority": "low"}),
    "backlog:epic_edit": R("GET", {PO}),
    "backlog:epic_edit#post": R("POST", {PO}, {"title": "Gift cards and vouchers", "priority": "high"}),
    "backlog:epic_move": R("POST", {PO, CPO}, {"position": "1"}),
    "backlog:templates": R(),
    "backlog:templates#post": R(
        "POST", {PO}, {"type": "bug", "user_story": "", "description": "Steps", "criteria": "Works"}
    ),
    "sprints:list": R(),
    "sprints:create": R(
        "POST",
        {PO},
        {"start_date": "2026-12-01", "end_date": "2026-12-12", "goal": "Gift cards", "capacity_hours": "60"},
    ),
    "sprints:detail": R(),
    "sprints:update": R("POST", {PO}, {"goal": "A sharper goal", "capacity_hours": "70"}, number=2),
    "sprints:availability": R("GET", AGENCY, number=2),
    "sprints:availability#post": R("POST", {PO}, number=2),
    "sprints:plan": R("POST", {PO}, {"item": "{ready}"}, number=2),
    "sprints:unplan": R("POST", {PO}, {"item": "{planned}"}, number=2),
    "sprints:start": R("POST", {PO}, number=2),
    "sprints:close": R("POST", {PO}),
    "sprints:board": R(),
    "sprints:board_move": R(
        "POST",
        AGENCY,
        {"item": "{in_progress}", "to": "delivered", "staging_url": "https://staging.acme.test/x"},
    ),
    "acceptance:awaiting": R(),
    "acceptance:review": R(),
    "acceptance:accept": R("POST", {CPO}),
    "acceptance:reject": R("POST", {CPO}, {"reason": "The total is wrong on the invoice"}),
    "decisions:list": R(),
    "decisions:create": R("GET", AGENCY),
    "decisions:create#post": R("POST", AGENCY, DECISION_FORM),
    "decisions:detail": R(number="{decision_number}"),
    "decisions:edit": R("GET", AGENCY, number="{decision_number}"),
    "decisions:edit#post": R("POST", AGENCY, {**DECISION_FORM, "version": "1"}, number="{decision_number}"),
    "decisions:answer": R("POST", {CPO}, {"option": "{decision_option}"}, number="{decision_number}"),
    "decisions:withdraw": R("POST", AGENCY, number="{decision_number}"),
    "digests:preview": R(),
    "digests:email": R(),
    "digests:share_goal": R("POST", {PO}, number=2),
    "inbox:mine": Route(scoped=False),
    "inbox:project": R(),
    "inbox:handover": R(
        "POST", {CPO}, {"kind": "acceptance", "id": "{item_id}", "to_user": "{stakeholder_id}"}
    ),
    "inbox:waiting": R("GET", AGENCY),
    "inbox:your_role": R("GET", {CPO, CST}),
    "inbox:availability": R("POST", {CPO, CST}, {"availability": "Tue/Thu mornings"}),
    "roadmap:page": R(),
    "roadmap:propose": R("GET", AGENCY),
    "roadmap:propose#post": R("POST", AGENCY, {"kind": "add_release", "release_name": "R2", **ROADMAP_WHY}),
    "roadmap:change": R(),
    "roadmap:approve": R("POST", {CPO}),
    "roadmap:decline": R("POST", {CPO}, {"comment": "Not this quarter"}),
    "roadmap:withdraw": R("POST", {PO}),  # the proposer (here the agency PO) or the agency PO
    # Direct edits: the agency PO only, and refused with 400 here since ACME has a client PO.
    "roadmap:release_create": R("POST", {PO}, {"name": "Release 2"}),
    "roadmap:release_edit": R("POST", {PO}),
    "roadmap:epic_place": R("POST", {PO}, {"release": "{release_id}"}),
    "planning:velocity": R(),
    "planning:releases": R(),
    "planning:release": R(),
    "reviews:create": R("GET", AGENCY),
    "reviews:create#post": R("POST", AGENCY, {"items": "{ready}", "due_date": "2099-01-06"}),
    "reviews:detail": R(),
    "reviews:mark": R("POST", {CPO}, {"comment": "Clear"}, item_key="{review_item}"),
    "reviews:comment": R("POST", {CPO}, {"comment": "Should say per store"}, item_key="{review_item}"),
    "reviews:grooming": R(),
    "feedback:list": R(),
    "feedback:give": R(),
    "feedback:give#post": R("POST", EVERYONE, {"text": "The filters are great"}),
    "feedback:detail": R(),
    "feedback:screenshot": R(),
    "feedback:convert": R("POST", AGENCY),
}
# Pages outside the walk, with the reason: the login page and the invitation link are for anonymous
# visitors (tested in their own modules); the admin has its own staff-only guard (tested below).
NOT_WALKED = {"accounts:login", "accounts:invitation"}

# --- API -------------------------------------------------------------------------------------------
API = {
    "GET /api/v1/projects": Route(scoped=False),
    "GET /api/v1/projects/{key}/items": R(),
    "POST /api/v1/projects/{key}/items": R("POST", AGENCY, {"title": "Compare two bikes"}),
    "GET /api/v1/items/{item_key}": R(),
    "PATCH /api/v1/items/{item_key}": R("PATCH", AGENCY, {"version": "{version}", "title": "Renamed"}),
    "POST /api/v1/items/{item_key}/move": R("POST", {PO, CPO}, {"to_top": True}),
    "POST /api/v1/items/{item_key}/transition": R("POST", {PO}, {"to": "draft"}),
    "POST /api/v1/items/{item_key}/accept": R("POST", {CPO}),
    "POST /api/v1/items/{item_key}/reject": R("POST", {CPO}, {"reason": "The total is wrong on the invoice"}),
    "PATCH /api/v1/epics/{epic_id}": R("PATCH", {PO}, {"title": "Gift cards and vouchers"}),
    "POST /api/v1/epics/{epic_id}/move": R("POST", {PO, CPO}, {"direction": "top"}),
    "GET /api/v1/items/{item_key}/history": R(),
    "GET /api/v1/items/{item_key}/comments": R(),
    "POST /api/v1/items/{item_key}/comments": R("POST", EVERYONE, {"body": "Looks good"}),
    "GET /api/v1/projects/{key}/sprints": R(),
    "POST /api/v1/projects/{key}/sprints": R(
        "POST", {PO}, {"start_date": "2026-12-01", "end_date": "2026-12-12"}
    ),
    "GET /api/v1/sprints/{sprint_id}": R(),
    "POST /api/v1/sprints/{sprint_id}/plan": R(
        "POST", {PO}, {"item": "{ready}"}, sprint_id="{planned_sprint_id}"
    ),
    "POST /api/v1/sprints/{sprint_id}/start": R("POST", {PO}, sprint_id="{planned_sprint_id}"),
    "POST /api/v1/sprints/{sprint_id}/close": R("POST", {PO}),
    "GET /api/v1/inbox": Route(scoped=False),
    "GET /api/v1/projects/{key}/inbox": R(),
    "POST /api/v1/requests/handover": R(
        "POST",
        {CPO},
        {"kind": "acceptance", "id": "{item_id}", "to_email": "client_stakeholder@example.test"},
    ),
    "GET /api/v1/projects/{key}/roadmap": R(),
    "POST /api/v1/projects/{key}/roadmap/changes": R(
        "POST", AGENCY, {"kind": "add_release", "release_name": "R2", **ROADMAP_WHY}
    ),
    "GET /api/v1/roadmap/changes/{change_id}": R(),
    "POST /api/v1/roadmap/changes/{change_id}/approve": R("POST", {CPO}),
    "POST /api/v1/roadmap/changes/{change_id}/decline": R("POST", {CPO}, {"comment": "Not now"}),
    "POST /api/v1/roadmap/changes/{change_id}/withdraw": R("POST", {PO}),
    "POST /api/v1/projects/{key}/roadmap/releases": R("POST", {PO}, {"name": "Release 2"}),
    "PATCH /api/v1/roadmap/releases/{release_id}": R("PATCH", {PO}, {"name": "Renamed"}),
    "POST /api/v1/roadmap/epics/{epic_id}/release": R("POST", {PO}, {"release_id": "{release_id}"}),
    "GET /api/v1/releases/{release_id}/forecast": R(),
    "GET /api/v1/projects/{key}/velocity": R(),
    "GET /api/v1/projects/{key}/decisions": R(),
    "POST /api/v1/projects/{key}/decisions": R("POST", AGENCY, DECISION_JSON),
    "GET /api/v1/decisions/{decision_id}": R(),
    "POST /api/v1/decisions/{decision_id}/answer": R("POST", {CPO}, {"option_id": "{decision_option}"}),
    "POST /api/v1/decisions/{decision_id}/withdraw": R("POST", AGENCY),
    "POST /api/v1/projects/{key}/criteria-reviews": R(
        "POST", AGENCY, {"items": ["{ready}"], "due_date": "2099-01-06"}
    ),
    "GET /api/v1/criteria-reviews/{review_id}": R(),
    "POST /api/v1/criteria-reviews/{review_id}/items/{item_key}/review": R(
        "POST", {CPO}, {"comment": "Clear"}, item_key="{review_item}"
    ),
    "POST /api/v1/criteria-reviews/{review_id}/items/{item_key}/comment": R(
        "POST", {CPO}, {"comment": "Should say per store"}, item_key="{review_item}"
    ),
    "GET /api/v1/projects/{key}/feedback": R(),
    "POST /api/v1/projects/{key}/feedback": R("POST", EVERYONE, {"text": "The filters are great"}),
    "POST /api/v1/feedback/{feedback_id}/convert": R("POST", AGENCY),
}
API_PUBLIC = {"POST /api/v1/auth/token"}  # anyone may ask for a token (tested in test_api_auth.py)


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            for route, name in _walk(entry.url_patterns, prefix + str(entry.pattern)):
                yield route, (namespace + name if name and ":" not in name else name)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name or ""


def site_routes() -> dict[str, str]:
    """Every page's route (pattern text) by URL name, outside the admin and the API."""
    routes = {}
    for route, name in _walk(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/")) or route.startswith("^"):
            continue
        routes[name] = route
    return routes


def api_operations() -> set[str]:
    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, ops in schema["paths"].items() for method in ops}


def test_every_route_has_an_expectation():
    pages = set(site_routes())
    written = {name.split("#")[0] for name in PAGES} | NOT_WALKED
    assert pages - written == set(), "pages without an expectation in the walk"
    assert written - pages == set(), "expectations for pages that no longer exist"
    assert api_operations() - set(API) - API_PUBLIC == set(), "API operations without an expectation"
    assert set(API) - api_operations() == set()


@pytest.fixture
def world(members, outsider, make_item, po, dev, settings, tmp_path):
    """ACME with an active sprint 1 (a delivered item, an in-progress one) and a planned sprint 2."""
    active = make_sprint(po, active=True)
    delivered = make_item(Status.DELIVERED, sprint=active)
    in_progress = make_item(Status.IN_PROGRESS, sprint=active, title="Filter by frame size")
    planned_sprint = make_sprint(po, goal="Accounts")
    planned = make_item(Status.PLANNED, sprint=planned_sprint, title="Sign up with email")
    ready = make_item(Status.READY, title="Reset a password")
    subtask = subtask_add(
        actor=dev.user, membership=dev, item=delivered, title="Write tests", estimate_hours=1
    )
    comment_add(actor=dev.user, membership=dev, item=delivered, body="Internal: flaky sandbox", internal=True)
    release = Release.objects.create(project=delivered.project, name="Release 1")
    epic = epic_create(actor=po.user, membership=po, title="Gift cards")
    decision = decision_create(
        actor=po.user,
        membership=po,
        question="Card or PayPal?",
        options=[OptionInput("Card"), OptionInput("PayPal")],
        due_date=date(2099, 1, 6),
    )
    change = roadmap_change_propose(
        actor=po.user, membership=po, kind="add_epic", epic=epic, release=release, **ROADMAP_WHY
    )
    review_item = make_item(Status.DRAFT, title="Gift card balance")
    review = criteria_review_request(
        actor=po.user, membership=po, items=[review_item], due_date=date(2099, 1, 6)
    )
    settings.MEDIA_ROOT = tmp_path / "media"
    shot = SimpleUploadedFile("shot.gif", b"GIF89a" + b"\x00" * 20, content_type="image/gif")
    feedback = feedback_give(actor=dev.user, membership=dev, text="Slow on phones", screenshot=shot)
    return {
        "key": "ACME",
        "item_key": delivered.key,
        "item_id": delivered.id,
        "stakeholder_id": members[Role.CLIENT_STAKEHOLDER].user.id,
        "number": active.number,
        "subtask_id": subtask.id,
        "sprint_id": active.id,
        "planned_sprint_id": planned_sprint.id,
        "ready": ready.key,
        "planned": planned.key,
        "in_progress": in_progress.key,
        "version": delivered.version,
        "members": members,
        "outsider": outsider,
        "release_id": release.id,
        "epic_id": epic.id,
        "change_id": change.id,
        "decision_id": decision.id,
        "decision_number": decision.number,
        "decision_option": decision.options.first().id,
        "review_id": review.id,
        "review_item": review_item.key,
        "feedback_id": feedback.id,
    }


def _fill(value, world):
    if isinstance(value, list):
        return [_fill(v, world) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return world[value[1:-1]]
    return value


def _url(route: str, params: dict, world) -> str:
    def sub(match):
        name = match.group(2)
        return str(_fill(params.get(name, "{" + name + "}"), world))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", sub, route)


def _api_url(path: str, params: dict, world) -> str:
    return re.sub(
        r"\{(\w+)\}", lambda m: str(_fill(params.get(m.group(1), "{" + m.group(1) + "}"), world)), path
    )


def _user(world, who):
    if who == "anonymous":
        return None
    if who == "outsider":
        return world["outsider"].user
    return world["members"][who].user


def _expected(route: Route, who: str, api_call: bool) -> str:
    if who == "anonymous" or route.ends_on_login:
        return "401" if api_call else "login"
    if who == "outsider":
        return "404" if route.scoped else "allowed"
    return "allowed" if who in route.allow else "403"


def _classify(response, api_call: bool) -> str:
    status = response.status_code
    if status == 302 and "/accounts/login/" in response.get("Location", ""):
        return "login"
    if status in (401, 403, 404, 405) or status >= 500:
        return str(status)
    return "allowed"


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_answers_each_role_as_expected(name, who, world):
    route = PAGES[name]
    url = _url(site_routes()[name.split("#")[0]], route.params, world)
    client = Client()
    user = _user(world, who)
    if user is not None:
        client.force_login(user)
    data = {k: _fill(v, world) for k, v in route.data.items()}
    response = client.get(url) if route.method == "GET" else client.post(url, data)
    assert _classify(response, False) == _expected(route, who, False), (
        f"{route.method} {url} as {who}: {response.status_code}"
    )


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("operation", sorted(API))
def test_api_answers_each_role_as_expected(operation, who, world):
    route = API[operation]
    method, path = operation.split(" ", 1)
    url = _api_url(path, route.params, world)
    user = _user(world, who)
    headers = {"Authorization": f"Bearer {token_create(user=user)}"} if user else {}
    body = json.dumps({k: _fill(v, world) for k, v in route.data.items()})
    client = Client()
    if method == "GET":
        response = client.get(url, headers=headers)
    else:
        response = getattr(client, method.lower())(
            url, body, content_type="application/json", headers=headers
        )
    assert _classify(response, True) == _expected(route, who, True), (
        f"{operation} as {who}: {response.status_code} {response.content[:200]!r}"
    )


@pytest.mark.parametrize("who", [PO, CPO])
def test_the_admin_is_for_site_administrators_only(who, world, django_user_model):
    member = Client()
    member.force_login(_user(world, who))
    assert member.get("/admin/").status_code == 302
    admin = django_user_model.objects.create_superuser(email="root@agency.test", password="x-Long-pass-1")
    staff = Client()
    staff.force_login(admin)
    assert staff.get("/admin/").status_code == 200
    assert staff.get("/admin/backlog/item/").status_code == 200
