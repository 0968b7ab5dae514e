"""The backlog's HTML pages, by meaning: the ranked list, one item, epics and templates."""

from sightline.backlog.views.backlog import backlog_list, item_move_view, item_priority
from sightline.backlog.views.epics import epic_edit, epic_list, epic_move_view, template_edit
from sightline.backlog.views.items import (
    comment_add_view,
    item_create_view,
    item_detail,
    item_edit,
    item_history,
    item_transition_view,
    subtask_add_view,
    subtask_toggle_view,
)

__all__ = [
    "backlog_list",
    "comment_add_view",
    "epic_edit",
    "epic_list",
    "epic_move_view",
    "item_create_view",
    "item_detail",
    "item_edit",
    "item_history",
    "item_move_view",
    "item_priority",
    "item_transition_view",
    "subtask_add_view",
    "subtask_toggle_view",
    "template_edit",
]
