from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from sightline.accounts import services
from sightline.accounts.forms import InvitationAcceptForm, LoginForm, TokenForm
from sightline.lib.errors import DomainError


@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].lower()
        if services.login_throttled(email):
            form.add_error(None, "Too many failed attempts for this account. Wait 15 minutes and try again.")
        else:
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if user is None:
                services.login_failed(email)
                form.add_error(None, "Email or password is wrong.")
            else:
                services.login_succeeded(email)
                login(request, user)
                if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                    next_url = ""
                return redirect(next_url or "home")
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=200)


@require_POST
def logout_view(request):
    logout(request)
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return redirect(next_url)
    return redirect("accounts:login")


@require_http_methods(["GET", "POST"])
def invitation_view(request, token):
    invitation = services.invitation_lookup(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if services.invitation_account(invitation) is not None:
        return _join_with_account(request, token, invitation)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                raw=token, password=form.cleaned_data["password"], full_name=form.cleaned_data["full_name"]
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {invitation.project.name}.")
            return redirect("projects:overview", key=invitation.project.key)
    return render(request, "accounts/invitation.html", {"form": form, "invitation": invitation})


def _join_with_account(request, token, invitation):
    """The invited address has an account: its owner joins while logged in as it, nobody else."""
    if not request.user.is_authenticated:
        messages.info(
            request, f"{invitation.email} already has an account: log in to join {invitation.project.name}."
        )
        return redirect_to_login(request.get_full_path())
    if request.user.email.lower() != invitation.email.lower():
        return render(
            request, "accounts/invitation_other_account.html", {"invitation": invitation}, status=403
        )
    if request.method == "POST":
        try:
            services.invitation_join(actor=request.user, raw=token)
        except DomainError:  # used or expired since the page was shown
            return render(request, "accounts/invitation_invalid.html", status=404)
        messages.success(request, f"Welcome to {invitation.project.name}.")
        return redirect("projects:overview", key=invitation.project.key)
    return render(request, "accounts/invitation.html", {"invitation": invitation, "existing_account": True})


@login_required
@require_http_methods(["GET", "POST"])
def tokens_view(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST":
        if "revoke" in request.POST:
            token_id = request.POST["revoke"]
            if token_id.isdigit():
                services.token_revoke(user=request.user, token_id=int(token_id))
                messages.success(request, "Token revoked.")
            else:
                messages.error(request, "No such token.")
            return redirect("accounts:tokens")
        if form.is_valid():
            new_token = services.token_create(user=request.user, name=form.cleaned_data["name"])
    tokens = request.user.api_tokens.all()
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_token": new_token})
