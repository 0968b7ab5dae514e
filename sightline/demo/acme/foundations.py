"""ACME's first two sprints: the foundations a web shop stands on before the catalogue arrives — a
staging site the client can reach, the design system, the home page, the store pages and navigation.

The team was still finding its pace: the first sprint accepted 15 points, the second 24. The items are
added after the rest of the kick-off backlog, so the other items keep their keys.
"""

from sightline.demo.content import EpicSpec, ItemSpec, SprintSpec, story

WEB_EPIC = EpicSpec(
    "web",
    "Home & store pages",
    "The pages every visit passes through: home, navigation, the five stores, delivery and contact.",
    "Shoppers who find their nearest store online visit it twice as often; the old site hides them.",
    "high",
    "#0f766e",
)

FOUNDATION_ITEMS = (
    ItemSpec(
        "ops-design",
        "Design system: colours, type, buttons and page templates",
        "As the team we want one set of components in Acme's brand so that every page looks the same "
        "and new pages take hours, not days.",
        (
            "Colours, type and spacing follow the brand book Acme sent",
            "Buttons, forms and cards pass WCAG AA contrast",
            "A page of every component is on staging for the client to review",
        ),
        5,
        type="chore",
        priority="high",
        epic="web",
        labels=("design",),
        path="styleguide",
        hours=14,
        subtasks=(("Colour and type tokens", 3), ("Buttons, forms and cards", 5), ("Component page", 2)),
    ),
    story(
        "web-home",
        "Home page with the season's campaign",
        "As a shopper arriving at the shop I want to see what is new this season so that I know where "
        "to start.",
        [
            "The campaign banner, its text and link are edited by the shop team",
            "Below it: the five categories and the nearest store",
        ],
        3,
        priority="high",
        epic="web",
        labels=("content",),
        path="home",
    ),
    story(
        "web-stores",
        "Store pages with opening hours and directions",
        "As a rider near a store I want its opening hours and directions so that I can drop in for a "
        "test ride.",
        [
            "One page per store with address, map link, phone and opening hours",
            "Bank-holiday hours override the usual ones",
            "The stores page lists all five, nearest first when the shopper allows location",
        ],
        3,
        priority="high",
        epic="web",
        labels=("stores",),
        path="stores/leeds",
    ),
    ItemSpec(
        "ops-analytics",
        "Privacy-friendly visit statistics",
        "As the marketing team we want to know which pages shoppers visit so that we improve the ones "
        "that matter, without a cookie banner.",
        (
            "Page views and referrers are counted without cookies or personal data",
            "The marketing team has a login to the dashboard",
        ),
        2,
        type="task",
        epic="web",
        labels=("analytics",),
    ),
    story(
        "web-about",
        "Our story and the workshop",
        "As a shopper new to Acme I want to read who they are so that I trust them with a £2,000 bike.",
        ["The story page has the founders' photo and the workshop's services", "Texts come from the CMS"],
        2,
        priority="low",
        epic="web",
        labels=("content",),
        path="about",
    ),
    story(
        "web-nav",
        "Navigation by riding style",
        "As a shopper who knows how they ride but not which bike they need I want the menu to start "
        "from riding styles so that I land among the right bikes.",
        [
            "The menu offers commuting, weekend rides, off-road, family and e-bikes",
            "On a phone the menu opens full screen and closes with the back button",
            "Every menu entry is reachable with the keyboard",
        ],
        5,
        priority="high",
        epic="web",
        labels=("navigation",),
        path="bikes",
        hours=10,
        subtasks=(("Menu structure in the CMS", 3), ("Phone menu", 4), ("Keyboard and screen reader", 2)),
    ),
    story(
        "web-newsletter",
        "Newsletter sign-up",
        "As a rider who likes Acme I want to sign up for the newsletter so that I hear about events and "
        "offers.",
        ["Sign-up asks for the email only and confirms by email", "Unsubscribing takes one click"],
        2,
        epic="web",
        labels=("marketing",),
    ),
    ItemSpec(
        "ops-deploys",
        "Every change on staging within ten minutes",
        "As the team we want every merged change deployed to staging automatically so that the client "
        "always sees the latest work.",
        (
            "A merge to the main branch deploys to staging without anyone's help",
            "A failed deploy leaves the previous version running and alerts the team",
        ),
        3,
        type="chore",
        priority="high",
        labels=("devops",),
    ),
    story(
        "web-contact",
        "Contact form that reaches the right store",
        "As a shopper with a question I want to write to my store so that the people who know my bike "
        "answer.",
        [
            "The shopper picks a store or 'online shop'",
            "The message reaches that store's inbox and the shopper gets a copy",
            "Spam is filtered without a puzzle for the shopper",
        ],
        3,
        epic="web",
        labels=("stores",),
        path="contact",
    ),
    story(
        "web-guides",
        "Riding guides moved over from the old site",
        "As a shopper comparing bikes I want the old site's buying guides so that I learn what matters "
        "before I choose.",
        [
            "All 34 guides are moved with their photos",
            "Old guide addresses redirect to the new ones",
            "Each guide links to the bikes it mentions",
        ],
        5,
        epic="web",
        labels=("content", "seo"),
        path="guides",
    ),
    story(
        "web-errors",
        "Friendly 'page not found' page",
        "As a shopper following an old link I want a helpful page so that I still find bikes.",
        ["The page offers search and the five categories", "It answers with the right status code"],
        1,
        priority="low",
        epic="web",
        labels=("content",),
        path="no-such-page",
    ),
    story(
        "web-delivery-info",
        "Delivery and returns pages",
        "As a shopper about to buy I want to read the delivery and return terms so that there are no "
        "surprises.",
        [
            "Delivery costs and times per region, from the shop team's table",
            "The 30-day return policy in plain words, with how to start a return",
        ],
        3,
        epic="web",
        labels=("content",),
        path="delivery",
    ),
    story(
        "web-events",
        "Store events calendar",
        "As a rider looking for company I want to see the stores' group rides and workshops so that I "
        "can join one.",
        [
            "Each store lists its upcoming events with date, time and places left",
            "Shoppers sign up with their email and get a reminder the day before",
        ],
        3,
        priority="low",
        epic="web",
        labels=("stores",),
        path="events",
    ),
)

# The first two sprints, before the catalogue sprint that used to open the engagement.
FOUNDATION_SPRINTS = (
    SprintSpec(
        "A staging site the client can reach, in Acme's colours, with the home and store pages",
        80,
        (
            ("ops-staging", "accept"),
            ("ops-design", "accept"),
            ("web-home", "accept"),
            ("web-stores", "accept"),
            ("ops-analytics", "accept"),
            ("web-about", "delivered"),
        ),
    ),
    SprintSpec(
        "Shoppers find their way around and reach their store",
        96,
        (
            ("web-about", "accept"),
            ("web-nav", "accept"),
            ("web-newsletter", "accept"),
            ("ops-deploys", "accept"),
            ("web-contact", "reject_accept"),
            ("web-guides", "accept"),
            ("web-errors", "accept"),
            ("web-delivery-info", "accept"),
            ("web-events", "in_progress"),
        ),
    ),
)

FOUNDATION_REJECTIONS = {
    "web-contact": "A message to Leeds went to the York inbox. Each store must get only its own messages, "
    "as the criteria say.",
}
