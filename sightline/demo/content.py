"""The shape of the demo engagement: its people, item templates, and the types the projects are
written in (``sightline.demo.acme``, ``sightline.demo.globex``).

Plain data only; ``sightline.demo.engagement`` turns it into real records through the services.
Sprint scripts name items by a short slug; every item's fate is fixed in the data, so the demo is the
same every time it is loaded (only its dates follow today's date).
"""

from dataclasses import dataclass, field

DEMO_PASSWORD = "demo"


@dataclass(frozen=True)
class Person:
    email: str
    full_name: str
    title: str
    roles: dict[str, str] = field(default_factory=dict)  # project key → role


PEOPLE = [
    Person(
        "po@agency.test",
        "Priya Patel",
        "Delivery lead at the agency",
        {"ACME": "agency_po", "GLOBEX": "agency_po"},
    ),
    Person(
        "dev@agency.test",
        "Dan Novak",
        "Developer at the agency",
        {"ACME": "developer", "GLOBEX": "developer"},
    ),
    Person("qa@agency.test", "Quinn Bauer", "Tester at the agency", {"ACME": "tester", "GLOBEX": "tester"}),
    Person("client@acme.test", "Claire Mercer", "Head of e-commerce, Acme Bikes", {"ACME": "client_po"}),
    Person("exec@acme.test", "Edward Hale", "Managing director, Acme Bikes", {"ACME": "client_stakeholder"}),
    Person(
        "client@globex.test", "Grace Lindqvist", "Partner programme manager, Globex", {"GLOBEX": "client_po"}
    ),
]
ADMIN = Person("admin@agency.test", "Site Administrator", "Django admin only, not a project member")


@dataclass(frozen=True)
class EpicSpec:
    slug: str
    title: str
    description: str
    business_value: str
    priority: str = "medium"
    colour: str = "#4f6bed"


@dataclass(frozen=True)
class ItemSpec:
    slug: str
    title: str
    story: str = ""
    criteria: tuple[str, ...] = ()
    points: int | None = None
    type: str = "story"
    priority: str = "medium"
    epic: str | None = None
    labels: tuple[str, ...] = ()
    hours: float | None = None
    subtasks: tuple[tuple[str, float], ...] = ()
    description: str = ""
    draft: bool = False  # not groomed yet: no criteria, so it cannot be ready
    path: str = ""  # where it can be seen on staging


@dataclass(frozen=True)
class SprintSpec:
    goal: str
    capacity_hours: int
    items: tuple[tuple[str, str], ...]  # (item slug, outcome); see engagement.OUTCOMES


@dataclass(frozen=True)
class ProjectSpec:
    key: str
    name: str
    client_name: str
    vision: str
    business_goals: tuple[str, ...]
    staging_url: str
    budget_hours: int
    budget_amount: int
    budget_currency: str
    client_commitment_hours: int
    epics: tuple[EpicSpec, ...]
    items: tuple[ItemSpec, ...]  # in backlog order at kick-off
    closed_sprints: tuple[SprintSpec, ...]
    active_sprint: SprintSpec
    next_sprint: SprintSpec | None = None
    rejections: dict[str, str] = field(default_factory=dict)  # item slug → the client's reason
    notes: dict[str, str] = field(default_factory=dict)  # item slug → delivery note
    found: dict[int, tuple[ItemSpec, ...]] = field(default_factory=dict)  # sprint number → bugs found in it
    scope_item: ItemSpec | None = None  # added to the active sprint with a reason
    scope_reason: str = ""
    critical_bug: ItemSpec | None = None  # found during the active sprint and pulled into it
    reprioritised: tuple[str, str, str] | None = None  # the client moves (item, after item) and sets priority
    # (item slug, sprint number, working day of that sprint, author's email, text, internal)
    comments: tuple[tuple[str, int, int, str, str, bool], ...] = ()


STORY_TEMPLATE = {
    "user_story": "As a <kind of shopper> I want <what they want to do> so that <why it matters to them>.",
    "description": "## Context\n\n_Why now, and what we know from the stores._\n\n## Out of scope\n\n- \n",
    "criteria": ["Given <a situation>, when <the shopper does something>, then <what they see>"],
}
BUG_TEMPLATE = {
    "user_story": "",
    "description": (
        "## Steps to reproduce\n\n1. \n2. \n\n## Expected\n\n\n## Actual\n\n\n## Browser and device\n\n"
    ),
    "criteria": ["The steps above no longer reproduce the problem", "An automated test covers the case"],
}


def story(slug, title, user_story, criteria, points, **extra) -> ItemSpec:
    return ItemSpec(slug, title, user_story, tuple(criteria), points, **extra)


def bug(slug, title, description, criteria, points, **extra) -> ItemSpec:
    return ItemSpec(slug, title, "", tuple(criteria), points, type="bug", description=description, **extra)
