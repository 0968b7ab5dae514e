"""Accounts: invitations, API tokens and login throttling."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sightline.accounts.models import ApiToken, Invitation, LoginFailure, hash_secret
from sightline.audit.services import audit_record
from sightline.lib.errors import DomainError, InvalidInput
from sightline.projects.models import Membership, Role
from sightline.projects.policy import require

User = get_user_model()


@transaction.atomic
def invitation_send(*, actor, membership: Membership, email: str, role: str) -> tuple[Invitation, str]:
    """Invite ``email`` to the project with ``role``; returns the invitation and its one-time link."""
    require(membership, "members.invite")
    email = (email or "").strip().lower()
    if "@" not in email:
        raise InvalidInput("Enter a valid email address.", field="email")
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}; roles are: {', '.join(Role.values)}.", field="role")
    project = membership.project
    if Membership.objects.filter(project=project, user__email=email).exists():
        raise DomainError(f"{email} is already a member of {project.key}.", field="email")
    raw = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email,
        project=project,
        role=role,
        invited_by=actor,
        digest=hash_secret(raw),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    link = settings.SIGHTLINE_BASE_URL + reverse("accounts:invitation", args=[raw])
    step = (
        "Log in with your Sightline account and join here"
        if invitation_account(invitation) is not None
        else "Set your password here"
    )
    body = (
        f"{actor.display_name} invites you to {project.name} ({project.client_name}) on Sightline "
        f"as {Role(role).label}.\n\n{step} (the link works once, for "
        f"{settings.INVITATION_DAYS} days):\n{link}\n"
    )
    transaction.on_commit(lambda: send_mail(f"You are invited to {project.name}", body, None, [email]))
    audit_record(
        actor=actor,
        project=project,
        action="member.invited",
        target=invitation,
        changes={"email": [None, email], "role": [None, role]},
    )
    return invitation, link


def invitation_lookup(raw: str) -> Invitation | None:
    invitation = Invitation.objects.select_related("project").filter(digest=hash_secret(raw)).first()
    return invitation if invitation is not None and invitation.is_usable else None


def invitation_account(invitation: Invitation):
    """The existing account of the invited address, or None when the invitation makes a new one."""
    return User.objects.filter(email__iexact=invitation.email).first()


def _usable_invitation(raw: str) -> Invitation:
    invitation = Invitation.objects.select_for_update().filter(digest=hash_secret(raw)).first()
    if invitation is None or not invitation.is_usable:
        raise DomainError("This invitation link has expired or was already used. Ask for a new one.")
    return invitation


@transaction.atomic
def invitation_accept(*, raw: str, password: str, full_name: str = ""):
    """Use a one-time invitation to make a new account: set its password, add the membership.

    The link never touches an existing account: an invited address that already has one joins with
    ``invitation_join``, logged in as that account.
    """
    invitation = _usable_invitation(raw)
    if invitation_account(invitation) is not None:
        raise DomainError(
            f"{invitation.email} already has a Sightline account: log in as {invitation.email} "
            "and open the invitation link again to join."
        )
    full_name = full_name.strip()
    try:
        # A new account is judged against the invited address too (no password like the email).
        validate_password(password, User(email=invitation.email, full_name=full_name))
    except ValidationError as exc:
        raise InvalidInput(" ".join(exc.messages), field="password") from exc
    user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name)
    _join(invitation, user)
    return user


@transaction.atomic
def invitation_join(*, actor, raw: str):
    """Use a one-time invitation with the existing account it was sent to: ``actor`` must be logged in
    as the invited address. Adds the membership; the account itself is left as it is."""
    invitation = _usable_invitation(raw)
    if not actor.is_authenticated or actor.email.lower() != invitation.email.lower():
        raise PermissionDenied(
            f"This invitation is for {invitation.email}; log in as {invitation.email} to accept it."
        )
    _join(invitation, actor)
    return actor


def _join(invitation: Invitation, user) -> None:
    Membership.objects.get_or_create(
        project=invitation.project, user=user, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(
        actor=user,
        project=invitation.project,
        action="member.joined",
        target=invitation,
        changes={"role": [None, invitation.role]},
    )


def token_create(*, user, name: str = "API token") -> str:
    """Create an API token and return its secret; only its digest is stored."""
    raw = ApiToken.new_secret()
    ApiToken.objects.create(user=user, name=name, prefix=raw[:8], digest=hash_secret(raw))
    return raw


def token_user(raw: str):
    """The active user a token belongs to, or None for a wrong, revoked or orphaned token."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=hash_secret(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_revoke(*, user, token_id: int) -> None:
    ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).update(revoked_at=timezone.now())


def login_throttled(email: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    return (
        LoginFailure.objects.filter(email=(email or "").lower(), at__gte=since).count()
        >= settings.LOGIN_FAILURE_LIMIT
    )


def login_failed(email: str) -> None:
    LoginFailure.objects.create(email=(email or "").lower()[:254])
    LoginFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()


def login_succeeded(email: str) -> None:
    LoginFailure.objects.filter(email=(email or "").lower()).delete()
