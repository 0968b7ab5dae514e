"""Browser tests: Playwright for Python driving Debian's Chromium, headless, against live_server.

No browser is ever downloaded: the launch points at /usr/bin/chromium (``make test`` installs Debian's
``chromium`` package when it is missing and it can, or stops with the command to run).
"""

import os
import re
from io import StringIO
from pathlib import Path

import pytest
from playwright.sync_api import expect

CHROMIUM = os.environ.get("SIGHTLINE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("SIGHTLINE_ARTIFACTS", Path(__file__).resolve().parents[2] / "artifacts"))
SCREENSHOTS = ARTIFACTS / "screenshots"

# Playwright runs an event loop in the test thread; Django's ORM calls from the test are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `sudo apt-get install -y chromium` (make test does it as root)"
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1360, "height": 900}, "locale": "en-GB"}


@pytest.fixture
def shot():
    """Save a full-page screenshot under artifacts/screenshots/ and return its path; ``full_page=False``
    keeps to the 1360×900 viewport (the size the README shows)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str, *, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


# --- Shared pieces of the browser tests -----------------------------------------------------------

DEMO_PASSWORD = "demo"


@pytest.fixture
def demo(transactional_db):
    """The real demo engagement (ACME and GLOBEX), loaded by the same command as `sightline load_demo`."""
    from django.core.management import call_command

    from sightline.projects.models import Project

    call_command("load_demo", stdout=StringIO())
    return Project.objects.get(key="ACME")


@pytest.fixture
def log_in(page, live_server):
    """Log in through the real login form; returns the page, now on the user's home."""

    def enter(email: str, password: str = DEMO_PASSWORD):
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
        return page

    return enter


@pytest.fixture
def page_errors(page):
    """Console errors (CSP violations included) and uncaught exceptions, each with the page it came from."""
    errors: list[str] = []

    def on_console(message):
        if message.type != "error":
            return
        source = message.location.get("url", "") if message.location else ""
        errors.append(f"{page.url}: {message.text} [{source}]")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"{page.url}: uncaught {error}"))
    return errors
