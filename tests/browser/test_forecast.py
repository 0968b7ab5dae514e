"""The forecast pages of the demo engagement in a browser: the release page shows the P85 date the
service computes, the what-if answers in place, and the charts are there to look at (screenshots)."""

import re

import pytest
from playwright.sync_api import expect

from sightline.planning.services import WhatIf, release_forecasts, what_if
from sightline.roadmap.models import Release

pytestmark = pytest.mark.django_db(transaction=True)


def _day(value) -> str:
    """As the pages write a date: 8 Jan 2027."""
    return f"{value.day} {value:%b %Y}"


def test_release_forecast_and_what_if(demo, live_server, log_in, page_errors, shot):
    release = Release.objects.filter(project=demo).in_timeline_order().first()
    plans = release_forecasts(demo)
    plan = plans.plan_for(release.pk)
    page = log_in("po@agency.test")
    base = f"{live_server.url}/p/ACME"

    page.goto(f"{base}/releases/")
    expect(page.get_by_role("heading", name="Release forecast", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=release.name)).to_be_visible()
    shot(page, "forecast-releases")

    page.get_by_role("link", name=release.name).click()
    expect(page.get_by_role("heading", name=release.name, level=1)).to_be_visible()
    assert plan.forecast is not None, "the demo has enough closed sprints to forecast"
    expect(page.locator(".p85-date time")).to_have_text(_day(plan.forecast.p85))
    expect(page.locator("figure.chart svg[role=img]")).to_have_count(2)
    shot(page, "docs-release-forecast", full_page=False)
    page.locator(".chart-pair").screenshot(
        path=str(shot(page, "forecast-release").with_name("forecast-charts.png"))
    )

    last_epic = [e for e in plan.scope.epics if e.remaining_items][-1]
    expected = what_if(demo, release, WhatIf(drop=(last_epic.id,)), current=plans).after.forecast.p85
    with page.expect_response(lambda r: f"drop={last_epic.id}" in r.url):
        page.get_by_role("checkbox", name=f"{last_epic.title} ·").check()
    expect(page.locator(".what-if-p85 time")).to_have_text(_day(expected))
    expect(page).to_have_url(re.compile(rf"drop={last_epic.id}"))
    expect(page.locator(".what-if-change")).to_contain_text(f"Without “{last_epic.title}”")
    page.get_by_label("Velocity change (%)").fill("50")
    with page.expect_response(lambda r: "velocity=50" in r.url):
        page.get_by_role("button", name="Show the new P85").click()
    expect(page.locator(".what-if-change")).to_contain_text("velocity +50 %")
    page.locator(".what-if").screenshot(
        path=str(shot(page, "forecast-what-if-page").with_name("forecast-what-if.png"))
    )

    page.goto(f"{base}/velocity/")
    expect(page.get_by_role("heading", name="Velocity", level=1)).to_be_visible()
    expect(page.locator("figure.chart svg[role=img]")).to_have_count(2)
    shot(page, "forecast-velocity")
    shot(page, "docs-velocity", full_page=False)
    assert page_errors == []


def test_the_client_sees_the_forecast_without_the_propose_links(demo, live_server, log_in, page_errors, shot):
    release = Release.objects.filter(project=demo).in_timeline_order().first()
    page = log_in("client@acme.test")
    page.goto(f"{live_server.url}/p/ACME/releases/{release.pk}/")
    expect(page.get_by_role("heading", name=release.name, level=1)).to_be_visible()
    expect(page.locator("a[href*='/roadmap/propose/']")).to_have_count(0)
    shot(page, "forecast-release-client")
    assert page_errors == []
