"""Forms of the decision pages. They parse input; the services check the rules.

The options are five fixed groups of plain fields (``option_1_label`` … ``option_5_effort``), so the
form works without JavaScript; empty groups are left out.
"""

import re

from django import forms

from sightline.api.schemas import MAX_ID
from sightline.decisions.inputs import COMMENT_MAX, CONTEXT_MAX, PROS_CONS_MAX, OptionInput
from sightline.decisions.models import (
    EFFORT_MAX,
    LABEL_MAX,
    MAX_OPTIONS,
    QUESTION_MAX,
    SENTENCE_MAX,
    DecisionRequest,
)
from sightline.lib.errors import DomainError
from sightline.projects.models import CLIENT_ROLES

SLOTS = range(1, MAX_OPTIONS + 1)
OPTION_PARTS = ("label", "pros", "cons", "effort")
SHOWN_SLOTS = 3  # the others sit behind "More options" until they hold something


def add_service_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's error next to the field it names (``options.1.label`` → ``option_2_label``)."""
    field = exc.field or ""
    match = re.fullmatch(r"options\.(\d+)\.(\w+)", field)
    if match:
        field = f"option_{int(match.group(1)) + 1}_{match.group(2)}"
    form.add_error(field if field in form.fields else None, exc.message)


class KeysField(forms.CharField):
    """Item keys separated by commas or spaces."""

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return [key for key in re.split(r"[\s,;]+", text.upper()) if key]

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value


class DecisionForm(forms.Form):
    question = forms.CharField(
        label="Question",
        max_length=QUESTION_MAX,
        help_text="One question the client can answer by choosing an option.",
    )
    context = forms.CharField(
        label="Context",
        required=False,
        max_length=CONTEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why the question comes up and what the client should know. Markdown.",
    )
    recommended = forms.TypedChoiceField(
        label="Our recommendation",
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        choices=[("", "No recommendation")] + [(str(n), f"Option {n}") for n in SLOTS],
    )
    recommendation_reason = forms.CharField(
        label="Why we recommend it",
        required=False,
        max_length=SENTENCE_MAX,
        help_text="One sentence.",
    )
    due_date = forms.DateField(
        label="Answer needed by",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    cost_of_delay = forms.CharField(
        label="Cost of delay",
        required=False,
        max_length=SENTENCE_MAX,
        help_text="What waiting costs, e.g. “after 12 Mar this costs ~3 extra days”.",
    )
    blocking_items = KeysField(
        label="Items it blocks",
        required=False,
        max_length=1000,
        help_text="Item keys separated by commas, e.g. ACME-12, ACME-15: shown as blocked until answered.",
    )
    holder = forms.TypedChoiceField(label="Asked of", required=False, coerce=int, empty_value=None)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, project, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for n in SLOTS:
            self.fields[f"option_{n}_label"] = forms.CharField(
                label=f"Option {n}", required=False, max_length=LABEL_MAX
            )
            self.fields[f"option_{n}_pros"] = forms.CharField(
                label="Pros",
                required=False,
                max_length=PROS_CONS_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"option_{n}_cons"] = forms.CharField(
                label="Cons",
                required=False,
                max_length=PROS_CONS_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.fields[f"option_{n}_effort"] = forms.CharField(
                label="Effort", required=False, max_length=EFFORT_MAX, help_text="e.g. “2 days”, “5 points”"
            )
        self.clients = {
            m.user_id: m.user
            for m in project.memberships.filter(role__in=CLIENT_ROLES).select_related("user")
        }
        self.fields["holder"].choices = [("", "The client product owner")] + [
            (str(pk), user.display_name) for pk, user in self.clients.items()
        ]
        if editing:  # who holds an asked decision changes by handing it over, not by editing it
            del self.fields["holder"]

    def option_slots(self) -> list[dict]:
        """The five groups of option fields, for the template."""
        slots = []
        for n in SLOTS:
            fields = {part: self[f"option_{n}_{part}"] for part in OPTION_PARTS}
            filled = any(str(f.value() or "").strip() for f in fields.values())
            slots.append({"number": n, "shown": n <= SHOWN_SLOTS or filled, **fields})
        return slots

    def options(self) -> list[OptionInput]:
        """The filled groups, in order (a group with only pros or cons is kept: the service asks for its
        label)."""
        data = self.cleaned_data
        chosen = data.get("recommended")
        options = []
        for n in SLOTS:
            parts = {part: (data.get(f"option_{n}_{part}") or "").strip() for part in OPTION_PARTS}
            if any(parts.values()) or chosen == n:
                options.append(OptionInput(**parts, recommended=chosen == n))
        return options

    def clean(self):
        data = super().clean()
        chosen = data.get("recommended")
        if chosen and not (data.get(f"option_{chosen}_label") or "").strip():
            self.add_error("recommended", f"You recommend option {chosen}, which has no label.")
        return data

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "question": data["question"],
            "context": data["context"],
            "options": self.options(),
            "recommendation_reason": data["recommendation_reason"],
            "due_date": data["due_date"],
            "cost_of_delay": data["cost_of_delay"],
            "blocking_item_keys": data["blocking_items"],
        }

    def chosen_holder(self):
        return self.clients.get(self.cleaned_data.get("holder"))

    @staticmethod
    def initial_for(decision: DecisionRequest) -> dict:
        initial = {
            "question": decision.question,
            "context": decision.context,
            "recommendation_reason": decision.recommendation_reason,
            "due_date": decision.due_date,
            "cost_of_delay": decision.cost_of_delay,
            "blocking_items": [item.key for item in decision.blocking_items.all()],
            "holder": decision.holder_id,
            "version": decision.version,
        }
        for n, option in enumerate(decision.options.all(), start=1):
            for part in OPTION_PARTS:
                initial[f"option_{n}_{part}"] = getattr(option, part)
            if option.pk == decision.recommended_option_id:
                initial["recommended"] = n
        return initial


class AnswerForm(forms.Form):
    option = forms.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        error_messages={"required": "Choose one of the options.", "invalid": "Choose one of the options."},
    )
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    from_inbox = forms.BooleanField(required=False, widget=forms.HiddenInput)
    next = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
