"""API authentication: tokens, sessions with CSRF, and who is refused with 401, 403 or 404."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from sightline.accounts.models import ApiToken, User
from sightline.accounts.services import token_create
from sightline.backlog.models import Status
from tests.api_support import ApiClient, api_for
from tests.conftest import PASSWORD, login

CSRF_SECRET = "s" * 32


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- POST /auth/token -----------------------------------------------------------------------------------


def test_right_email_and_password_give_a_token_that_works(po):
    response = ApiClient().post("/auth/token", {"email": po.user.email, "password": PASSWORD})
    assert response.status_code == 201
    token = response.json()["token"]
    assert ApiClient(token).get("/projects").json()[0]["key"] == "ACME"


def test_token_email_is_not_case_sensitive(po):
    response = ApiClient().post("/auth/token", {"email": po.user.email.upper(), "password": PASSWORD})
    assert response.status_code == 201


def test_tokens_are_stored_hashed(po):
    token = ApiClient().post("/auth/token", {"email": po.user.email, "password": PASSWORD}).json()["token"]
    stored = ApiToken.objects.get(user=po.user)
    assert token not in (stored.digest, stored.prefix) and stored.digest != ""


def test_wrong_password_gets_401_and_no_token(po):
    response = ApiClient().post("/auth/token", {"email": po.user.email, "password": "nope"})
    assert response.status_code == 401
    assert response.json()["detail"] == "Email or password is wrong."
    assert not ApiToken.objects.exists()


def test_unknown_email_gets_401(db):
    response = ApiClient().post("/auth/token", {"email": "nobody@example.test", "password": "whatever"})
    assert response.status_code == 401


def test_inactive_user_cannot_get_a_token(po):
    User.objects.filter(pk=po.user.pk).update(is_active=False)
    response = ApiClient().post("/auth/token", {"email": po.user.email, "password": PASSWORD})
    assert response.status_code == 401


def test_repeated_failures_are_throttled_with_429_even_for_the_right_password(po):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert (
            ApiClient().post("/auth/token", {"email": po.user.email, "password": "guess"}).status_code == 401
        )
    response = ApiClient().post("/auth/token", {"email": po.user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many failed attempts" in response.json()["detail"]


def test_a_successful_token_request_resets_the_failure_count(po):
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        ApiClient().post("/auth/token", {"email": po.user.email, "password": "guess"})
    assert ApiClient().post("/auth/token", {"email": po.user.email, "password": PASSWORD}).status_code == 201
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        ApiClient().post("/auth/token", {"email": po.user.email, "password": "guess"})
    assert ApiClient().post("/auth/token", {"email": po.user.email, "password": PASSWORD}).status_code == 201


def test_token_request_without_password_names_the_field(db):
    response = ApiClient().post("/auth/token", {"email": "po@example.test"})
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["password"]


def test_token_request_with_malformed_json_gets_422(db):
    response = ApiClient().post("/auth/token", '{"email": ')
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


# --- Bearer tokens --------------------------------------------------------------------------------------


def test_no_credentials_get_401_with_the_error_format(db):
    response = ApiClient().get("/projects")
    assert response.status_code == 401
    body = response.json()
    assert "Authorization: Bearer" in body["detail"] and body["errors"] == []


def test_wrong_token_gets_401(po):
    assert ApiClient("sl_not-a-real-token").get("/projects").status_code == 401


def test_empty_bearer_gets_401(po):
    client = ApiClient()
    client.headers = {"Authorization": "Bearer "}
    assert client.get("/projects").status_code == 401


def test_revoked_token_gets_401(po):
    token = token_create(user=po.user)
    ApiToken.objects.filter(user=po.user).update(revoked_at=timezone.now())
    assert ApiClient(token).get("/projects").status_code == 401


def test_token_of_an_inactive_user_gets_401(po):
    client = api_for(po)
    assert client.get("/projects").status_code == 200
    User.objects.filter(pk=po.user.pk).update(is_active=False)
    assert client.get("/projects").status_code == 401


def test_token_of_a_deleted_user_gets_401(po):
    client = api_for(po)
    po.user.delete()
    assert client.get("/projects").status_code == 401


def test_a_wrong_token_is_refused_even_with_a_valid_session(po):
    client = ApiClient("sl_wrong", client=login(po.user))
    assert client.get("/projects").status_code == 401


def test_token_requests_need_no_csrf_token(po):
    client = ApiClient(token_create(user=po.user), client=Client(enforce_csrf_checks=True))
    response = client.post("/projects/ACME/items", {"title": "Pay with a saved card"})
    assert response.status_code == 201


def test_token_use_is_recorded(po):
    client = api_for(po)
    client.get("/projects")
    assert ApiToken.objects.get(user=po.user).last_used_at is not None


# --- Browser sessions -----------------------------------------------------------------------------------


def test_the_browser_session_authenticates_reads(po):
    response = ApiClient(client=login(po.user)).get("/projects")
    assert response.status_code == 200
    assert [p["key"] for p in response.json()] == ["ACME"]


def _csrf_session(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    return client


def test_session_post_without_csrf_token_is_refused_with_403(po):
    response = ApiClient(client=_csrf_session(po.user)).post("/projects/ACME/items", {"title": "No CSRF"})
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not po.project.items.exists()


def test_session_post_with_the_csrf_header_is_accepted(po):
    client = ApiClient(client=_csrf_session(po.user))
    client.headers = {"X-CSRFToken": CSRF_SECRET}
    response = client.post("/projects/ACME/items", {"title": "With CSRF"})
    assert response.status_code == 201


def test_session_patch_without_csrf_token_is_refused(po, make_item):
    item = make_item()
    response = ApiClient(client=_csrf_session(po.user)).patch(
        f"/items/{item.key}", {"version": 1, "title": "x"}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title != "x"


def test_anonymous_unsafe_request_gets_401_not_a_csrf_error(db):
    response = ApiClient(client=Client(enforce_csrf_checks=True)).post("/projects/ACME/items", {"title": "x"})
    assert response.status_code == 401


def test_session_of_an_inactive_user_gets_401(po):
    client = login(po.user)
    User.objects.filter(pk=po.user.pk).update(is_active=False)
    assert ApiClient(client=client).get("/projects").status_code == 401


def test_session_of_a_deleted_user_gets_401(po):
    client = login(po.user)
    po.user.delete()
    assert ApiClient(client=client).get("/projects").status_code == 401


# --- GET /projects --------------------------------------------------------------------------------------


def test_projects_lists_only_the_callers_memberships_with_their_role(client_po, outsider):
    response = api_for(client_po).get("/projects")
    assert response.json() == [
        {
            "id": client_po.project.id,
            "key": "ACME",
            "name": "Acme Bikes web shop",
            "client_name": "Acme Bikes",
            "role": "client_po",
        }
    ]
    assert [p["key"] for p in api_for(outsider).get("/projects").json()] == ["GLOBEX"]


def test_a_user_without_memberships_sees_an_empty_list(db):
    user = User.objects.create_user(email="alone@example.test", password=PASSWORD)
    assert api_for(user).get("/projects").json() == []


# --- Every route: 401 without credentials, 404 for outsiders ----------------------------------------------


@pytest.fixture
def routes(po, make_item):
    """Every project-scoped operation with a body it accepts, against real objects of ACME."""
    from tests.conftest import make_sprint

    sprint = make_sprint(po)
    item = make_item(Status.DELIVERED, sprint=sprint)
    other = make_item()
    key = item.key
    roadmap = _roadmap(po)
    return [
        ("get", "/projects/ACME/items", None),
        ("post", "/projects/ACME/items", {"title": "A new item"}),
        ("get", f"/items/{key}", None),
        ("patch", f"/items/{key}", {"version": item.version, "priority": "high"}),
        ("post", f"/items/{key}/move", {"to_top": True}),
        ("post", f"/items/{other.key}/transition", {"to": "ready"}),
        ("post", f"/items/{key}/accept", {}),
        ("post", f"/items/{key}/reject", {"reason": "The button does nothing"}),
        ("get", f"/items/{key}/history", None),
        ("get", f"/items/{key}/comments", None),
        ("post", f"/items/{key}/comments", {"body": "Looks good"}),
        ("get", "/projects/ACME/sprints", None),
        ("post", "/projects/ACME/sprints", {"goal": "Next"}),
        ("get", f"/sprints/{sprint.id}", None),
        ("post", f"/sprints/{sprint.id}/plan", {"item": other.key}),
        ("post", f"/sprints/{sprint.id}/start", None),
        ("post", f"/sprints/{sprint.id}/close", None),
        ("get", "/projects/ACME/inbox", None),
        ("post", "/requests/handover", {"kind": "acceptance", "id": item.id, "to_email": "x@acme.test"}),
        *roadmap,
        *_decisions(po),
        *_reviews_and_feedback(po, make_item),
    ]


def _reviews_and_feedback(po, make_item) -> list:
    """The criteria reviews' and feedback's operations, against a review and a feedback of ACME."""
    from datetime import date

    from sightline.feedback.services import feedback_give
    from sightline.reviews.services import criteria_review_request

    item = make_item(Status.READY, title="Compare two bikes")
    review = criteria_review_request(actor=po.user, membership=po, items=[item], due_date=date(2099, 1, 6))
    feedback = feedback_give(actor=po.user, membership=po, text="The filter is hard to find")
    return [
        ("post", "/projects/ACME/criteria-reviews", {"items": [item.key], "due_date": "2099-01-06"}),
        ("get", f"/criteria-reviews/{review.id}", None),
        ("post", f"/criteria-reviews/{review.id}/items/{item.key}/comment", {"comment": "Say per store"}),
        ("post", f"/criteria-reviews/{review.id}/items/{item.key}/review", {}),
        ("get", "/projects/ACME/feedback", None),
        ("post", "/projects/ACME/feedback", {"text": "Lovely"}),
        ("post", f"/feedback/{feedback.id}/convert", {}),
    ]


def _decisions(po) -> list:
    """The decisions' operations, against a decision asked in ACME."""
    from datetime import date

    from sightline.decisions.services import OptionInput, decision_create

    decision = decision_create(
        actor=po.user,
        membership=po,
        question="Card or PayPal?",
        options=[OptionInput("Card"), OptionInput("PayPal")],
        due_date=date(2099, 1, 6),
    )
    option = decision.options.first()
    ask = {"question": "Gift wrap?", "options": [{"label": "Yes"}, {"label": "No"}], "due_date": "2099-01-06"}
    return [
        ("get", "/projects/ACME/decisions", None),
        ("post", "/projects/ACME/decisions", ask),
        ("get", f"/decisions/{decision.id}", None),
        ("post", f"/decisions/{decision.id}/answer", {"option_id": option.id}),
        ("post", f"/decisions/{decision.id}/withdraw", {}),
    ]


