"""The Django admin works for site administrators: every registered model's list, add and change pages
answer, over the demo engagement's real data, without a server error."""

from io import StringIO

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_admin(django_user_model):
    call_command("load_demo", stdout=StringIO())
    return django_user_model.objects.create_superuser(email="root@agency.test", password="x-Long-pass-1")


def test_every_admin_page_answers_a_site_administrator(site_admin):
    client = Client()
    client.force_login(site_admin)
    answers = {}
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        base = f"admin:{opts.app_label}_{opts.model_name}"
        answers[f"{base}_changelist"] = client.get(reverse(f"{base}_changelist")).status_code
        answers[f"{base}_add"] = client.get(reverse(f"{base}_add")).status_code
        first = model_admin.get_queryset(None).order_by("pk").first() if hasattr(model, "objects") else None
        if first is not None:
            answers[f"{base}_change"] = client.get(reverse(f"{base}_change", args=[first.pk])).status_code
    broken = {name: status for name, status in answers.items() if status not in (200, 403)}
    assert broken == {}
    changes = [name for name in answers if name.endswith("_change")]
    assert len(changes) >= 10, changes  # the demo fills most tables, so change pages are really exercised


def test_tokens_and_invitations_are_not_added_in_the_admin(site_admin):
    client = Client()
    client.force_login(site_admin)
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    assert client.get(reverse("admin:accounts_invitation_add")).status_code == 403
