"""Feedback: anyone in the project gives it on an item, a sprint review or the product (with an optional
screenshot); an agency member converts it into a backlog item; its giver hears when that item is planned
and when it is accepted. Services, uploads, pages, and who may see what."""

import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sightline.backlog.models import Item, Status
from sightline.backlog.services import item_update
from sightline.backlog.transitions import item_accept, item_transition
from sightline.feedback.models import Feedback
from sightline.feedback.services import AlreadyConverted, feedback_convert, feedback_give
from sightline.feedback.uploads import MAX_BYTES
from sightline.lib.errors import InvalidInput
from sightline.notifications.models import Notification
from sightline.projects.models import Role
from sightline.sprints.services import sprint_plan_item
from tests.conftest import _member, login, make_sprint


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x80\x00"))
        + chunk(b"IEND", b"")
    )


SIGNATURES = {
    "shot.png": (png_bytes(), "image/png"),
    "shot.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20, "image/jpeg"),
    "shot.gif": (b"GIF89a\x01\x00\x01\x00" + b"\x00" * 20, "image/gif"),
    "shot.webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 20, "image/webp"),
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def upload(name="shot.png", content=None, content_type="image/png"):
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type=content_type)


@pytest.fixture
def item(make_item):
    return make_item(Status.READY, title="Filter bikes by frame size")


@pytest.fixture
def given(stakeholder):
    return feedback_give(
        actor=stakeholder.user,
        membership=stakeholder,
        text="The size chart is hard to find\nPut it by the price.",
    )


# --- Giving feedback ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_member_may_give_feedback_on_the_product(members, role):
    member = members[role]
    feedback = feedback_give(actor=member.user, membership=member, text="Checkout feels slow on my phone")
    assert feedback.author == member.user and feedback.item is None and feedback.sprint is None
    assert feedback.state == "open"


def test_feedback_on_an_item_and_a_sprint_review_keeps_both(client_po, item, sprint):
    feedback = feedback_give(
        actor=client_po.user, membership=client_po, text="Add XL", item=item, sprint=sprint
    )
    assert feedback.item == item and feedback.sprint == sprint


def test_giving_feedback_tells_the_agency_po(po, client_po):
    feedback_give(actor=client_po.user, membership=client_po, text="Love the new search")
    told = Notification.objects.get(kind="feedback.given")
    assert told.user == po.user and "Love the new search" in told.message


def test_empty_feedback_and_items_of_another_project_are_refused(client_po, other_project):
    from sightline.backlog.services import item_create

    with pytest.raises(InvalidInput) as empty:
        feedback_give(actor=client_po.user, membership=client_po, text="   ")
    assert empty.value.field == "text"
    globex_po = _member(other_project, "po@globex.test", Role.AGENCY_PO)
    foreign = item_create(actor=globex_po.user, membership=globex_po, title="Portal login")
    with pytest.raises(InvalidInput, match="another project") as other:
        feedback_give(actor=client_po.user, membership=client_po, text="Hm", item=foreign)
    assert other.value.field == "item"
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_png_jpeg_gif_and_webp_screenshots_are_kept(client_po, media, name):
    content, kind = SIGNATURES[name]
    feedback = feedback_give(
        actor=client_po.user, membership=client_po, text="See the picture", screenshot=upload(name, content)
    )
    assert feedback.screenshot_type == kind and feedback.screenshot_name == name
    assert feedback.screenshot.name.startswith("feedback/ACME/") and name not in feedback.screenshot.name
    [stored] = stored_files(media)
    assert stored.read_bytes() == content


def test_a_text_file_named_png_is_refused_and_nothing_is_written(client_po, media):
    fake = upload("screenshot.png", b"just some text, not an image at all", "image/png")
    with pytest.raises(InvalidInput) as refused:
        feedback_give(actor=client_po.user, membership=client_po, text="Look", screenshot=fake)
    assert (
        refused.value.field == "screenshot"
        and "must be an image (PNG, JPEG, GIF or WebP)" in refused.value.message
    )
    assert not Feedback.objects.exists() and stored_files(media) == []


