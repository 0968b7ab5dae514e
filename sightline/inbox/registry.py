"""Where the inbox finds its rows.

Each entry is the dotted path of a function ``rows(*, projects, holder=None) -> list[InboxRow]``
returning the open requests waiting for the client in the given projects; with ``holder``, only
those that person must answer (held by them, or unheld and they are a client PO / acceptor).
A module may also offer ``count(*, projects, holder)``; without it the inbox counts the rows.
Each provider runs a constant number of queries whatever the number of rows.
"""

PROVIDERS: list[str] = [
    "sightline.acceptance.inbox.rows",
    "sightline.decisions.inbox.rows",
    "sightline.roadmap.inbox.rows",
    "sightline.reviews.inbox.rows",
]
