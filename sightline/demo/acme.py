"""The demo's main engagement: Acme Bikes' web shop, six sprints in, with a sprint under way."""

from sightline.demo.acme_foundations import (
    FOUNDATION_ITEMS,
    FOUNDATION_REJECTIONS,
    FOUNDATION_SPRINTS,
    WEB_EPIC,
)
from sightline.demo.content import EpicSpec, ItemSpec, ProjectSpec, SprintSpec, bug, story

ACME_EPICS = (
    EpicSpec(
        "cat",
        "Catalogue & search",
        "Find the right bike among 600 models in a few clicks.",
        "Most visits start with a search; shoppers who find a bike within a minute buy twice as often.",
        "high",
        "#2f7d5b",
    ),
    EpicSpec(
        "pp",
        "Product pages",
        "Everything a shopper asks the store staff, answered on the page.",
        "Fewer phone calls to the stores and fewer returns for the wrong frame size.",
        "high",
        "#8a4fd1",
    ),
    EpicSpec(
        "co",
        "Cart & checkout",
        "A basket that remembers and a checkout that works on a phone.",
        "Checkout conversion on mobile is 0.9 % today; the goal is 3 %.",
        "critical",
        "#c2410c",
    ),
    EpicSpec(
        "acc",
        "Accounts",
        "Customers manage their orders, addresses and data themselves.",
        "Order-status calls are a third of the stores' phone traffic.",
        "medium",
        "#1d6fa5",
    ),
    EpicSpec(
        "fit",
        "Bike fitting booking",
        "Book and pay for a fitting in a store, online.",
        "Half of all fittings booked online by next year; each phone booking costs ten minutes.",
        "high",
        "#b45309",
    ),
    EpicSpec(
        "adm",
        "Admin & stock",
        "The shop team runs stock, prices and orders in one place.",
        "Retire the three spreadsheets the shop team copies between every morning.",
        "medium",
        "#52606d",
    ),
)