def test_an_svg_or_html_upload_is_refused(client_po, media):
    for name, content in [
        ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><script/></svg>"),
        ("x.html", b"<html>"),
    ]:
        with pytest.raises(InvalidInput, match="must be an image"):
            feedback_give(
                actor=client_po.user, membership=client_po, text="Look", screenshot=upload(name, content)
            )
    assert not Feedback.objects.exists() and stored_files(media) == []


def test_an_oversized_screenshot_is_refused_and_nothing_is_written(client_po, media):
    big = upload("big.png", png_bytes() + b"\x00" * MAX_BYTES)
    with pytest.raises(InvalidInput) as refused:
        feedback_give(actor=client_po.user, membership=client_po, text="Look", screenshot=big)
    assert refused.value.field == "screenshot" and "the limit is 5.0 MB" in refused.value.message
    assert not Feedback.objects.exists() and stored_files(media) == []


def test_a_screenshot_of_exactly_the_limit_is_kept(client_po, media):
    exact = upload("exact.png", png_bytes() + b"\x00" * (MAX_BYTES - len(png_bytes())))
    feedback = feedback_give(actor=client_po.user, membership=client_po, text="Look", screenshot=exact)
    assert feedback.screenshot and stored_files(media)[0].stat().st_size == MAX_BYTES


# --- Converting ------------------------------------------------------------------------------------


def test_an_agency_member_converts_feedback_into_a_backlog_item_linked_both_ways(dev, stakeholder, given):
    item = feedback_convert(actor=dev.user, membership=dev, feedback=given)
    assert item.title == "The size chart is hard to find"
    assert item.description == given.text and item.status == Status.DRAFT and item.created_by == dev.user
    given.refresh_from_db()
    assert given.item_created == item and given.converted_by == dev.user and given.state == "converted"
    assert item.from_feedback == given
    told = Notification.objects.get(kind="feedback.converted")
    assert told.user == stakeholder.user and item.key in told.message


def test_converting_takes_the_title_type_and_priority_given(po, given):
    item = feedback_convert(
        actor=po.user,
        membership=po,
        feedback=given,
        title="Size chart by the price",
        type="bug",
        priority="high",
    )
    assert (item.title, item.type, item.priority) == ("Size chart by the price", "bug", "high")


def test_converting_twice_is_refused_with_a_conflict(po, dev, given):
    first = feedback_convert(actor=po.user, membership=po, feedback=given)
    with pytest.raises(AlreadyConverted) as refused:
        feedback_convert(actor=dev.user, membership=dev, feedback=given)
    assert refused.value.status == 409 and first.key in refused.value.message
    assert Item.objects.count() == 1


@pytest.mark.parametrize("role", [Role.CLIENT_PO, Role.CLIENT_STAKEHOLDER])
def test_client_roles_may_not_convert(members, given, role):
    with pytest.raises(PermissionDenied, match="feedback.convert"):
        feedback_convert(actor=members[role].user, membership=members[role], feedback=given)
    assert not Item.objects.exists()


def test_a_long_first_line_becomes_a_shortened_title(po, client_po):
    feedback = feedback_give(actor=client_po.user, membership=client_po, text="word " * 100)
    item = feedback_convert(actor=po.user, membership=po, feedback=feedback)
    assert len(item.title) <= 200 and item.title.endswith("…")


# --- Telling the giver ------------------------------------------------------------------------------


def groomed(po, item):
    """The converted draft, given criteria and an estimate, made ready."""
    item = item_update(
        actor=po.user,
        membership=po,
        item=item,
        version=None,
        changes={"points": 2},
        criteria=["Chart by price"],
    )
    return item_transition(actor=po.user, membership=po, item=item, to=Status.READY)


def test_the_giver_hears_when_the_item_is_planned_and_when_it_is_accepted(po, client_po, stakeholder, given):
    item = groomed(po, feedback_convert(actor=po.user, membership=po, feedback=given))
    sprint = make_sprint(po, active=True)
    item = sprint_plan_item(
        actor=po.user, membership=po, sprint=sprint, item=item, scope_reason="Agreed at review"
    )
    scheduled = Notification.objects.get(kind="feedback.scheduled")
    assert (
        scheduled.user == stakeholder.user
        and item.key in scheduled.message
        and "Sprint 1" in scheduled.message
    )
    for step in (Status.IN_PROGRESS, Status.DELIVERED):
        item = item_transition(
            actor=po.user, membership=po, item=item, to=step, staging_url="https://s.test/x"
        )
    assert not Notification.objects.filter(kind="feedback.accepted").exists()
    item_accept(actor=client_po.user, membership=client_po, item=item)
    accepted = Notification.objects.get(kind="feedback.accepted")
    assert accepted.user == stakeholder.user and accepted.url == item.get_absolute_url()
    given.refresh_from_db()
    assert given.scheduled_at and given.done_at


