"""Inviting people: the agency PO sends a one-time link that works for 7 days; following it sets a
password and adds the membership with the invited role. An address that already has an account joins
logged in as that account: the link never changes an existing account."""

from datetime import timedelta
from urllib.parse import quote

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from sightline.accounts.models import Invitation, User, hash_secret
from sightline.accounts.services import (
    invitation_accept,
    invitation_join,
    invitation_lookup,
    invitation_send,
)
from sightline.audit.models import AuditEvent
from sightline.lib.errors import DomainError, InvalidInput
from sightline.projects.models import Membership, Role
from tests.conftest import PASSWORD, login

GOOD_PASSWORD = "plum-orchard-lantern-42"


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Every test creates five members; a cheap hasher keeps the module fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def invite(po, django_capture_on_commit_callbacks):
    """Send an invitation as the agency PO (emails delivered); returns (invitation, raw token, link)."""

    def send(email="jane@acme.test", role=Role.CLIENT_STAKEHOLDER):
        with django_capture_on_commit_callbacks(execute=True):
            invitation, link = invitation_send(actor=po.user, membership=po, email=email, role=role)
        return invitation, link.rstrip("/").rsplit("/", 1)[1], link

    return send


def accept(raw, password=GOOD_PASSWORD, full_name="Jane Doe"):
    return invitation_accept(raw=raw, password=password, full_name=full_name)


# --- Sending ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["developer", "tester", "client_po", "client_stakeholder"])
def test_only_the_agency_po_invites(role, members):
    with pytest.raises(PermissionDenied, match="agency_po"):
        invitation_send(
            actor=members[role].user,
            membership=members[role],
            email="jane@acme.test",
            role=Role.CLIENT_STAKEHOLDER,
        )
    assert not Invitation.objects.exists()


def test_the_invitation_email_is_sent_on_commit_with_a_one_time_link(po, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation, link = invitation_send(
            actor=po.user, membership=po, email="Jane@Acme.test ", role=Role.CLIENT_PO
        )
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["jane@acme.test"]
    assert "Acme Bikes web shop" in message.subject
    assert link in message.body
    assert "works once" in message.body and "7 days" in message.body
    assert link.startswith("http://") and "/accounts/invitation/" in link
    assert invitation.email == "jane@acme.test"


def test_only_a_digest_of_the_link_is_stored(invite):
    invitation, raw, _ = invite()
    assert invitation.digest == hash_secret(raw)
    stored = Invitation.objects.values_list("email", "role", "digest").get()
    assert not any(raw in str(value) for value in stored)


def test_an_invitation_expires_seven_days_after_it_is_sent(invite):
    invitation, _, _ = invite()
    expected = timezone.now() + timedelta(days=7)
    assert abs(invitation.expires_at - expected) < timedelta(minutes=1)


@pytest.mark.parametrize(
    "email", ["agency_po@example.test", "CLIENT_PO@example.test", " developer@example.test "]
)
def test_an_existing_member_is_not_invited_again(email, po):
    with pytest.raises(DomainError) as refused:
        invitation_send(actor=po.user, membership=po, email=email, role=Role.TESTER)
    assert refused.value.field == "email"
    assert "already a member" in refused.value.message
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("email", "role", "field"),
    [("not-an-email", "tester", "email"), ("", "tester", "email"), ("jane@acme.test", "owner", "role")],
)
def test_a_bad_address_or_role_is_refused_on_its_field(email, role, field, po):
    with pytest.raises(InvalidInput) as refused:
        invitation_send(actor=po.user, membership=po, email=email, role=role)
    assert refused.value.field == field
    assert not Invitation.objects.exists()


def test_sending_an_invitation_is_audited(invite, po):
    invitation, _, _ = invite(role=Role.TESTER)
    event = AuditEvent.objects.get(action="member.invited")
    assert (event.actor, event.target_id) == (po.user, invitation.pk)
    assert event.changes == {"email": [None, "jane@acme.test"], "role": [None, "tester"]}


# --- Following the link -----------------------------------------------------------------------------------


def test_a_fresh_link_finds_its_invitation(invite):
    invitation, raw, _ = invite()
    assert invitation_lookup(raw) == invitation


