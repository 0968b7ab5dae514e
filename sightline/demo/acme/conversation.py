"""What people say along ACME's sprints: the client's reasons for rejecting, the team's delivery
notes and the comments on items."""

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
