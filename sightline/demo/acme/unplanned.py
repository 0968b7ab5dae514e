"""Work nobody planned at ACME's kick-off: the bugs the tester finds in the sprints, the critical bug
pulled into the running sprint, and the item the PO adds to it with the client's agreement."""

from sightline.demo.content import bug, story

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