def test_a_wrong_link_finds_nothing(invite):
    invite()
    assert invitation_lookup("not-the-token") is None


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_accepting_creates_the_account_and_membership_with_the_invited_role(role, invite, project):
    _, raw, _ = invite(role=role)
    user = accept(raw)

    assert user.email == "jane@acme.test"
    assert user.full_name == "Jane Doe"
    assert user.check_password(GOOD_PASSWORD)
    assert Membership.objects.get(project=project, user=user).role == role
    joined = AuditEvent.objects.get(action="member.joined")
    assert (joined.actor, joined.changes) == (user, {"role": [None, role]})


def test_the_link_works_only_once(invite):
    _, raw, _ = invite()
    accept(raw)
    assert invitation_lookup(raw) is None
    with pytest.raises(DomainError, match="expired or was already used"):
        accept(raw, password="another-fine-password-7")
    assert User.objects.get(email="jane@acme.test").check_password(GOOD_PASSWORD)


def test_the_link_stops_working_after_it_expires(invite):
    invitation, raw, _ = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert invitation_lookup(raw) is None
    with pytest.raises(DomainError, match="expired"):
        accept(raw)
    assert not User.objects.filter(email="jane@acme.test").exists()


@pytest.mark.parametrize(
    "password",
    ["short1", "password123", "1234567890123", "jane@acme.test"],
    ids=["too-short", "common", "numeric", "the-email"],
)
def test_a_weak_password_is_refused_and_the_link_keeps_working(password, invite):
    _, raw, _ = invite()
    with pytest.raises(InvalidInput) as refused:
        accept(raw, password=password)
    assert refused.value.field == "password"
    assert not User.objects.filter(email="jane@acme.test").exists()
    assert invitation_lookup(raw) is not None


# --- An address that already has an account ------------------------------------------------------------
# The link must never touch an existing account: the owner joins logged in as it; nobody else can.


def test_a_link_for_an_existing_account_never_sets_its_password(invite, outsider, project):
    _, raw, _ = invite(email=outsider.user.email, role=Role.CLIENT_PO)
    with pytest.raises(DomainError, match="already has a Sightline account"):
        accept(raw)

    outsider.user.refresh_from_db()
    assert outsider.user.check_password(PASSWORD)
    assert not outsider.user.check_password(GOOD_PASSWORD)
    assert not Membership.objects.filter(project=project, user=outsider.user).exists()
    assert not AuditEvent.objects.filter(action="member.joined").exists()
    assert invitation_lookup(raw) is not None


def test_an_existing_account_joins_logged_in_as_itself_and_keeps_its_password(invite, outsider, project):
    _, raw, _ = invite(email=outsider.user.email, role=Role.CLIENT_PO)
    user = invitation_join(actor=outsider.user, raw=raw)

    assert user == outsider.user
    assert set(user.memberships.values_list("project__key", flat=True)) == {"ACME", "GLOBEX"}
    assert Membership.objects.get(project=project, user=user).role == Role.CLIENT_PO
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    joined = AuditEvent.objects.get(action="member.joined")
    assert (joined.actor, joined.changes) == (user, {"role": [None, Role.CLIENT_PO]})
    assert invitation_lookup(raw) is None


def test_another_account_cannot_join_with_an_invitation_for_someone_else(invite, po, outsider, project):
    _, raw, _ = invite(email=outsider.user.email, role=Role.CLIENT_PO)
    with pytest.raises(PermissionDenied, match="for outsider@globex.test"):
        invitation_join(actor=po.user, raw=raw)
    assert not Membership.objects.filter(project=project, user=outsider.user).exists()
    assert Membership.objects.get(project=project, user=po.user).role == Role.AGENCY_PO
    assert invitation_lookup(raw) is not None


def test_the_email_to_an_existing_account_asks_them_to_log_in(invite, outsider):
    invite(email=outsider.user.email)
    assert "Log in with your Sightline account and join here" in mail.outbox[0].body
    assert "Set your password" not in mail.outbox[0].body


