"""The epics of Acme Bikes' web shop, in the order they are created at kick-off. The home and store pages
(``WEB_EPIC``) come with the foundations."""

from sightline.demo.content import EpicSpec

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
