"""Decision pages: the list, asking (a form that works without JavaScript), the detail page with its
options side by side, answering from the page and from the inbox, withdrawing, the "blocked" badges on
the board and the item page, and escaping of whatever people type."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sightline.backlog.models import Status
from sightline.decisions.inbox import rows as inbox_rows
from sightline.decisions.models import DecisionRequest, DecisionState
from sightline.decisions.services import OptionInput, decision_answer, decision_withdraw
from sightline.inbox.rendering import render_inbox_row
from sightline.projects.models import project_today
from tests.conftest import login
from tests.test_decisions_services import ask, option_ids

XSS = "<script>alert('x')</script>"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def url(name, *args):
    return reverse(f"decisions:{name}", args=["ACME", *args])


def form_data(**overrides):
    due = project_today_for_acme() + timedelta(days=5)
    data = {
        "question": "Which payment methods at launch?",
        "context": "Payments are the **last** step.",
        "option_1_label": "Card only",
        "option_1_pros": "Ships next sprint",
        "option_1_cons": "No PayPal",
        "option_1_effort": "3 days",
        "option_2_label": "Card and PayPal",
        "option_2_effort": "8 days",
        "option_3_label": "",
        "recommended": "2",
        "recommendation_reason": "Half our buyers use PayPal.",
        "due_date": due.isoformat(),
        "cost_of_delay": "After the 12th this costs ~3 extra days.",
        "blocking_items": "",
        "holder": "",
    }
    data.update(overrides)
    return data


def project_today_for_acme():
    from sightline.projects.models import Project

    return project_today(Project.objects.get(key="ACME"))


# --- Asking ---------------------------------------------------------------------------------------


def test_the_team_asks_a_decision_with_the_form_and_lands_on_it(po, client_po, make_item):
    item = make_item(title="Pay by PayPal")
    response = login(po.user).post(url("create"), form_data(blocking_items=f"{item.key.lower()}, "))
    decision = DecisionRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == decision.get_absolute_url()
    assert [o.label for o in decision.options.all()] == ["Card only", "Card and PayPal"]
    assert decision.recommended_option.label == "Card and PayPal"
    assert list(decision.blocking_items.all()) == [item]


def test_the_form_offers_five_option_slots_without_javascript(po):
    html = login(po.user).get(url("create")).content.decode()
    for n in range(1, 6):
        assert f'name="option_{n}_label"' in html
    assert "<script" not in html.split("<main", 1)[1]


def test_one_option_only_is_refused_with_the_message_and_the_input_kept(po):
    data = form_data(option_2_label="", option_2_effort="", recommended="")
    response = login(po.user).post(url("create"), data)
    html = response.content.decode()
    assert response.status_code == 422
    assert "at least 2 options" in html and 'value="Card only"' in html
    assert not DecisionRequest.objects.exists()


def test_an_option_with_pros_but_no_label_is_refused_next_to_that_label(po):
    data = form_data(option_3_pros="Cheaper")
    response = login(po.user).post(url("create"), data)
    assert response.status_code == 422
    assert response.context["form"].errors["option_3_label"] == ["Option 3 needs a label."]


def test_a_past_due_date_is_refused_next_to_the_date(po):
    yesterday = project_today_for_acme() - timedelta(days=1)
    response = login(po.user).post(url("create"), form_data(due_date=yesterday.isoformat()))
    assert response.status_code == 422
    assert "in the past" in response.context["form"].errors["due_date"][0]


def test_an_unknown_blocked_item_is_refused_naming_it(po):
    response = login(po.user).post(url("create"), form_data(blocking_items="ACME-404"))
    assert response.status_code == 422
    assert "ACME-404" in response.context["form"].errors["blocking_items"][0]


def test_the_client_may_not_open_the_form(client_po):
    assert login(client_po.user).get(url("create")).status_code == 403


# --- Reading --------------------------------------------------------------------------------------


def test_the_list_shows_open_decisions_first_and_marks_the_overdue_one(po, client_po):
    today = project_today(po.project)
    overdue = ask(po, question="Guest checkout?")
    DecisionRequest.objects.filter(pk=overdue.pk).update(due_date=today - timedelta(days=2))
    ask(po, question="Gift wrapping?", cost_of_delay="Each week costs a sprint day.")
    answered = ask(po, question="Free shipping threshold?")
    decision_answer(
        actor=client_po.user, membership=client_po, decision=answered, option_id=option_ids(answered)[0]
    )
    html = login(client_po.user).get(url("list")).content.decode()
    assert (
        html.index("Guest checkout?") < html.index("Gift wrapping?") < html.index("Free shipping threshold?")
    )
    assert "Overdue" in html and "Each week costs a sprint day." in html
    assert "“Card only”" in html


def test_the_detail_page_shows_the_options_side_by_side_with_the_recommendation(po, client_po):
    decision = ask(po, recommendation_reason="Half our buyers use PayPal.")
    html = login(client_po.user).get(url("detail", decision.number)).content.decode()
    assert html.count('class="card decision-option') == 2
    assert "decision-option is-recommended" in html and "Our recommendation" in html
    assert "Why: Half our buyers use PayPal." in html
    assert html.count('form="answer-form" name="option"') == 2


def test_the_agency_sees_no_answer_buttons_but_may_withdraw(po, dev):
    decision = ask(po)
    html = login(dev.user).get(url("detail", decision.number)).content.decode()
    assert 'form="answer-form"' not in html
    assert reverse("decisions:withdraw", args=["ACME", decision.number]) in html


def test_a_stakeholder_reads_but_does_not_answer(po, stakeholder):
    decision = ask(po)
    html = login(stakeholder.user).get(url("detail", decision.number)).content.decode()
    assert "Card and PayPal" in html and 'form="answer-form"' not in html


def test_an_outsider_gets_404_for_the_decision_and_for_numbers_that_do_not_exist(po, outsider, client_po):
    decision = ask(po)
    assert login(outsider.user).get(url("detail", decision.number)).status_code == 404
    assert login(client_po.user).get(url("detail", 99)).status_code == 404
    assert login(client_po.user).get(url("detail", 10**30)).status_code == 404


def test_html_typed_anywhere_is_escaped_on_the_pages(po, client_po, make_item):
    item = make_item()
    decision = ask(
        po,
        question=f"Q {XSS}",
        context=f"C {XSS}",
        options=[
            OptionInput(f"A {XSS}", pros=XSS, cons=XSS, effort=XSS, recommended=True),
            OptionInput("B"),
        ],
        recommendation_reason=XSS,
        cost_of_delay=XSS,
        blocking_item_keys=[item.key],
    )
    client = login(client_po.user)
    pages = [url("list"), url("detail", decision.number), reverse("backlog:item", args=["ACME", item.key])]
    for page in pages:
        html = client.get(page).content.decode()
        assert XSS not in html, page
    assert "&lt;script&gt;" in client.get(url("detail", decision.number)).content.decode()


# --- Answering ------------------------------------------------------------------------------------


def test_the_client_answers_with_one_click_and_a_comment(po, client_po):
    decision = ask(po)
    chosen = option_ids(decision)[1]
    response = login(client_po.user).post(
        url("answer", decision.number), {"option": chosen, "comment": "PayPal it is.", "version": 1}
    )
    assert response.status_code == 302 and response["Location"] == decision.get_absolute_url()
    decision.refresh_from_db()
    assert decision.state == DecisionState.ANSWERED and decision.answer_comment == "PayPal it is."
    html = login(client_po.user).get(url("detail", decision.number)).content.decode()
    assert "Answered: “Card and PayPal”" in html and "PayPal it is." in html and "Chosen" in html


def test_answering_without_an_option_is_refused_with_a_message(po, client_po):
    decision = ask(po)
    response = login(client_po.user).post(url("answer", decision.number), {"comment": "Hmm"})
    assert response.status_code == 422
    assert "Choose one of the options." in response.content.decode()


def test_answering_twice_from_the_page_says_it_was_already_answered(po, client_po):
    decision = ask(po)
    first, second = option_ids(decision)
    client = login(client_po.user)
    client.post(url("answer", decision.number), {"option": first})
    response = client.post(url("answer", decision.number), {"option": second})
    assert response.status_code == 409 and "already answered" in response.content.decode()


def test_a_developer_posting_an_answer_gets_403(po, dev):
    decision = ask(po)
    response = login(dev.user).post(url("answer", decision.number), {"option": option_ids(decision)[0]})
    assert response.status_code == 403
    assert DecisionRequest.objects.get().state == DecisionState.OPEN


# --- From the inbox -------------------------------------------------------------------------------


def test_the_inbox_row_offers_each_option_as_a_button(po, client_po, rf):
    decision = ask(po, question=f"Q {XSS}")
    (row,) = inbox_rows(projects=[po.project], holder=client_po.user)
    request = rf.get("/inbox/")
    request.user = client_po.user
    html = render_inbox_row(request, row).content.decode()
    for option_id in option_ids(decision):
        assert f'name="option" value="{option_id}"' in html
    assert 'name="from_inbox" value="1"' in html and 'hx-target="closest li"' in html
    assert f'action="{url("answer", decision.number)}"' in html
    assert XSS not in html


def test_answering_from_the_inbox_with_htmx_drops_the_row(po, client_po):
    decision = ask(po)
    response = login(client_po.user).post(
        url("answer", decision.number),
        {"option": option_ids(decision)[0], "from_inbox": "1", "version": 1},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response.content == b""
    assert response["HX-Trigger"] == "inbox-changed"
    assert inbox_rows(projects=[po.project], holder=client_po.user) == []


def test_a_refused_answer_from_the_inbox_comes_back_in_the_row_with_its_message(po, client_po):
    decision = ask(po)
    response = login(client_po.user).post(
        url("answer", decision.number),
        {"option": "", "from_inbox": "1", "comment": "Keep my words"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        html.lstrip().startswith("<li") and "Choose one of the options." in html and "Keep my words" in html
    )


def test_answering_from_the_inbox_without_javascript_goes_back_to_the_inbox(po, client_po):
    decision = ask(po)
    response = login(client_po.user).post(
        url("answer", decision.number),
        {"option": option_ids(decision)[0], "from_inbox": "1", "next": "/inbox/"},
    )
    assert response.status_code == 302 and response["Location"] == "/inbox/"


def test_an_answer_from_the_inbox_to_a_decision_withdrawn_meanwhile_drops_the_row(po, client_po):
    decision = ask(po)
    decision_withdraw(actor=po.user, membership=po, decision=decision)
    response = login(client_po.user).post(
        url("answer", decision.number),
        {"option": option_ids(decision)[0], "from_inbox": "1"},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Trigger"] == "inbox-changed"
    assert DecisionRequest.objects.get().state == DecisionState.WITHDRAWN


# --- Editing and withdrawing ------------------------------------------------------------------------


def test_the_team_edits_an_open_decision(po):
    decision = ask(po)
    data = form_data(question="Which payment methods in March?", version=decision.version)
    data.pop("holder")
    response = login(po.user).post(url("edit", decision.number), data)
    assert response.status_code == 302
    assert DecisionRequest.objects.get().question == "Which payment methods in March?"


def test_a_stale_edit_keeps_the_input_and_answers_409(po):
    decision = ask(po)
    client = login(po.user)
    client.post(url("edit", decision.number), form_data(question="First edit", version=1))
    response = client.post(url("edit", decision.number), form_data(question="Second edit", version=1))
    html = response.content.decode()
    assert response.status_code == 409 and 'value="Second edit"' in html and "changed by someone else" in html


def test_editing_the_options_after_an_answer_is_refused_with_a_clear_message(po, client_po):
    decision = ask(po)
    decision_answer(
        actor=client_po.user, membership=client_po, decision=decision, option_id=option_ids(decision)[0]
    )
    response = login(po.user).post(
        url("edit", decision.number), form_data(option_1_label="Something else", version=2)
    )
    assert response.status_code == 409
    assert (
        "already answered" in response.content.decode()
        and "can no longer be edited" in response.content.decode()
    )
    assert [o.label for o in DecisionRequest.objects.get().options.all()] == ["Card only", "Card and PayPal"]


def test_the_team_withdraws_a_decision(po):
    decision = ask(po)
    response = login(po.user).post(url("withdraw", decision.number), {"reason": "Solved another way."})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.state == DecisionState.WITHDRAWN and decision.withdrawal_reason == "Solved another way."
    html = login(po.user).get(url("detail", decision.number)).content.decode()
    assert "Withdrawn by the team" in html and "Solved another way." in html


# --- Blocked items --------------------------------------------------------------------------------


def test_the_item_page_shows_which_decision_blocks_it_until_answered(po, client_po, make_item):
    item = make_item()
    decision = ask(po, blocking_item_keys=[item.key])
    page = reverse("backlog:item", args=["ACME", item.key])
    assert ">Blocked by decision D-1</a>" in login(client_po.user).get(page).content.decode()
    decision_answer(
        actor=client_po.user, membership=client_po, decision=decision, option_id=option_ids(decision)[0]
    )
    html = login(client_po.user).get(page).content.decode()
    assert 'class="blocked-badge"' not in html
    assert "No longer blocked by decision D-1" in html, "the item's history says when it was unblocked"


def _board_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("sprints:board", args=["ACME"])).status_code == 200
    return len(queries)


def test_board_cards_show_the_blocked_badge_without_a_query_per_card(po, dev, make_item, active_sprint):
    client = login(dev.user)
    first = make_item(Status.PLANNED, sprint=active_sprint)
    ask(po, blocking_item_keys=[first.key])
    few = _board_queries(client)
    for n in range(6):
        item = make_item(Status.PLANNED, sprint=active_sprint, title=f"Item {n}")
        ask(po, blocking_item_keys=[item.key])
    html = client.get(reverse("sprints:board", args=["ACME"])).content.decode()
    assert html.count("Blocked by decision D-") == 7
    assert _board_queries(client) == few


def test_a_decision_handed_over_from_the_inbox_moves_to_the_new_holder_who_answers_it(
    po, client_po, stakeholder
):
    from sightline.inbox.services import request_handover

    decision = ask(po)
    request_handover(
        actor=client_po.user,
        membership=client_po,
        obj=decision,
        to_user=stakeholder.user,
        note="You know shipping",
    )
    assert [r.id for r in inbox_rows(projects=[po.project], holder=stakeholder.user)] == [decision.pk]
    assert inbox_rows(projects=[po.project], holder=client_po.user) == []
    html = login(stakeholder.user).get(url("detail", decision.number)).content.decode()
    assert 'form="answer-form"' in html and stakeholder.user.display_name in html
    response = login(stakeholder.user).post(
        url("answer", decision.number), {"option": option_ids(decision)[1]}
    )
    assert response.status_code == 302
    assert DecisionRequest.objects.get().answered_by == stakeholder.user


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def test_the_list_the_inbox_rows_and_the_api_list_take_as_many_queries_for_5_decisions_as_for_30(
    po, client_po, make_item
):
    from tests.api_support import api_for

    item = make_item()
    client, api = login(client_po.user), api_for(client_po)
    api.get("/projects")  # the token's first use is recorded once, outside the counts

    def counts():
        return (
            _queries(lambda: client.get(url("list"))),
            _queries(lambda: inbox_rows(projects=[po.project], holder=client_po.user)),
            _queries(lambda: api.get("/projects/ACME/decisions")),
        )

    for _ in range(5):
        ask(po, blocking_item_keys=[item.key])
    few = counts()
    for _ in range(25):
        ask(po, blocking_item_keys=[item.key])
    assert len(inbox_rows(projects=[po.project], holder=client_po.user)) == 30
    assert counts() == few


def test_the_edit_page_of_an_answered_decision_sends_back_to_it_saying_why(po, client_po):
    decision = ask(po)
    decision_answer(
        actor=client_po.user, membership=client_po, decision=decision, option_id=option_ids(decision)[0]
    )
    response = login(po.user).get(url("edit", decision.number), follow=True)
    assert response.redirect_chain == [(decision.get_absolute_url(), 302)]
    assert "D-1 is answered: it can no longer be edited." in response.content.decode()
