"""The demo's second, smaller engagement: Globex's partner portal, with a client of its own, so that
isolation between clients can be seen."""

from sightline.demo.content import EpicSpec, ItemSpec, ProjectSpec, SprintSpec, bug, story

GLOBEX_EPICS = (
    EpicSpec(
        "onb",
        "Partner onboarding",
        "Resellers apply, get approved and start selling in a day.",
        "Onboarding takes three weeks of email today.",
        "high",
        "#0f766e",
    ),
    EpicSpec(
        "deals",
        "Deal registration",
        "Partners register deals so that two partners never compete.",
        "Channel conflict cost four deals last year.",
        "medium",
        "#7c3aed",
    ),
)
GLOBEX_ITEMS = (
    story(
        "g-signup",
        "Partner sign-up with company details",
        "As a reseller I want to apply online so that I can start selling Globex products.",
        [
            "The form asks for company, VAT number, country and contact",
            "Applicants get an email confirming receipt",
        ],
        5,
        priority="high",
        epic="onb",
        path="apply",
    ),
    story(
        "g-approve",
        "Approve or decline partner applications",
        "As the partner manager I want to review applications so that only qualified resellers join.",
        [
            "Applications list with status",
            "Approving sends the partner their login; declining asks for a reason",
        ],
        3,
        priority="high",
        epic="onb",
        path="admin/applications",
    ),
    story(
        "g-dashboard",
        "Partner dashboard with open deals",
        "As a partner I want a dashboard of my open deals so that I know what to follow up.",
        ["Open deals with value, stage and expected close date", "Totals per currency, never mixed"],
        5,
        priority="high",
        epic="deals",
        path="dashboard",
    ),
    story(
        "g-register",
        "Register a deal",
        "As a partner I want to register a deal so that it is protected from other partners for 90 days.",
        [
            "Register customer, product and value",
            "A duplicate registration for the same customer is refused with the date of the first",
        ],
        5,
        priority="high",
        epic="deals",
    ),
    story(
        "g-assets",
        "Download marketing assets",
        "As a partner I want logos and brochures in one place so that my material is on brand.",
        ["Assets grouped by product with previews", "Downloads are counted per partner"],
        2,
        epic="onb",
    ),
    story(
        "g-commission",
        "Quarterly commission statements",
        "As a partner I want my commission statement each quarter so that I can check Globex's payment.",
        ["A PDF statement per quarter with deals and rates", "Partners are emailed when it is ready"],
        5,
        epic="deals",
    ),
    story(
        "g-tiers",
        "Partner tiers",
        "As the partner manager I want silver, gold and platinum tiers so that the best partners earn more.",
        ["Tiers follow the last four quarters' sales", "A partner sees what it takes to reach the next tier"],
        3,
        priority="low",
        epic="onb",
    ),
    story(
        "g-sso",
        "Single sign-on for Globex staff",
        "As Globex staff we want to log in with our company account so that we have one password less.",
        ["Staff log in through the company identity provider", "Leavers lose access the same day"],
        8,
        epic="onb",
    ),
    bug(
        "g-bug-ampersand",
        "Sign-up refuses company names with an ampersand",
        "## Steps to reproduce\n\n1. Apply as 'Smith & Sons Ltd'\n\n## Expected\n\nThe application is sent."
        "\n\n## Actual\n\n'Invalid company name'.\n",
        ["Company names with '&', apostrophes and accents are accepted", "An automated test covers the case"],
        1,
        priority="high",
        epic="onb",
        path="apply",
    ),
    ItemSpec(
        "g-newsletter",
        "Partner newsletter",
        "",
        description="Grace would like a monthly newsletter; scope to be agreed.",
        epic="onb",
        priority="low",
        draft=True,
    ),
)
GLOBEX = ProjectSpec(
    key="GLOBEX",
    name="Globex partner portal",
    client_name="Globex Corporation",
    vision="One portal where Globex resellers apply, register deals and see their commission, replacing "
    "three weeks of email with a day of self-service.",
    business_goals=("Onboard a new partner in one working day", "No more than one channel conflict a year"),
    staging_url="https://staging.partners.globex.example",
    budget_hours=600,
    budget_amount=54000,
    budget_currency="EUR",
    client_commitment_hours=8,
    epics=GLOBEX_EPICS,
    items=GLOBEX_ITEMS,
    closed_sprints=(
        SprintSpec(
            "Resellers can apply and be approved online",
            64,
            (("g-signup", "accept"), ("g-approve", "accept"), ("g-dashboard", "in_progress")),
        ),
    ),
    active_sprint=SprintSpec(
        "Partners see and register their deals",
        64,
        (("g-dashboard", "delivered"), ("g-register", "in_progress"), ("g-assets", "planned")),
    ),
    notes={"g-dashboard": "Log in as the staging partner 'Initech'; it has deals in EUR and USD."},
    comments=(
        (
            "g-dashboard",
            2,
            1,
            "client@globex.test",
            "Could the dashboard show the expected close month rather than the exact date?",
            False,
        ),
    ),
)