def _roadmap(po) -> list:
    """The roadmap's operations, against a release, an epic and a proposed change of ACME."""
    from sightline.backlog.epics import epic_create
    from sightline.roadmap.changes import roadmap_change_propose
    from sightline.roadmap.models import Release

    release = Release.objects.create(project=po.project, name="Release 1")
    epic = epic_create(actor=po.user, membership=po, title="Gift cards")
    why = {"rationale": "Agreed at the review", "impact": "No date moves"}
    change = roadmap_change_propose(
        actor=po.user, membership=po, kind="add_epic", epic=epic, release=release, **why
    )
    return [
        ("get", "/projects/ACME/roadmap", None),
        ("get", f"/releases/{release.id}/forecast", None),
        ("get", "/projects/ACME/velocity", None),
        ("post", "/projects/ACME/roadmap/changes", {"kind": "add_release", "release_name": "R2", **why}),
        ("get", f"/roadmap/changes/{change.id}", None),
        ("post", f"/roadmap/changes/{change.id}/approve", {}),
        ("post", f"/roadmap/changes/{change.id}/decline", {}),
        ("post", f"/roadmap/changes/{change.id}/withdraw", None),
        ("post", "/projects/ACME/roadmap/releases", {"name": "Release 2"}),
        ("patch", f"/roadmap/releases/{release.id}", {"name": "Renamed"}),
        ("post", f"/roadmap/epics/{epic.id}/release", {"release_id": release.id}),
        ("patch", f"/epics/{epic.id}", {"title": "Gift cards and vouchers"}),
        ("post", f"/epics/{epic.id}/move", {"direction": "top"}),
    ]


