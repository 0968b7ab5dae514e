"""API tokens stored hashed, and the login page: redirects, the wrong-password message, throttling of
repeated guesses, POST-only logout, and sessions that end with their user."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.utils import timezone

from sightline.accounts.models import ApiToken, LoginFailure
from sightline.accounts.services import token_create, token_revoke, token_user
from tests.conftest import PASSWORD

WRONG = "Email or password is wrong."
THROTTLED = "Too many failed attempts"


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Every test creates five members; a cheap hasher keeps the module fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- API tokens -------------------------------------------------------------------------------------------


def test_a_token_is_stored_only_as_its_sha256_digest(dev):
    raw = token_create(user=dev.user, name="CI")
    token = ApiToken.objects.get()
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:8]
    assert token.name == "CI"
    for value in ApiToken.objects.values_list("name", "prefix", "digest").get():
        assert raw not in value


def test_each_token_is_different(dev):
    assert len({token_create(user=dev.user) for _ in range(5)}) == 5


def test_a_token_finds_its_user_and_records_its_use(dev):
    raw = token_create(user=dev.user)
    assert token_user(raw) == dev.user
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("raw", ["", "sl_wrong", "not a token at all"])
def test_a_wrong_token_finds_no_one(raw, dev):
    token_create(user=dev.user)
    assert token_user(raw) is None


def test_the_digest_itself_is_not_a_token(dev):
    token_create(user=dev.user)
    assert token_user(ApiToken.objects.get().digest) is None


def test_a_revoked_token_finds_no_one(dev):
    raw = token_create(user=dev.user)
    token_revoke(user=dev.user, token_id=ApiToken.objects.get().pk)
    assert token_user(raw) is None


def test_nobody_revokes_a_token_of_someone_else(dev, tester):
    raw = token_create(user=dev.user)
    token_revoke(user=tester.user, token_id=ApiToken.objects.get().pk)
    assert token_user(raw) == dev.user


def test_a_token_of_a_deactivated_user_finds_no_one(dev):
    raw = token_create(user=dev.user)
    dev.user.is_active = False
    dev.user.save()
    assert token_user(raw) is None


def test_a_token_of_a_deleted_user_is_gone_with_them(dev):
    raw = token_create(user=dev.user)
    dev.user.delete()
    assert token_user(raw) is None
    assert not ApiToken.objects.exists()


def test_the_tokens_page_shows_a_new_token_once(dev):
    browser = Client()
    browser.force_login(dev.user)
    created = browser.post("/accounts/tokens/", {"name": "Laptop"})
    raw = created.context["new_token"]
    assert raw in created.content.decode()
    assert token_user(raw) == dev.user
    assert raw not in browser.get("/accounts/tokens/").content.decode()


# --- Logging in -------------------------------------------------------------------------------------------


def log_in(browser: Client, email: str, password: str, **extra):
    return browser.post("/accounts/login/", {"email": email, "password": password, **extra})


def test_the_login_page_shows_the_form():
    page = Client().get("/accounts/login/")
    assert page.status_code == 200
    assert 'name="email"' in page.content.decode() and 'name="password"' in page.content.decode()


def test_good_credentials_log_in_and_redirect(po):
    browser = Client()
    response = log_in(browser, "agency_po@example.test", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert browser.session[SESSION_KEY] == str(po.user.pk)


def test_the_email_is_not_case_sensitive(po):
    browser = Client()
    assert log_in(browser, "Agency_PO@Example.TEST", PASSWORD).status_code == 302


def test_login_returns_to_the_page_asked_for(po):
    assert log_in(Client(), po.user.email, PASSWORD, next="/p/ACME/")["Location"] == "/p/ACME/"


@pytest.mark.parametrize("next_url", ["https://evil.test/", "//evil.test/p/ACME/"])
def test_login_never_redirects_to_another_site(next_url, po):
    assert log_in(Client(), po.user.email, PASSWORD, next=next_url)["Location"] == "/"


@pytest.mark.parametrize(
    ("email", "password"),
    [("agency_po@example.test", "wrong-password"), ("nobody@example.test", PASSWORD)],
    ids=["wrong-password", "unknown-email"],
)
def test_bad_credentials_say_email_or_password_is_wrong(email, password, po):
    browser = Client()
    response = log_in(browser, email, password)
    assert response.status_code == 200
    assert WRONG in response.content.decode()
    assert SESSION_KEY not in browser.session
    assert LoginFailure.objects.filter(email=email).count() == 1


def test_after_five_failures_even_the_right_password_is_refused(po):
    for _ in range(5):
        assert WRONG in log_in(Client(), po.user.email, "guess").content.decode()

    browser = Client()
    response = log_in(browser, po.user.email, PASSWORD)
    assert response.status_code == 200
    assert THROTTLED in response.content.decode()
    assert SESSION_KEY not in browser.session


def test_throttling_one_account_leaves_the_others_alone(po, dev):
    for _ in range(5):
        log_in(Client(), po.user.email, "guess")
    assert log_in(Client(), dev.user.email, PASSWORD).status_code == 302


def test_failures_older_than_the_window_no_longer_count(po):
    for _ in range(5):
        log_in(Client(), po.user.email, "guess")
    LoginFailure.objects.update(at=timezone.now() - timedelta(minutes=16))
    assert log_in(Client(), po.user.email, PASSWORD).status_code == 302


def test_a_successful_login_clears_the_failures(po):
    for _ in range(4):
        log_in(Client(), po.user.email, "guess")
    assert log_in(Client(), po.user.email, PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(email=po.user.email).exists()
    for _ in range(4):
        log_in(Client(), po.user.email, "guess")
    assert log_in(Client(), po.user.email, PASSWORD).status_code == 302


def test_a_deactivated_user_cannot_log_in(po):
    po.user.is_active = False
    po.user.save()
    response = log_in(Client(), po.user.email, PASSWORD)
    assert WRONG in response.content.decode()


# --- Logging out and ended sessions -----------------------------------------------------------------------


def test_logout_is_post_only(po):
    browser = Client()
    browser.force_login(po.user)
    assert browser.get("/accounts/logout/").status_code == 405
    assert SESSION_KEY in browser.session
    response = browser.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert SESSION_KEY not in browser.session


def test_after_logout_project_pages_ask_to_log_in(po):
    browser = Client()
    browser.force_login(po.user)
    assert browser.get("/p/ACME/").status_code == 200
    browser.post("/accounts/logout/")
    response = browser.get("/p/ACME/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_deleted_users_session_no_longer_authenticates(po):
    browser = Client()
    assert browser.login(email=po.user.email, password=PASSWORD)
    assert browser.get("/p/ACME/").status_code == 200

    po.user.delete()

    response = browser.get("/p/ACME/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_deactivated_users_session_no_longer_authenticates(po):
    browser = Client()
    browser.force_login(po.user)
    po.user.is_active = False
    po.user.save()
    response = browser.get("/p/ACME/")
    assert response.status_code == 302


def test_a_changed_password_ends_other_sessions(po):
    browser = Client()
    browser.force_login(po.user)
    po.user.set_password("a-brand-new-password-9")
    po.user.save()
    assert browser.get("/p/ACME/").status_code == 302
