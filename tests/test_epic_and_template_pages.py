"""Epic and template pages: item counts and points per status, and only the agency PO creates epics and
saves templates."""

from sightline.backlog.epics import epic_create
from sightline.backlog.models import ItemTemplate, Status
from tests.conftest import login
from tests.test_item_pages import text, url

# --- Epics and templates --------------------------------------------------------------------------


def test_epics_show_item_counts_and_points_per_status(po, dev, make_item, django_assert_max_num_queries):
    checkout = epic_create(actor=po.user, membership=po, title="Checkout")
    epic_create(actor=po.user, membership=po, title="Search")
    make_item(epic=checkout, points=3)
    make_item(Status.READY, epic=checkout, points=5)
    client = login(dev.user)
    client.get(url("epics"))
    with django_assert_max_num_queries(9) as few:
        html = text(client.get(url("epics")))
    assert "Checkout" in html and "Search" in html and "No items yet" in html
    assert "Draft: 1" in html and "Ready: 1" in html and ">8<" in html
    for n in range(5):
        epic_create(actor=po.user, membership=po, title=f"Epic {n}")
    with django_assert_max_num_queries(9) as more:
        client.get(url("epics"))
    assert len(more.captured_queries) == len(few.captured_queries)
    assert "New epic" not in html


def test_the_agency_po_creates_an_epic_and_others_may_not(po, dev, project):
    response = login(po.user).post(url("epics"), {"title": "Loyalty points", "priority": "high"})
    assert response.status_code == 302 and project.epics.get().title == "Loyalty points"
    assert login(dev.user).post(url("epics"), {"title": "Mine", "priority": "low"}).status_code == 403
    response = login(po.user).post(url("epics"), {"title": "", "priority": "high"})
    assert response.status_code == 422 and "Title: This field is required." in text(response)


def test_the_agency_po_saves_the_bug_template(po, project):
    client = login(po.user)
    assert "Steps to reproduce" in text(client.get(url("templates")))
    response = client.post(
        url("templates"),
        {
            "type": "bug",
            "bug-user_story": "",
            "bug-description": "Steps:\nExpected:\nActual:",
            "bug-criteria": "Fixed on staging\n\nHas a test",
        },
    )
    assert response.status_code == 302
    template = ItemTemplate.objects.get(project=project, type="bug")
    assert template.description == "Steps:\nExpected:\nActual:"
    assert template.criteria == ["Fixed on staging", "Has a test"]
    assert "Fixed on staging" in text(client.get(url("create"), {"type": "bug"}))


def test_other_roles_read_templates_but_cannot_save_them(dev):
    client = login(dev.user)
    html = text(client.get(url("templates")))
    assert "Only the agency product owner can change the templates" in html and "disabled" in html
    response = client.post(url("templates"), {"type": "story", "story-user_story": "Mine"})
    assert response.status_code == 403
