"""The demo's people: their accounts, created once for both projects, and the logins printed on start."""

from django.contrib.auth.hashers import make_password

from sightline.accounts.models import User
from sightline.demo.content import ADMIN, DEMO_PASSWORD, PEOPLE
from sightline.projects.models import Role


def demo_logins() -> list[tuple[str, str]]:
    """(email, what the login is) for every demo account, for printing on start."""
    rows = []
    for person in PEOPLE:
        projects_by_role: dict[str, list[str]] = {}
        for key, role in person.roles.items():
            projects_by_role.setdefault(role, []).append(key)
        roles = "; ".join(
            f"{Role(role).label} in {' and '.join(keys)}" for role, keys in projects_by_role.items()
        )
        rows.append((person.email, f"{person.full_name}: {roles}"))
    rows.append((ADMIN.email, f"{ADMIN.full_name}: Django admin at /admin/, not a project member"))
    return rows


def people_create(created: list[str]) -> dict[str, User]:
    """The demo's accounts by email, creating those missing (noted in ``created``)."""
    password = None  # hashed once for all demo accounts: hashing is deliberately slow
    users = {}
    for person in [*PEOPLE, ADMIN]:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)
            admin = person is ADMIN
            user = User.objects.create(
                email=person.email,
                full_name=person.full_name,
                password=password,
                is_staff=admin,
                is_superuser=admin,
            )
            created.append(f"User {person.email}")
        users[person.email] = user
    return users
