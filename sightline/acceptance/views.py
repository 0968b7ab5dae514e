"""TO BE WRITTEN: these views are being built now."""
from django.http import Http404


def awaiting(request, *args, **kwargs):
    raise Http404


def accept(request, *args, **kwargs):
    raise Http404


def reject(request, *args, **kwargs):
    raise Http404

