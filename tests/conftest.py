"""Shared fixtures: a project ACME with one member per role, an outsider in another project, and
helpers to build items in any workflow state through the real services."""

from datetime import date, timedelta

import pytest
from django.test import Client

from sightline.accounts.models import User
from sightline.backlog.models import Status
from sightline.backlog.services import item_create
from sightline.backlog.transitions import item_transition
from sightline.projects.models import Membership, Project, Role
from sightline.sprints.services import sprint_create, sprint_start

PASSWORD = "correct-horse-battery"
ROLES = [r.value for r in Role]

# The criteria review fixtures (items, review), shared by the criteria review modules.
pytest_plugins = ["tests.criteria_review_helpers"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hash test passwords quickly; real hashes (e.g. the demo's) still verify."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture
def project(db):
    return Project.objects.create(
        key="ACME",
        name="Acme Bikes web shop",
        client_name="Acme Bikes",
        staging_url="https://staging.acme.test",
    )


@pytest.fixture
def other_project(db):
    return Project.objects.create(key="GLOBEX", name="Globex portal", client_name="Globex")


def _member(project, email, role, **extra):
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=email.split("@")[0].title())
    membership = Membership.objects.create(project=project, user=user, role=role, **extra)
    return membership


@pytest.fixture
def members(project):
    """One membership per role in ACME, keyed by role name."""
    return {role: _member(project, f"{role}@example.test", role) for role in ROLES}


@pytest.fixture
def po(members):
    return members[Role.AGENCY_PO]


@pytest.fixture
def dev(members):
    return members[Role.DEVELOPER]


@pytest.fixture
def tester(members):
    return members[Role.TESTER]


@pytest.fixture
def client_po(members):
    return members[Role.CLIENT_PO]


@pytest.fixture
def stakeholder(members):
    return members[Role.CLIENT_STAKEHOLDER]


@pytest.fixture
def globex_po(other_project):
    """The agency PO of the other project, GLOBEX."""
    user = User.objects.create_user(email="po@globex.test", password="x")
    return Membership.objects.create(project=other_project, user=user, role=Role.AGENCY_PO)


@pytest.fixture
def outsider(other_project):
    """A client PO of another project: a real user who must see nothing of ACME."""
    return _member(other_project, "outsider@globex.test", Role.CLIENT_PO)


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def make_item(po):
    """Create an item through the services and walk it to ``status``."""

    def make(status=Status.DRAFT, *, membership=None, sprint=None, **fields):
        membership = membership or po
        defaults = {
            "title": "Checkout with saved card",
            "user_story": "As a buyer I want to pay fast",
            "points": 3,
            "criteria": ["Card is remembered", "Pay in one click"],
        }
        defaults.update(fields)
        item = item_create(actor=membership.user, membership=membership, **defaults)
        path = [Status.READY, Status.PLANNED, Status.IN_PROGRESS, Status.DELIVERED]
        target = {
            Status.DRAFT: 0,
            Status.READY: 1,
            Status.PLANNED: 2,
            Status.IN_PROGRESS: 3,
            Status.DELIVERED: 4,
        }[status]
        for step in path[:target]:
            if step == Status.PLANNED and sprint is None:
                sprint = make_sprint(po)
            item = item_transition(
                actor=po.user,
                membership=po,
                item=item,
                to=step,
                sprint=sprint,
                staging_url="https://staging.acme.test/checkout",
                scope_reason="Agreed with the client" if sprint and sprint.state == "active" else "",
            )
        return item

    return make


def make_sprint(po, *, start=None, active=False, goal="Let buyers check out"):
    start = start or date(2026, 11, 2)
    sprint = sprint_create(
        actor=po.user,
        membership=po,
        start_date=start,
        end_date=start + timedelta(days=11),
        goal=goal,
        capacity_hours=80,
    )
    if active:
        sprint = sprint_start(actor=po.user, membership=po, sprint=sprint)
    return sprint


@pytest.fixture
def sprint(po):
    return make_sprint(po)


@pytest.fixture
def active_sprint(po):
    return make_sprint(po, active=True)
