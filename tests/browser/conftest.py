"""Browser tests: Playwright for Python driving Debian's Chromium, headless, against live_server.

No browser is ever downloaded: the launch points at /usr/bin/chromium (``make test`` installs Debian's
``chromium`` package when it is missing and it can, or stops with the command to run).
"""

import os
from pathlib import Path

import pytest

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
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `sudo apt-get install -y chromium` (make test does it as root)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1360, "height": 900}, "locale": "en-GB"}


@pytest.fixture
def shot():
    """Save a full-page screenshot under artifacts/screenshots/ and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