def test_the_giver_hears_of_planning_once_even_if_planned_again(po, stakeholder, given):
    item = groomed(po, feedback_convert(actor=po.user, membership=po, feedback=given))
    sprint = make_sprint(po)
    item = sprint_plan_item(actor=po.user, membership=po, sprint=sprint, item=item)
    item = item_transition(actor=po.user, membership=po, item=item, to=Status.READY)
    sprint_plan_item(actor=po.user, membership=po, sprint=sprint, item=item)
    assert Notification.objects.filter(kind="feedback.scheduled").count() == 1


def test_items_not_from_feedback_tell_nobody(po, make_item, sprint):
    make_item(Status.PLANNED, sprint=sprint)
    assert not Notification.objects.filter(kind__startswith="feedback.").exists()


# --- Pages ----------------------------------------------------------------------------------------


def test_the_give_form_is_reachable_from_the_item_the_sprint_and_the_overview(stakeholder, item, sprint):
    client = login(stakeholder.user)
    give = reverse("feedback:give", args=["ACME"])
    assert f"{give}?item={item.key}" in client.get(item.get_absolute_url()).content.decode()
    assert (
        f"{give}?sprint={sprint.number}"
        in client.get(reverse("sprints:detail", args=["ACME", sprint.number])).content.decode()
    )
    assert f'href="{give}"' in client.get(reverse("projects:overview", args=["ACME"])).content.decode()
    page = client.get(f"{give}?item={item.key}").content.decode()
    assert f'value="{item.key}"' in page and item.title in page


def test_giving_feedback_with_a_screenshot_from_the_page(stakeholder, item, media):
    response = login(stakeholder.user).post(
        reverse("feedback:give", args=["ACME"]),
        {"text": "Add XL", "item": item.key.lower(), "screenshot": upload()},
    )
    feedback = Feedback.objects.get()
    assert response.status_code == 302 and response["Location"] == feedback.get_absolute_url()
    assert feedback.item == item and feedback.screenshot_type == "image/png"


