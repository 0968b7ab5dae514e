"""The rest of ACME's kick-off backlog, in backlog order after the planned items: the items groomed
over the sprints, waiting to be planned, then the ideas nobody groomed yet."""

from sightline.demo.content import ItemSpec, bug, story

READY_ITEMS = (
    # --- Backlog: ready -----------------------------------------------------------------------
    ItemSpec(
        "ops-cookie",
        "Cookie consent that meets the UK rules",
        "As the Acme team we want a compliant cookie banner so that analytics run only with consent.",
        (
            "Analytics and marketing cookies are off until the visitor agrees",
            "Refusing is as easy as accepting",
            "Visitors can change their choice from the footer",
        ),
        2,
        type="task",
        priority="high",
        labels=("legal",),
    ),
    story(
        "co-paypal",
        "Pay with PayPal",
        "As a shopper who doesn't want to type card details I want to pay with PayPal so that I check "
        "out faster.",
        [
            "PayPal is offered next to card payment",
            "Returning from PayPal lands on the order confirmation",
            "Refunds of PayPal orders go back to PayPal",
        ],
        5,
        epic="co",
        labels=("checkout", "payments"),
    ),
    story(
        "adm-pricing",
        "Schedule a price change",
        "As the shop team we want to schedule sale prices ahead so that a sale starts at midnight without "
        "anyone awake.",
        [
            "Set a price and a start and end date per product or brand",
            "The old price shows crossed out during the sale",
        ],
        3,
        epic="adm",
        labels=("admin", "marketing"),
    ),
    story(
        "cat-compare",
        "Compare up to three bikes side by side",
        "As a shopper choosing between models I want to compare them side by side so that the "
        "differences are obvious.",
        [
            "Add up to three bikes to a comparison from the list or the product page",
            "Differences are highlighted in words, not colour alone",
            "The comparison can be shared as a link",
        ],
        5,
        epic="cat",
        labels=("search",),
    ),
    story(
        "fit-notes",
        "Fitter's notes in my account",
        "As a rider I want my fitting measurements in my account so that I can buy the right size later.",
        [
            "The fitter records saddle height, reach and recommended frame size",
            "The rider sees them in their account after the fitting",
        ],
        3,
        priority="low",
        epic="fit",
        labels=("fitting", "accounts"),
    ),
    story(
        "cat-brand",
        "Brand pages",
        "As a fan of a brand I want a page per brand so that I see all their bikes and their story.",
        [
            "Each brand has a page with its logo, a short story and all its bikes",
            "Brand pages are linked from product pages",
        ],
        3,
        priority="low",
        epic="cat",
        labels=("seo",),
    ),
    story(
        "pp-geometry",
        "Frame geometry chart",
        "As an experienced rider I want the geometry chart per size so that I can compare with my current "
        "bike.",
        [
            "Stack, reach, head and seat angles and wheelbase per size",
            "Values come from the manufacturer's feed, with the source noted",
        ],
        3,
        priority="low",
        epic="pp",
    ),
    story(
        "pp-accessories",
        "Suggested accessories on the product page",
        "As a new rider I want to see the accessories I will need so that I leave with everything.",
        [
            "Up to six accessories chosen by the shop team per category",
            "Add an accessory to the basket without leaving the page",
        ],
        3,
        epic="pp",
        labels=("conversion",),
    ),
    story(
        "co-delivery-day",
        "Choose a delivery day",
        "As a buyer who works shifts I want to choose the delivery day so that someone is home.",
        [
            "Offer the next ten working days the courier serves at the address",
            "The chosen day appears in the confirmation email",
        ],
        3,
        epic="co",
        labels=("checkout",),
    ),
    story(
        "acc-service",
        "Service history for bikes bought here",
        "As an owner I want to see my bike's services so that I know when the next one is due.",
        [
            "Services done in any store appear in the account",
            "A reminder is sent when the next service is due",
        ],
        5,
        priority="low",
        epic="acc",
        labels=("accounts", "stores"),
    ),
    story(
        "fit-stores",
        "Store finder with map",
        "As a rider I want to find the nearest store so that I can plan my fitting or collection.",
        ["Search by postcode or use my location", "Each store shows opening hours and services offered"],
        3,
        epic="fit",
        labels=("stores",),
    ),
    story(
        "cat-recent",
        "Recently viewed bikes",
        "As a shopper who browses over several days I want to see the bikes I looked at so that I find "
        "them again.",
        ["The last eight bikes viewed on this device show on the home page", "The list can be cleared"],
        3,
        priority="low",
        epic="cat",
    ),
    story(
        "acc-emails",
        "Choose which emails I receive",
        "As a customer I want to choose which emails I get so that I only receive what interests me.",
        [
            "Separate choices for order emails, newsletters and offers",
            "Every marketing email has a one-click unsubscribe",
        ],
        2,
        priority="low",
        epic="acc",
        labels=("email", "legal"),
    ),
    story(
        "adm-export",
        "Export orders for the accountants",
        "As the finance team we want orders exported daily so that the accounts are done without retyping.",
        [
            "A CSV file per day with order, VAT, payment method and store",
            "The export can be downloaded again for any past day",
        ],
        3,
        epic="adm",
        labels=("admin", "integration"),
    ),
    story(
        "adm-lowstock",
        "Low-stock alert email",
        "As a store manager I want an email when a popular size runs low so that I reorder in time.",
        ["One email per morning listing sizes with fewer than two left", "Managers choose their store"],
        2,
        priority="low",
        epic="adm",
        labels=("admin", "email"),
    ),
    story(
        "adm-roles",
        "Shop assistant and manager roles",
        "As a store manager I want assistants to adjust stock but not refund so that money stays controlled.",
        ["Assistants can change stock and view orders", "Only managers can refund or change prices"],
        3,
        priority="low",
        epic="adm",
        labels=("admin",),
    ),
    ItemSpec(
        "ops-monitoring",
        "Uptime monitoring and error alerts",
        "As the agency we want to hear about an outage before a customer does so that we fix it fast.",
        ("The shop and checkout are checked every minute", "Errors and outages alert the on-call developer"),
        2,
        type="chore",
        labels=("infrastructure",),
    ),
    ItemSpec(
        "ops-speed",
        "Product page loads in under 2 seconds on a phone",
        "As a shopper on a slow connection I want pages to load quickly so that I don't give up.",
        (
            "The product page is usable in under 2 s on a throttled 4G connection",
            "Images are served in modern formats and sized for the screen",
        ),
        3,
        type="task",
        labels=("performance", "mobile"),
    ),
    ItemSpec(
        "ops-a11y",
        "Fix the accessibility audit findings",
        "As a shopper using a screen reader I want every page to work with my tools so that I can buy "
        "on my own.",
        (
            "All findings rated 'serious' in the audit are fixed",
            "Every form field has a label and errors are announced",
            "The checkout works with the keyboard alone",
        ),
        5,
        type="chore",
        labels=("a11y",),
    ),
    ItemSpec(
        "ops-handbook",
        "Handbook for the shop team",
        "As a shop assistant I want a short handbook so that I can use the new admin without training.",
        (
            "Covers stock, orders, refunds and fitting bookings with screenshots",
            "Written for people who have never used the admin",
        ),
        2,
        type="chore",
        priority="low",
        labels=("docs",),
    ),
    bug(
        "bug-footer",
        "Footer links open the old shop",
        "## Steps to reproduce\n\n1. Open any page\n2. Click 'Delivery & returns' in the footer\n\n"
        "## Expected\n\nThe new delivery page.\n\n## Actual\n\nThe old shop's page opens.\n",
        ["Every footer link opens a page of the new shop", "An automated test checks the footer links"],
        1,
        priority="low",
        labels=("content",),
    ),
    bug(
        "bug-retina",
        "Product photos are blurry on high-resolution screens",
        "## Steps to reproduce\n\n1. Open a product on a recent iPhone or MacBook\n\n"
        "## Expected\n\nSharp photos.\n\n## Actual\n\nPhotos look soft, as if scaled up.\n",
        [
            "Photos are served at twice the display size on high-resolution screens",
            "Page weight on a phone grows by less than 20 %",
        ],
        2,
        epic="pp",
        labels=("mobile",),
    ),
    bug(
        "bug-badge",
        "Basket count is wrong after removing an item",
        "## Steps to reproduce\n\n1. Add two items to the basket\n2. Remove one on the basket page\n\n"
        "## Expected\n\nThe header shows 1.\n\n## Actual\n\nThe header still shows 2 until the page is "
        "reloaded.\n",
        ["The header count updates as soon as an item is removed", "An automated test covers the case"],
        1,
        epic="co",
        labels=("checkout",),
    ),
    story(
        "acc-wishlist",
        "Wishlist",
        "As a shopper saving up I want to keep a wishlist so that I can buy later or share it before my "
        "birthday.",
        [
            "Add and remove bikes and accessories from the product page",
            "A wishlist can be shared as a read-only link",
        ],
        3,
        priority="low",
        epic="acc",
        labels=("accounts",),
    ),
    story(
        "co-collect-ready",
        "Text message when a click & collect order is ready",
        "As a buyer collecting in a store I want a text when my order is ready so that I don't come too "
        "early.",
        [
            "A text message is sent when the store marks the order ready",
            "It names the store, its opening hours and the order number",
        ],
        2,
        epic="co",
        labels=("stores",),
    ),
    story(
        "pp-questions",
        "Questions and answers on the product page",
        "As a shopper with a specific question I want to ask it on the product page so that the answer "
        "helps the next shopper too.",
        [
            "Shoppers ask a question; the shop team answers within two working days",
            "Answered questions appear on the product page",
        ],
        3,
        priority="low",
        epic="pp",
    ),
    story(
        "cat-kids",
        "Kids' bikes by age and height",
        "As a parent I want to find bikes for my child's age and height so that I buy one that fits for "
        "more than a summer.",
        ["Filter kids' bikes by age group and height", "Each kids' bike shows the height range it fits"],
        3,
        epic="cat",
        labels=("search",),
    ),
)

IDEAS = (
    # --- Drafts: ideas not groomed yet (no criteria, so not ready) ------------------------------
    ItemSpec(
        "idea-tradein",
        "Trade in your old bike",
        "As a rider upgrading I want to trade in my old bike so that the new one costs less.",
        points=5,  # sized roughly in the kick-off workshop; the other ideas are not estimated yet
        epic="co",
        priority="low",
        draft=True,
    ),
    ItemSpec(
        "idea-finance",
        "Spread the cost with 0 % finance",
        "As a shopper buying an e-bike I want to pay monthly so that I can afford it.",
        epic="co",
        draft=True,
    ),
    ItemSpec(
        "idea-giftcards",
        "Gift cards",
        "",
        description="Stores ask for gift cards before Christmas; "
        "to discuss with Claire: printed or email only?",
        epic="co",
        priority="low",
        draft=True,
    ),
    ItemSpec(
        "idea-loyalty",
        "Loyalty points",
        "",
        description="Idea from the steering meeting. Needs a business case first.",
        epic="acc",
        priority="low",
        draft=True,
    ),
)
