"""TO BE WRITTEN: these views are being built now."""
from django.http import Http404


def backlog_list(request, *args, **kwargs):
    raise Http404


def item_create_view(request, *args, **kwargs):
    raise Http404


def item_detail(request, *args, **kwargs):
    raise Http404


def item_edit(request, *args, **kwargs):
    raise Http404


def item_move_view(request, *args, **kwargs):
    raise Http404


def item_priority(request, *args, **kwargs):
    raise Http404


def item_transition_view(request, *args, **kwargs):
    raise Http404


def subtask_add_view(request, *args, **kwargs):
    raise Http404


def subtask_toggle_view(request, *args, **kwargs):
    raise Http404


def comment_add_view(request, *args, **kwargs):
    raise Http404


def item_history(request, *args, **kwargs):
    raise Http404


def epic_list(request, *args, **kwargs):
    raise Http404


def template_edit(request, *args, **kwargs):
    raise Http404