def test_a_fake_image_on_the_page_is_refused_next_to_the_field_with_the_text_kept(stakeholder, media):
    fake = upload("holiday.png", b"%PDF-1.7 not an image", "image/png")
    response = login(stakeholder.user).post(
        reverse("feedback:give", args=["ACME"]), {"text": "My words stay", "screenshot": fake}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Screenshot (optional): The screenshot must be an image" in html
    assert "My words stay</textarea>" in html
    assert not Feedback.objects.exists() and stored_files(media) == []


def test_an_unknown_item_key_on_the_page_is_refused(stakeholder):
    response = login(stakeholder.user).post(
        reverse("feedback:give", args=["ACME"]), {"text": "Hm", "item": "ACME-99"}
    )
    assert response.status_code == 422 and "ACME has no item ACME-99" in response.content.decode()


def test_empty_text_on_the_page_names_the_field(stakeholder):
    response = login(stakeholder.user).post(reverse("feedback:give", args=["ACME"]), {"text": ""})
    assert response.status_code == 422
    assert "Your feedback: Write your feedback" in response.content.decode()


def test_the_list_filters_open_and_converted_feedback(po, stakeholder, given):
    other = feedback_give(actor=stakeholder.user, membership=stakeholder, text="Search for e-bikes only")
    item = feedback_convert(actor=po.user, membership=po, feedback=other)
    client = login(po.user)
    url = reverse("feedback:list", args=["ACME"])
    everything = client.get(url).content.decode()
    assert "The size chart is hard to find" in everything and "Search for e-bikes only" in everything
    open_only = client.get(url, {"state": "open"}).content.decode()
    assert "The size chart is hard to find" in open_only and "Search for e-bikes only" not in open_only
    converted = client.get(url, {"state": "converted"}).content.decode()
    assert (
        "Search for e-bikes only" in converted and "On the backlog as" in converted and item.key in converted
    )
    assert "Convert into a backlog item" in open_only


def test_clients_see_the_list_without_convert_buttons(client_po, given):
    html = login(client_po.user).get(reverse("feedback:list", args=["ACME"])).content.decode()
    assert "The size chart is hard to find" in html and "Convert into a backlog item" not in html


def test_converting_from_the_page_opens_the_new_item_which_says_where_it_came_from(po, stakeholder, given):
    client = login(po.user)
    response = client.post(
        reverse("feedback:convert", args=["ACME", given.pk]),
        {"title": "Size chart by the price", "type": "story"},
    )
    item = Item.objects.get()
    assert response.status_code == 302 and response["Location"] == item.get_absolute_url()
    html = client.get(item.get_absolute_url()).content.decode()
    assert f'From <a href="{given.get_absolute_url()}">feedback by Client_Stakeholder</a>' in html


def test_converting_twice_from_the_page_answers_409(po, given):
    client = login(po.user)
    url = reverse("feedback:convert", args=["ACME", given.pk])
    client.post(url, {})
    response = client.post(url, {})
    assert response.status_code == 409 and "already converted into" in response.content.decode()
    assert Item.objects.count() == 1


def test_the_item_page_costs_one_query_more_for_its_feedback_origin(po, given):
    item = feedback_convert(actor=po.user, membership=po, feedback=given)
    client = login(po.user)
    client.get(item.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        client.get(item.get_absolute_url())
    origin = [q for q in queries.captured_queries if "feedback_feedback" in q["sql"]]
    assert len(origin) == 1


def test_the_screenshot_is_served_to_members_only(members, outsider, client_po, media):
    feedback = feedback_give(actor=client_po.user, membership=client_po, text="See", screenshot=upload())
    url = reverse("feedback:screenshot", args=["ACME", feedback.pk])
    for member in members.values():
        response = login(member.user).get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content) == png_bytes()
        assert response["X-Content-Type-Options"] == "nosniff"
    assert login(outsider.user).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert login(client_po.user).get("/media/" + feedback.screenshot.name).status_code == 404


def test_the_detail_page_shows_the_screenshot_through_the_members_only_view(client_po, media):
    feedback = feedback_give(actor=client_po.user, membership=client_po, text="See", screenshot=upload())
    html = login(client_po.user).get(feedback.get_absolute_url()).content.decode()
    assert f'src="{reverse("feedback:screenshot", args=["ACME", feedback.pk])}"' in html
    assert "/media/" not in html


def test_feedback_without_a_screenshot_has_no_screenshot_page(client_po, given):
    assert (
        login(client_po.user).get(reverse("feedback:screenshot", args=["ACME", given.pk])).status_code == 404
    )


def test_outsiders_get_404_for_every_feedback_page(outsider, given):
    client = login(outsider.user)
    for url in [
        reverse("feedback:list", args=["ACME"]),
        reverse("feedback:give", args=["ACME"]),
        given.get_absolute_url(),
    ]:
        assert client.get(url).status_code == 404
    assert client.post(reverse("feedback:convert", args=["ACME", given.pk])).status_code == 404


def test_feedback_of_another_project_is_404_through_this_one(po, outsider, other_project):
    theirs = feedback_give(actor=outsider.user, membership=outsider, text="Globex thing")
    assert login(po.user).get(reverse("feedback:detail", args=["ACME", theirs.pk])).status_code == 404


def test_html_in_feedback_is_escaped_on_every_page(po, client_po):
    feedback = feedback_give(
        actor=client_po.user, membership=client_po, text="<script>alert(1)</script> <b>bold</b>"
    )
    client = login(po.user)
    for url in [reverse("feedback:list", args=["ACME"]), feedback.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<b>bold</b>" not in html
    item = feedback_convert(actor=po.user, membership=po, feedback=feedback)
    html = client.get(item.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html


def test_site_administrators_see_feedback_and_reviews_in_the_admin(given, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@agency.test", password="x-Long-pass-1")
    client = login(admin)
    for url in [
        "/admin/feedback/feedback/",
        "/admin/reviews/criteriareview/",
        f"/admin/feedback/feedback/{given.pk}/change/",
    ]:
        assert client.get(url).status_code == 200, url