def test_posting_a_password_to_an_existing_accounts_link_changes_nothing_and_asks_to_log_in(
    invite, outsider, project
):
    _, raw, _ = invite(email=outsider.user.email, role=Role.CLIENT_PO)
    url = f"/accounts/invitation/{raw}/"
    browser = Client()
    response = browser.post(url, {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={quote(url)}"
    assert SESSION_KEY not in browser.session
    outsider.user.refresh_from_db()
    assert outsider.user.check_password(PASSWORD)
    assert not Membership.objects.filter(project=project, user=outsider.user).exists()
    assert invitation_lookup(raw) is not None


def test_the_inviter_is_refused_a_link_for_an_existing_account(invite, po, outsider, project):
    _, raw, _ = invite(email=outsider.user.email, role=Role.CLIENT_PO)
    url = f"/accounts/invitation/{raw}/"
    inviter = login(po.user)
    for response in (
        inviter.get(url),
        inviter.post(url, {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD}),
    ):
        assert response.status_code == 403
        html = response.content.decode()
        assert "This invitation is for another account" in html
        assert "outsider@globex.test" in html and "agency_po@example.test" in html
    outsider.user.refresh_from_db()
    assert outsider.user.check_password(PASSWORD)
    assert not Membership.objects.filter(project=project, user=outsider.user).exists()
    assert inviter.session[SESSION_KEY] == str(po.user.pk)
    assert invitation_lookup(raw) is not None


def test_an_existing_account_logs_in_through_the_link_and_joins(invite, outsider, project):
    _, raw, _ = invite(email=outsider.user.email, role=Role.CLIENT_PO)
    url = f"/accounts/invitation/{raw}/"
    browser = Client()

    to_login = browser.get(url, follow=True)
    assert "outsider@globex.test already has an account: log in to join" in to_login.content.decode()
    logged_in = browser.post(
        "/accounts/login/", {"email": outsider.user.email, "password": PASSWORD, "next": url}
    )
    assert logged_in["Location"] == url
    page = browser.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Join Acme Bikes web shop" in html and 'name="password"' not in html
    assert "<strong>Client product owner</strong>" in html

    joined = browser.post(url)
    assert (joined.status_code, joined["Location"]) == (302, "/p/ACME/")
    assert Membership.objects.get(project=project, user=outsider.user).role == Role.CLIENT_PO
    outsider.user.refresh_from_db()
    assert outsider.user.check_password(PASSWORD)
    assert browser.get(url).status_code == 404


def test_the_wrong_account_can_log_out_and_come_back_to_the_link(invite, po, outsider):
    _, raw, _ = invite(email=outsider.user.email)
    url = f"/accounts/invitation/{raw}/"
    browser = login(po.user)
    response = browser.post("/accounts/logout/", {"next": url})
    assert response["Location"] == url
    assert SESSION_KEY not in browser.session
    assert browser.post("/accounts/logout/", {"next": "https://evil.test/"})["Location"] == "/accounts/login/"


# --- The page behind the link -----------------------------------------------------------------------------


def test_the_invitation_page_shows_the_password_form(invite):
    _, _, link = invite(role=Role.CLIENT_PO)
    page = Client().get(link.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Join Acme Bikes web shop" in html
    assert "jane@acme.test" in html
    assert "invites you to join as <strong>Client product owner</strong>" in html and "client_po" not in html
    assert 'name="password"' in html and 'name="password_again"' in html


def test_setting_a_password_on_the_page_joins_and_logs_in(invite, project):
    _, raw, _ = invite(role=Role.CLIENT_PO)
    browser = Client()
    response = browser.post(
        f"/accounts/invitation/{raw}/",
        {"full_name": "Jane Doe", "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/p/ACME/"
    user = User.objects.get(email="jane@acme.test")
    assert browser.session[SESSION_KEY] == str(user.pk)
    assert Membership.objects.get(project=project, user=user).role == Role.CLIENT_PO


def test_a_used_link_shows_the_no_longer_works_page(invite):
    _, raw, _ = invite()
    url = f"/accounts/invitation/{raw}/"
    Client().post(url, {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD})

    for again in (
        Client().get(url),
        Client().post(url, {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD}),
    ):
        assert again.status_code == 404
        assert "This link no longer works" in again.content.decode()


def test_an_expired_link_shows_the_no_longer_works_page(invite):
    invitation, raw, _ = invite()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    response = Client().get(f"/accounts/invitation/{raw}/")
    assert response.status_code == 404
    assert "7 days" in response.content.decode()


def test_a_weak_password_on_the_page_is_shown_next_to_the_field(invite):
    _, raw, _ = invite()
    browser = Client()
    response = browser.post(
        f"/accounts/invitation/{raw}/", {"password": "password123", "password_again": "password123"}
    )
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert response.context["form"].errors["password"]
    assert SESSION_KEY not in browser.session
    assert not User.objects.filter(email="jane@acme.test").exists()


def test_two_different_passwords_on_the_page_are_refused(invite):
    _, raw, _ = invite()
    response = Client().post(
        f"/accounts/invitation/{raw}/", {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD + "x"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password_again"] == ["The two passwords differ."]
    assert invitation_lookup(raw) is not None
