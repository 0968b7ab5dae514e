"""Item templates through the services: a new item starts from its type's template, given text wins, and
saving a template records each changed field."""

from sightline.audit.models import AuditEvent
from sightline.backlog.item_templates import template_save
from sightline.backlog.models import ItemTemplate
from tests.test_items_services import create

# --- Templates --------------------------------------------------------------------------------------------


def test_a_new_item_can_start_from_the_template_of_its_type(po):
    template_save(
        actor=po.user,
        membership=po,
        type="bug",
        user_story="",
        description="Steps to reproduce:",
        criteria=["Expected happens", " "],
    )
    item = create(po, type="bug", use_template=True)
    assert item.description == "Steps to reproduce:"
    assert list(item.criteria.values_list("text", flat=True)) == ["Expected happens"]
    assert ItemTemplate.objects.get(type="bug").criteria == ["Expected happens"]


def test_text_given_for_a_new_item_wins_over_its_template(po):
    template_save(
        actor=po.user,
        membership=po,
        type="story",
        user_story="As a … I want …",
        description="",
        criteria=["Template criterion"],
    )
    item = create(po, use_template=True, user_story="As a buyer I want gift cards", criteria=["Mine"])
    assert item.user_story == "As a buyer I want gift cards"
    assert list(item.criteria.values_list("text", flat=True)) == ["Mine"]


def save_bug_template(po, **text):
    values = {"user_story": "", "description": "Steps to reproduce:", "criteria": ["Expected happens"]}
    values.update(text)
    return template_save(actor=po.user, membership=po, type="bug", **values)


def test_saving_a_template_records_each_changed_field_before_and_after(po):
    save_bug_template(po)
    first = AuditEvent.objects.get(action="template.saved")
    assert first.changes == {
        "user_story": [None, ""],
        "description": [None, "Steps to reproduce:"],
        "criteria": [None, ["Expected happens"]],
    }

    save_bug_template(po, description="Steps to reproduce:\n1.", criteria=["Expected happens", "No error"])
    second = AuditEvent.objects.filter(action="template.saved").latest("id")
    assert second.actor == po.user
    assert second.changes == {
        "description": ["Steps to reproduce:", "Steps to reproduce:\n1."],
        "criteria": [["Expected happens"], ["Expected happens", "No error"]],
    }


def test_saving_a_template_unchanged_records_no_event(po):
    save_bug_template(po)
    save_bug_template(po, criteria=["Expected happens", "  "])
    assert AuditEvent.objects.filter(action="template.saved").count() == 1
