"""The items of ACME's kick-off backlog planned for the running sprint (bike fitting booking and
saved cards) and the next one (the shop team's admin), in backlog order, after the delivered ones."""

from sightline.demo.content import ItemSpec, story

PLANNED_ITEMS = (
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
)