def test_the_route_walk_covers_every_operation_of_the_schema(routes):
    from sightline.api.api import api

    schema = api.get_openapi_schema()
    declared = {
        (method, path.removeprefix("/api/v1")) for path, ops in schema["paths"].items() for method in ops
    }
    walked = {(method, _template(path)) for method, path, _ in routes}
    assert declared - walked == {("post", "/auth/token"), ("get", "/projects"), ("get", "/inbox")}


def _template(path: str) -> str:
    import re

    path = re.sub(r"/items/[A-Z]+-\d+", "/items/{item_key}", path)
    path = re.sub(r"/sprints/\d+", "/sprints/{sprint_id}", path)
    path = re.sub(r"/roadmap/changes/\d+", "/roadmap/changes/{change_id}", path)
    path = re.sub(r"/roadmap/releases/\d+", "/roadmap/releases/{release_id}", path)
    path = re.sub(r"^/releases/\d+", "/releases/{release_id}", path)
    path = re.sub(r"/roadmap/epics/\d+", "/roadmap/epics/{epic_id}", path)
    path = re.sub(r"^/epics/\d+", "/epics/{epic_id}", path)
    path = re.sub(r"/decisions/\d+", "/decisions/{decision_id}", path)
    path = re.sub(r"/criteria-reviews/\d+", "/criteria-reviews/{review_id}", path)
    path = re.sub(r"/feedback/\d+", "/feedback/{feedback_id}", path)
    return path.replace("/projects/ACME/", "/projects/{key}/")


