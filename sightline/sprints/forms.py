from django import forms

from sightline.backlog.models import STAGING_URL_MAX, Status
from sightline.sprints.services import AvailabilityRow


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class SprintCreateForm(forms.Form):
    start_date = forms.DateField(label="Starts on", widget=DateInput)
    end_date = forms.DateField(label="Ends on", widget=DateInput)
    goal = forms.CharField(
        label="Sprint goal",
        max_length=300,
        required=False,
        help_text="One sentence the client can repeat: what will be true at the end?",
    )
    capacity_hours = forms.DecimalField(
        label="Capacity (hours)",
        min_value=0,
        max_digits=7,
        decimal_places=1,
        help_text="The team's available hours in this sprint.",
    )


class SprintUpdateForm(forms.Form):
    goal = forms.CharField(label="Sprint goal", max_length=300, required=False)
    capacity_hours = forms.DecimalField(label="Capacity (hours)", min_value=0, max_digits=7, decimal_places=1)


class AvailabilityForm(forms.Form):
    """One agency member's line on the availability page (prefixed with the membership id)."""

    days_off = forms.IntegerField(label="Days off", min_value=0, max_value=366, required=False)
    hours = forms.DecimalField(
        label="Hours available", min_value=0, max_digits=5, decimal_places=1, required=False
    )
    note = forms.CharField(label="Note", max_length=200, required=False)

    def row(self, membership) -> AvailabilityRow:
        data = self.cleaned_data
        return AvailabilityRow(
            membership=membership, hours=data["hours"], days_off=data["days_off"] or 0, note=data["note"]
        )


class PlanForm(forms.Form):
    """Add a ready item to a sprint; a running sprint needs a scope-change reason."""

    item = forms.CharField(max_length=24)
    scope_reason = forms.CharField(label="Scope-change reason", required=False, max_length=1000)
    q = forms.CharField(required=False)


class UnplanForm(forms.Form):
    item = forms.CharField(max_length=24)
    q = forms.CharField(required=False)


BOARD_TARGETS = [(Status.IN_PROGRESS, "In progress"), (Status.DELIVERED, "Delivered")]


class BoardMoveForm(forms.Form):
    """Move a card to the team's next state; delivering needs a staging link or a note."""

    item = forms.CharField(max_length=24)
    to = forms.ChoiceField(choices=BOARD_TARGETS)
    version = forms.IntegerField(required=False, min_value=1)
    staging_url = forms.URLField(
        label="Staging link", required=False, max_length=STAGING_URL_MAX, assume_scheme="https"
    )
    note = forms.CharField(label="Note for the client", required=False, max_length=4000)
