"""The demo's main engagement: Acme Bikes' web shop, six sprints in, with a sprint under way.

The kick-off backlog is, in this order: the delivered items, the planned ones, the ready ones, the ideas,
then the foundations; items get their keys (ACME-1, ACME-2, …) in that order.
"""

from sightline.demo.acme.backlog import IDEAS, READY_ITEMS
from sightline.demo.acme.conversation import ACME_COMMENTS, ACME_NOTES, ACME_REJECTIONS
from sightline.demo.acme.delivered import DELIVERED_ITEMS
from sightline.demo.acme.epics import ACME_EPICS
from sightline.demo.acme.foundations import (
    FOUNDATION_ITEMS,
    FOUNDATION_REJECTIONS,
    FOUNDATION_SPRINTS,
    WEB_EPIC,
)
from sightline.demo.acme.planned import PLANNED_ITEMS
from sightline.demo.acme.unplanned import ACME_CRITICAL_BUG, ACME_FOUND, ACME_SCOPE_ITEM, ACME_SCOPE_REASON
from sightline.demo.content import ProjectSpec, SprintSpec

ACME_ITEMS = (*DELIVERED_ITEMS, *PLANNED_ITEMS, *READY_ITEMS, *IDEAS)

ACME = ProjectSpec(
    key="ACME",
    name="Acme Bikes web shop",
    client_name="Acme Bikes",
    vision=(
        "Acme Bikes has five stores and a loyal following. The new web shop is where cyclists in the UK "
        "find, fit and buy the right bike — online as confidently as in a store, with the same expert "
        "advice. Riders start online and finish in the store, or the other way round, without repeating "
        "themselves."
    ),
    business_goals=(
        "Online sales reach 30 % of revenue by the end of next year",
        "Half of all bike fittings booked online, cutting the stores' phone bookings",
        "Checkout conversion on mobile above 3 %",
    ),
    staging_url="https://staging.acme-bikes.example",
    budget_hours=2400,
    budget_amount=180000,
    budget_currency="GBP",
    client_commitment_hours=12,
    epics=(*ACME_EPICS, WEB_EPIC),
    items=(*ACME_ITEMS, *FOUNDATION_ITEMS),
    closed_sprints=(
        *FOUNDATION_SPRINTS,
        SprintSpec(
            "Shoppers can browse and search the whole catalogue",
            96,
            (
                ("web-events", "accept"),
                ("cat-browse", "accept"),
                ("cat-search", "accept"),
                ("cat-sort", "accept"),
                ("cat-import", "accept"),
                ("cat-seo", "accept"),
                ("pp-gallery", "accept"),
                ("cat-filter", "delivered"),
            ),
        ),
        SprintSpec(
            "Product pages that answer what shoppers used to phone the stores about",
            104,
            (
                ("cat-filter", "accept"),
                ("bug-ebike", "accept"),
                ("pp-size", "reject_accept"),
                ("pp-spec", "accept"),
                ("pp-reviews", "accept"),
                ("pp-stock", "accept"),
                ("ops-autotests", "accept"),
                ("pp-notify", "in_progress"),
            ),
        ),
        SprintSpec(
            "A basket that remembers, and delivery or click & collect at checkout",
            88,
            (
                ("pp-notify", "accept"),
                ("bug-colour-price", "accept"),
                ("co-basket", "accept"),
                ("co-remember", "accept"),
                ("co-delivery", "reject_accept"),
                ("co-pay-card", "in_progress"),
            ),
        ),
        SprintSpec(
            "Customers pay by card and look after their own accounts",
            110,
            (
                ("co-pay-card", "accept"),
                ("bug-vat", "accept"),
                ("co-confirm", "accept"),
                ("co-guest", "accept"),
                ("acc-register", "accept"),
                ("acc-login", "accept"),
                ("acc-orders", "reject_accept"),
                ("acc-address", "accept"),
                ("acc-gdpr", "delivered"),
            ),
        ),
    ),
    active_sprint=SprintSpec(
        "Riders book a fitting online, and returning customers pay with a saved card",
        120,
        (
            ("acc-gdpr", "accept"),
            ("fit-slots", "delivered"),
            ("fit-book", "delivered"),
            ("fit-remind", "delivered"),
            ("fit-reschedule", "rejected"),
            ("fit-calendar", "in_progress"),
            ("co-saved-card", "in_progress"),
            ("fit-deposit", "planned"),
        ),
    ),
    next_sprint=SprintSpec(
        "The shop team manages stock and orders without spreadsheets",
        104,
        (
            ("adm-stock", "planned"),
            ("adm-orders", "planned"),
            ("adm-refund", "planned"),
            ("co-promo", "planned"),
        ),
    ),
    rejections={**ACME_REJECTIONS, **FOUNDATION_REJECTIONS},
    notes=ACME_NOTES,
    found=ACME_FOUND,
    scope_item=ACME_SCOPE_ITEM,
    scope_reason=ACME_SCOPE_REASON,
    critical_bug=ACME_CRITICAL_BUG,
    reprioritised=("cat-kids", "co-paypal", "high"),
    comments=ACME_COMMENTS,
)