def test_every_route_answers_401_without_credentials(routes):
    for method, path, body in routes:
        response = getattr(ApiClient(), method)(path, *([body] if method != "get" else []))
        assert response.status_code == 401, (method, path)


def test_every_route_answers_404_to_outsiders_and_changes_nothing(routes, outsider, project):
    client = api_for(outsider)
    before = (project.items.count(), project.sprints.count(), project.audit_events.count())
    for method, path, body in routes:
        response = getattr(client, method)(path, *([body] if method != "get" else []))
        assert response.status_code == 404, (method, path, response.content)
    assert (project.items.count(), project.sprints.count(), project.audit_events.count()) == before


def test_outsiders_get_the_same_404_for_existing_and_missing_objects(routes, outsider, make_item):
    client = api_for(outsider)
    existing = client.get("/items/ACME-1").json()
    missing = client.get("/items/ACME-999").json()
    assert existing == missing == {"detail": "No such item.", "errors": []}
    assert client.get("/sprints/1").json() == client.get("/sprints/999").json()


# --- sightline create_token -----------------------------------------------------------------------------


def test_create_token_command_prints_a_working_token(po, capsys):
    call_command("create_token", po.user.email)
    token = capsys.readouterr().out.strip()
    assert token.startswith("sl_")
    assert ApiClient(token).get("/projects").status_code == 200


def test_create_token_command_fails_with_exit_code_1_for_an_unknown_email(db):
    # call_command, not execute_from_command_line: the latter closes the test's database connection.
    with pytest.raises(CommandError, match="No user with the email nobody@example.test") as error:
        call_command("create_token", "nobody@example.test")
    assert error.value.returncode == 1
    assert not ApiToken.objects.exists()


def test_create_token_command_refuses_an_inactive_user(po):
    User.objects.filter(pk=po.user.pk).update(is_active=False)
    with pytest.raises(CommandError, match="deactivated"):
        call_command("create_token", po.user.email)