ACME_ITEMS = (
    # --- Sprint 3 (the staging site: sprint 1) ---------------------------------------------
    story(
        "cat-browse",
        "Browse bikes by category",
        "As a shopper I want to browse bikes by category so that I find the right kind of bike quickly.",
        [
            "The menu lists road, gravel, city, e-bikes and kids' bikes",
            "Each category page shows 24 bikes per page with photo, name and price",
            "An empty category shows a friendly message and links to the others",
        ],
        5,
        priority="high",
        epic="cat",
        labels=("navigation",),
        path="bikes/road",
    ),
    story(
        "cat-search",
        "Search bikes by name and brand",
        "As a shopper I want to type a brand or model into a search box so that I can go straight to the "
        "bike I read about.",
        [
            "Partial words match ('spec' finds Specialized)",
            "A search with no results suggests popular categories",
            "The search box is in the header of every page",
        ],
        5,
        priority="high",
        epic="cat",
        labels=("search",),
        path="search?q=spec",
    ),
    story(
        "cat-sort",
        "Sort results by price and newest",
        "As a shopper on a budget I want to sort bikes by price so that I see what I can afford first.",
        ["Sort by price (low to high, high to low) and newest", "The chosen sort survives paging"],
        2,
        epic="cat",
        labels=("search",),
        path="bikes/gravel?sort=price",
    ),
    ItemSpec(
        "cat-import",
        "Import the product feed from the stock system every night",
        "As the shop team we want the catalogue updated from the stock system every night so that "
        "prices and availability online match the stores.",
        (
            "New and changed products appear by 6 am",
            "A product removed from the feed is hidden, not deleted",
            "The shop team gets an email when the import fails",
        ),
        3,
        type="chore",
        priority="high",
        epic="cat",
        labels=("integration",),
    ),
    ItemSpec(
        "cat-seo",
        "Readable category and product addresses",
        "As the marketing team we want addresses like /bikes/gravel/trek-checkpoint so that search "
        "engines and shoppers understand them.",
        (
            "Category and product pages use readable addresses",
            "Old shop addresses redirect permanently to the new ones",
        ),
        2,
        type="task",
        priority="low",
        epic="cat",
        labels=("seo",),
    ),
    story(
        "pp-gallery",
        "Photo gallery with zoom",
        "As a shopper I want to zoom into the photos so that I can see the components before I buy.",
        [
            "Up to 12 photos per bike, swipeable on a phone",
            "Pinch or click to zoom to full resolution",
            "Every photo has a text alternative",
        ],
        3,
        priority="high",
        epic="pp",
        labels=("mobile",),
        path="bikes/road/ribble-endurance",
    ),
    ItemSpec(
        "ops-staging",
        "Staging site with a deploy every night",
        "As the Acme team we want a staging site updated every night so that we can try new work "
        "before it goes live.",
        (
            "staging.acme-bikes.example shows the latest accepted and delivered work",
            "Staging uses test payments only and never emails real customers",
        ),
        2,
        type="chore",
        priority="high",
        labels=("infrastructure",),
    ),
    story(
        "cat-filter",
        "Filter by price, frame size and brand",
        "As a shopper I want to narrow the list by price, frame size and brand so that I only see bikes "
        "that fit me and my budget.",
        [
            "Filters for price range, frame size and brand can be combined",
            "Each filter shows how many bikes match",
            "Filters are kept in the address so a filtered list can be shared",
        ],
        5,
        epic="cat",
        labels=("search",),
        path="bikes/city?size=m&max=900",
    ),
    # --- Sprint 4 ---------------------------------------------------------------------------
    story(
        "pp-size",
        "Size guide with rider height and inside leg",
        "As a shopper unsure of my size I want the size guide to recommend a frame size so that I don't "
        "have to send the bike back.",
        [
            "Enter height and inside-leg measurement to get a recommended frame size",
            "The recommendation uses the manufacturer's geometry for that bike",
            "Between two sizes, the guide says so and suggests a fitting",
        ],
        5,
        priority="high",
        epic="pp",
        labels=("conversion",),
        path="bikes/road/ribble-endurance#size",
    ),
    story(
        "pp-spec",
        "Technical specification table",
        "As a keen cyclist I want the full specification so that I can compare groupsets and weights.",
        [
            "Frame, fork, groupset, wheels, tyres and weight are listed",
            "Missing values show a dash, never 'null'",
        ],
        3,
        epic="pp",
        path="bikes/gravel/trek-checkpoint#spec",
    ),
    story(
        "pp-reviews",
        "Customer reviews with star ratings",
        "As a shopper I want to read other riders' reviews so that I trust my choice.",
        [
            "Customers who bought the bike can leave a rating and a review",
            "Reviews are checked by the shop team before they appear",
            "The average rating shows on the product and category pages",
        ],
        5,
        epic="pp",
        labels=("conversion",),
        path="bikes/gravel/trek-checkpoint#reviews",
    ),
    story(
        "pp-stock",
        "Stock per store",
        "As a shopper who wants to test-ride I want to see which store has my size in stock so that I "
        "don't travel for nothing.",
        [
            "Each size shows stock in each of the five stores",
            "Stock is at most one hour old",
            "'Low stock' shows when fewer than three are left",
        ],
        3,
        priority="high",
        epic="pp",
        labels=("stores",),
        path="bikes/city/dutch-classic#stock",
    ),
    ItemSpec(
        "ops-autotests",
        "Automated browser tests for search and product pages",
        "As the team we want the main shopping path tested automatically so that a release never "
        "breaks search or the product pages.",
        (
            "Search, filters and the product page are covered by browser tests",
            "The tests run on every change and block a broken release",
        ),
        3,
        type="chore",
        labels=("tests",),
    ),
    story(
        "pp-notify",
        "Email me when it is back in stock",
        "As a shopper whose size is sold out I want an email when it is back so that I don't miss it.",
        [
            "A 'notify me' button appears for sold-out sizes",
            "One email is sent when the size is back, then the request is removed",
            "The email links straight to the product in that size",
        ],
        3,
        epic="pp",
        labels=("email",),
        path="bikes/road/ribble-endurance?size=s",
    ),
    # --- Sprint 5 ---------------------------------------------------------------------------
    story(
        "co-basket",
        "Add bikes and accessories to a basket",
        "As a shopper I want to collect a bike and accessories in a basket so that I can buy them together.",
        [
            "Add, remove and change quantities from the basket page",
            "The basket total includes VAT and shows delivery separately",
            "The basket icon shows the number of items on every page",
        ],
        5,
        priority="high",
        epic="co",
        labels=("checkout",),
        path="basket",
    ),
    story(
        "co-remember",
        "The basket remembers items between visits",
        "As a shopper who compares for days I want my basket kept so that I can come back and buy.",
        [
            "The basket is kept for 30 days on the same device",
            "Logging in merges the device basket with the account basket",
        ],
        3,
        epic="co",
        labels=("checkout",),
        path="basket",
    ),
    story(
        "co-delivery",
        "Choose home delivery or click & collect",
        "As a shopper I want to choose between home delivery and collecting in a store so that I get the "
        "bike when and where it suits me.",
        [
            "Home delivery shows its price and the delivery window",
            "Click & collect offers only stores that have every item in stock",
            "Collecting in a store is free and shows the store's opening hours",
        ],
        5,
        priority="high",
        epic="co",
        labels=("checkout", "stores"),
        path="checkout/delivery",
    ),
    story(
        "co-pay-card",
        "Pay by card with 3-D Secure",
        "As a shopper I want to pay by card safely so that my order is placed.",
        [
            "Visa, Mastercard and Amex are accepted",
            "3-D Secure challenges are shown without leaving the checkout",
            "A declined card shows why and keeps the basket",
            "Paid orders reach the stock system within a minute",
        ],
        8,
        priority="critical",
        epic="co",
        labels=("checkout", "payments"),
        path="checkout/payment",
    ),
    # --- Sprint 6 ---------------------------------------------------------------------------
    story(
        "co-confirm",
        "Order confirmation email",
        "As a buyer I want a confirmation email so that I know my order went through.",
        [
            "Sent within a minute of payment with the order number and items",
            "Shows the delivery or collection details",
            "Looks right in Gmail, Outlook and Apple Mail",
        ],
        3,
        priority="high",
        epic="co",
        labels=("email",),
    ),
    story(
        "co-guest",
        "Check out as a guest",
        "As a first-time buyer I want to pay without creating an account so that buying is quick.",
        [
            "Checkout asks only for email, address and payment",
            "After paying, the buyer may create an account with one click",
        ],
        3,
        priority="high",
        epic="co",
        labels=("checkout", "conversion"),
        path="checkout",
    ),
    story(
        "acc-register",
        "Create an account",
        "As a returning customer I want an account so that I don't type my details every time.",
        [
            "Sign up with email and password; the email is confirmed by a link",
            "Passwords of fewer than 10 characters are refused with a clear message",
        ],
        3,
        priority="high",
        epic="acc",
        labels=("accounts",),
        path="account/register",
    ),
    story(
        "acc-login",
        "Log in and reset a forgotten password",
        "As a customer I want to log in and reset my password myself so that I never call the store "
        "about it.",
        [
            "Log in with email and password",
            "A reset link arrives within a minute and works once, for one hour",
            "Five wrong passwords in a row slow further attempts down",
        ],
        3,
        priority="high",
        epic="acc",
        labels=("accounts",),
        path="account/login",
    ),
    story(
        "acc-orders",
        "See my order history",
        "As a customer I want to see my orders and their status so that I don't phone the store to ask.",
        [
            "Orders list with date, items, total and status",
            "Orders placed in the old shop since 2022 are included",
            "Each order links to its invoice as a PDF",
        ],
        5,
        epic="acc",
        labels=("accounts",),
        path="account/orders",
    ),
    story(
        "acc-address",
        "Save delivery addresses",
        "As a customer I want to save my addresses so that checkout is faster next time.",
        ["Save, edit and delete several addresses", "Choose a default address for checkout"],
        2,
        epic="acc",
        labels=("accounts",),
        path="account/addresses",
    ),
    story(
        "acc-gdpr",
        "Download or delete my data",
        "As a customer I want to download or delete my personal data so that I am in control of it.",
        [
            "Download a file with my account, addresses and orders",
            "Deleting the account asks for confirmation and keeps invoices as the law requires",
            "Both requests are logged for the data protection officer",
        ],
        5,
        epic="acc",
        labels=("accounts", "legal"),
        path="account/privacy",
        hours=9,
        subtasks=(
            ("Export file with account, addresses and orders", 2),
            ("Anonymise the account, keep invoices", 3),
            ("Log requests for the data protection officer", 1),
        ),
    ),
    # --- Sprint 7 (active) -------------------------------------------------------------------
    story(
        "fit-slots",
        "See free fitting slots per store",
        "As a rider I want to see when each store has a fitting slot free so that I can pick a time "
        "that suits me.",
        [
            "Slots for the next four weeks, per store, in 90-minute blocks",
            "Slots already booked or blocked by the store are not offered",
            "The page works on a phone without zooming",
        ],
        5,
        priority="high",
        epic="fit",
        labels=("fitting", "mobile"),
        path="fitting",
        hours=12,
        subtasks=(
            ("Slot calendar per store", 3),
            ("Hide booked and blocked slots", 2),
            ("Phone layout", 1.5),
        ),
    ),
    story(
        "fit-book",
        "Book a fitting slot",
        "As a rider I want to book a fitting online so that I don't have to call the store.",
        [
            "Booking asks for name, email, phone and the bike to be fitted",
            "Two people can never book the same slot",
            "The rider gets a confirmation email with the store's address",
        ],
        5,
        priority="high",
        epic="fit",
        labels=("fitting",),
        path="fitting/book",
    ),
    story(
        "fit-remind",
        "Reminder the day before the fitting",
        "As a rider I want a reminder the day before so that I don't forget my fitting.",
        [
            "An email and a text message are sent at 10 am the day before",
            "The reminder links to reschedule or cancel",
        ],
        2,
        epic="fit",
        labels=("fitting", "email"),
    ),
    story(
        "fit-reschedule",
        "Reschedule or cancel a booking",
        "As a rider whose plans changed I want to move or cancel my fitting online so that the slot goes "
        "to someone else.",
        [
            "Reschedule to any free slot from the confirmation email",
            "Cancelling frees the slot at once",
            "Changes less than 24 hours before the fitting are not possible online; the store's phone "
            "number is shown instead",
        ],
        3,
        epic="fit",
        labels=("fitting",),
        path="fitting/booking/reschedule",
    ),
    ItemSpec(
        "fit-calendar",
        "Fitters' calendar for the stores",
        "As a fitter I want to see my bookings for the week so that I can prepare the jig and parts.",
        (
            "Week view of bookings per fitter and store",
            "Fitters can block time for holidays and training",
            "Moving a booking emails the rider",
        ),
        5,
        type="task",
        priority="high",
        epic="fit",
        labels=("fitting", "stores"),
        hours=14,
        subtasks=(
            ("Week view per fitter and store", 3),
            ("Block out holidays and training", 1.5),
            ("Move a booking and email the rider", 2),
            ("Print a day sheet", 1),
        ),
    ),
    story(
        "co-saved-card",
        "Pay with a saved card",
        "As a returning customer I want to pay with a card I saved before so that checkout takes seconds.",
        [
            "Cards are saved only when the customer ticks 'save this card'",
            "Saved cards show brand, last four digits and expiry; never the full number",
            "A saved card can be removed from the account",
            "Paying with a saved card still asks for 3-D Secure when the bank requires it",
        ],
        5,
        priority="high",
        epic="co",
        labels=("checkout", "payments"),
        path="checkout/payment",
        hours=16,
        subtasks=(
            ("Store the card with the payment provider", 4),
            ("Saved-card picker at payment", 2),
            ("Remove a saved card from the account", 1.5),
            ("Browser tests for the saved-card path", 2),
        ),
    ),
    story(
        "fit-deposit",
        "Pay a £20 deposit when booking a fitting",
        "As a store manager I want riders to pay a small deposit so that fewer people miss their fitting.",
        [
            "The deposit is taken by card when the booking is made",
            "It is deducted from a bike bought within 30 days",
            "Cancelling more than 24 hours ahead refunds it automatically",
        ],
        3,
        epic="fit",
        labels=("fitting", "payments"),
    ),
    # --- Sprint 8 (planned) ------------------------------------------------------------------
    story(
        "adm-stock",
        "Adjust stock levels per store",
        "As a shop assistant I want to correct stock counts for my store so that the website never sells "
        "what we don't have.",
        [
            "Change the count of a size in a store with a reason (damaged, stock take, transfer)",
            "Every change is logged with who and when",
            "The website reflects the change within a minute",
        ],
        5,
        priority="high",
        epic="adm",
        labels=("admin", "stores"),
        hours=10,
        subtasks=(
            ("Stock screen per store", 3),
            ("Reasons and change log", 2),
            ("Push changes to the website", 2),
        ),
    ),
    story(
        "adm-orders",
        "Order list with status filters",
        "As the shop team we want one list of online orders so that nothing waits unseen.",
        [
            "Filter by status, store and date",
            "Orders waiting more than a day are highlighted",
            "Open an order to see payment, items and delivery",
        ],
        5,
        priority="high",
        epic="adm",
        labels=("admin",),
    ),
    story(
        "adm-refund",
        "Issue a refund",
        "As a store manager I want to refund all or part of an order so that returns are handled in "
        "one place.",
        [
            "Full or partial refunds go back to the original card",
            "Refunds above £500 need a manager",
            "The customer receives an email",
        ],
        5,
        epic="adm",
        labels=("admin", "payments"),
    ),
    story(
        "co-promo",
        "Apply a discount code",
        "As a shopper with a voucher I want to enter a discount code so that I get the promised price.",
        [
            "One code per order, applied in the basket",
            "Expired or unknown codes show why they don't apply",
            "The discount is shown as its own line on the invoice",
        ],
        3,
        epic="co",
        labels=("checkout", "marketing"),
        path="basket",
    ),
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

# Found during the sprints (created when the tester found them, not at kick-off).
ACME_FOUND = {
    3: (
        bug(
            "bug-ebike",
            "Search finds nothing for 'e-bike' with a hyphen",
            "## Steps to reproduce\n\n1. Search for 'e-bike'\n\n## Expected\n\nAll e-bikes.\n\n"
            "## Actual\n\nNo results; 'ebike' works.\n",
            ["'e-bike', 'ebike' and 'e bike' find the same bikes", "An automated test covers the case"],
            2,
            priority="high",
            epic="cat",
            labels=("search",),
            path="search?q=e-bike",
        ),
    ),
    4: (
        bug(
            "bug-colour-price",
            "Wrong price after switching colour",
            "## Steps to reproduce\n\n1. Open the Dutch Classic\n2. Switch the colour to green\n\n"
            "## Expected\n\n£649, the green price.\n\n## Actual\n\nThe price stays at £599.\n",
            ["The price follows the chosen colour and size", "The basket uses the same price"],
            2,
            priority="high",
            epic="pp",
            path="bikes/city/dutch-classic",
        ),
    ),
    5: (
        bug(
            "bug-vat",
            "VAT shown twice on the order summary",
            "## Steps to reproduce\n\n1. Add a bike to the basket\n2. Go to the order summary\n\n"
            "## Expected\n\nOne VAT line.\n\n## Actual\n\nTwo VAT lines, and the total is right.\n",
            ["The summary shows one VAT line", "Totals match the invoice to the penny"],
            2,
            priority="high",
            epic="co",
            labels=("checkout",),
            path="checkout/summary",
        ),
    ),
}
ACME_CRITICAL_BUG = bug(
    "bug-postcode",
    "Checkout fails for postcodes without a space",
    "## Steps to reproduce\n\n1. Check out with home delivery\n2. Enter the postcode SW1A1AA (no space)\n\n"
    "## Expected\n\nThe address is found.\n\n"
    "## Actual\n\n'Unknown postcode' and the order cannot be placed.\n"
    "Three customers complained on Saturday.\n",
    [
        "Postcodes are accepted with or without the space, in any case",
        "Orders failed since Friday are listed for the shop team to call back",
    ],
    2,
    priority="critical",
    epic="co",
    labels=("checkout",),
    path="checkout/delivery",
)
ACME_SCOPE_ITEM = story(
    "fit-questionnaire",
    "Questionnaire before the fitting",
    "As a fitter I want the rider's answers before the fitting so that I prepare the right parts.",
    ["The confirmation email links to a five-question form", "The answers appear on the fitter's calendar"],
    2,
    epic="fit",
    labels=("fitting",),
)
ACME_SCOPE_REASON = (
    "The stores asked for it before the launch: it replaces a ten-minute phone call per "
    "booking. Agreed with Claire on Tuesday's call; the deposit moves if we run short."
)

ACME_REJECTIONS = {
    "pp-size": "The guide only asks for height; our fitters always use the inside leg too. Please add it as "
    "in the sizing sheet we sent.",
    "co-delivery": "Click & collect offers stores that don't stock the bike. Only stores with every item in "
    "stock should be offered.",
    "acc-orders": "Orders from the old shop are missing. Customers will call us about them; please include "
    "everything since 2022.",
    "fit-reschedule": "I could cancel a fitting two hours before it starts. Online changes must stop "
    "24 hours ahead and show the store's phone number, as the criteria say.",
}
ACME_NOTES = {
    "fit-slots": "On staging with the five stores' real opening hours. Try Leeds: Thursday is blocked for "
    "training.",
    "fit-book": "Book with any name; emails go to the staging mailbox, not the rider. Try booking the same "
    "slot in two browser windows.",
    "fit-remind": "Reminders run at 10:00 on staging too. Book a fitting for tomorrow to receive one.",
}

INTERNAL_NOTE = "Internal: estimate is optimistic, the payment provider's sandbox is flaky"

# (item, sprint number, working day of the sprint, author, text, internal)
ACME_COMMENTS = (
    (
        "pp-size",
        4,
        1,
        "client@acme.test",
        "Our fitters always ask for the inside leg as well as the height. Could the guide use both?",
        False,
    ),
    (
        "pp-size",
        4,
        2,
        "dev@agency.test",
        "Yes: the geometry data has stand-over heights, so both can be used.",
        False,
    ),
    (
        "co-pay-card",
        5,
        6,
        "dev@agency.test",
        "Internal: the provider's sandbox times out on one call in five. "
        "We retry, but this will not be finished this sprint.",
        True,
    ),
    (
        "acc-orders",
        6,
        8,
        "client@acme.test",
        "Checked my own orders from 2023: all there now. Thank you!",
        False,
    ),
    ("co-saved-card", 7, 2, "dev@agency.test", INTERNAL_NOTE, True),
    (
        "fit-calendar",
        7,
        2,
        "qa@agency.test",
        "Internal: the stores' rota comes as a spreadsheet with merged "
        "cells; importing it takes longer than planned.",
        True,
    ),
    (
        "fit-reschedule",
        7,
        3,
        "po@agency.test",
        "Thanks Claire, that is clear. The 24-hour rule is in the criteria; Dan fixes it this sprint.",
        False,
    ),
    (
        "fit-book",
        7,
        4,
        "exec@acme.test",
        "Great to see this. The Leeds store alone takes forty fitting calls a week.",
        False,
    ),
    (
        "bug-postcode",
        7,
        3,
        "client@acme.test",
        "This came from three customer complaints on Saturday. Please fix it before the weekend.",
        False,
    ),
)

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
