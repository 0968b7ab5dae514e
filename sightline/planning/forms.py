"""The what-if form of the release page: drop epics, add epics, change the velocity."""

from django import forms

from sightline.lib.numbers import plain_number
from sightline.planning.selectors import ReleaseScope, Scopes
from sightline.planning.services import VELOCITY_CHANGE_MAX, VELOCITY_CHANGE_MIN, WhatIf

WHAT_IF_FIELDS = ("drop", "add", "velocity")


class WhatIfForm(forms.Form):
    drop = forms.TypedMultipleChoiceField(
        label="Drop epics from this release", coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    add = forms.TypedMultipleChoiceField(
        label="Add epics to this release",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="An epic of another release leaves it.",
    )
    velocity = forms.IntegerField(
        label="Velocity change (%)",
        min_value=VELOCITY_CHANGE_MIN,
        max_value=VELOCITY_CHANGE_MAX,
        initial=0,
        required=False,
        help_text=f"{VELOCITY_CHANGE_MIN} to +{VELOCITY_CHANGE_MAX}; 20 means a fifth more per sprint.",
    )

    def __init__(self, data=None, *, scopes: Scopes, scope: ReleaseScope):
        super().__init__(data)
        unit = scopes.unit
        releases = {r.release.pk: r.release.name for r in scopes.releases}
        mine = {e.id for e in scope.epics}
        self.fields["drop"].choices = [
            (e.id, f"{e.title} · {plain_number(round(e.remaining, 1))} {unit} left")
            for e in scope.epics
            if e.remaining_items
        ]
        self.fields["add"].choices = [
            (
                e.id,
                f"{e.title} ({releases.get(e.release_id, 'unscheduled')}) · "
                f"{plain_number(round(e.remaining, 1))} {unit} left",
            )  # fmt: skip
            for e in scopes.epics.values()
            if e.id not in mine and e.remaining_items
        ]
        self.fields["velocity"].widget.attrs.update({"step": 5, "inputmode": "numeric"})

    @staticmethod
    def is_submitted(query) -> bool:
        return any(name in query for name in WHAT_IF_FIELDS)

    def change(self) -> WhatIf:
        data = self.cleaned_data
        return WhatIf(
            drop=tuple(data.get("drop") or ()),
            add=tuple(data.get("add") or ()),
            velocity_change=data.get("velocity") or 0,
        )
