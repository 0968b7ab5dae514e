"""TO BE WRITTEN: these views are being built now."""
from django.http import Http404


def sprint_list(request, *args, **kwargs):
    raise Http404


def sprint_create_view(request, *args, **kwargs):
    raise Http404


def sprint_detail(request, *args, **kwargs):
    raise Http404


def sprint_plan_view(request, *args, **kwargs):
    raise Http404


def sprint_unplan_view(request, *args, **kwargs):
    raise Http404


def sprint_start_view(request, *args, **kwargs):
    raise Http404


def sprint_close_view(request, *args, **kwargs):
    raise Http404


def board(request, *args, **kwargs):
    raise Http404

