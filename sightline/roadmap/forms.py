"""Forms of the roadmap pages. They parse input; the services decide what is allowed."""

from django import forms

from sightline.backlog.models import Epic
from sightline.lib.errors import DomainError
from sightline.roadmap.changes import COMMENT_MAX, IMPACT_MAX, RATIONALE_MAX
from sightline.roadmap.models import RELEASE_NAME_MAX, ChangeKind, Release
from sightline.roadmap.services import DESCRIPTION_MAX


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def add_service_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's error next to the field it names (or above the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


# Which fields each kind of change asks for, with the label that fits it.
KIND_FIELDS: dict[str, list[tuple[str, str]]] = {
    ChangeKind.MOVE_EPIC: [("epic", "Epic to move"), ("release", "To release")],
    ChangeKind.ADD_EPIC: [("epic", "Epic to add (not in a release yet)"), ("release", "To release")],
    ChangeKind.REMOVE_EPIC: [("epic", "Epic to take out of its release")],
    ChangeKind.CHANGE_DATE: [("release", "Release"), ("new_target_date", "New target date")],
    ChangeKind.ADD_RELEASE: [("release_name", "Name of the new release"), ("new_target_date", "Target date")],
}
KIND_SHORT = {
    ChangeKind.MOVE_EPIC: "Move an epic",
    ChangeKind.ADD_EPIC: "Add an epic",
    ChangeKind.REMOVE_EPIC: "Take an epic out",
    ChangeKind.CHANGE_DATE: "Change a date",
    ChangeKind.ADD_RELEASE: "Add a release",
}


class EpicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Epic) -> str:
        return f"{obj.title} — {obj.release.name}" if obj.release_id else f"{obj.title} — not in a release"


class ReleaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Release) -> str:
        date = obj.target_date.strftime("%-d %b %Y") if obj.target_date else "no date"
        return f"{obj.name} ({date})"


class ChangeForm(forms.Form):
    """A proposed roadmap change. Only the fields of the chosen kind are shown (``shown``)."""

    kind = forms.ChoiceField(choices=ChangeKind.choices, widget=forms.HiddenInput)
    epic = EpicChoiceField(queryset=Epic.objects.none(), required=False, empty_label="Choose an epic")
    release = ReleaseChoiceField(
        queryset=Release.objects.none(), required=False, empty_label="Choose a release"
    )
    new_target_date = forms.DateField(required=False, widget=DateInput())
    release_name = forms.CharField(required=False, max_length=RELEASE_NAME_MAX)
    release_description = forms.CharField(
        label="What the release is for (optional)",
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    rationale = forms.CharField(
        label="Why",
        max_length=RATIONALE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="In words the client uses: what happened, what it buys them.",
    )
    impact = forms.CharField(
        label="Impact",
        max_length=IMPACT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Release 2 moves by about one sprint"}),
        help_text="What it does to the forecast dates or the scope of each release.",
    )
    due = forms.DateField(
        label="Answer by (optional)",
        required=False,
        widget=DateInput(),
        help_text="When the team needs the answer; it shows in the client's inbox.",
    )

    def __init__(self, *args, project, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_value = kind if kind in ChangeKind.values else ChangeKind.MOVE_EPIC
        self.fields["kind"].initial = self.kind_value
        epics = Epic.objects.filter(project=project).select_related("release").order_by("rank", "id")
        if self.kind_value == ChangeKind.ADD_EPIC:
            epics = epics.filter(release__isnull=True)
        elif self.kind_value in (ChangeKind.MOVE_EPIC, ChangeKind.REMOVE_EPIC):
            epics = epics.filter(release__isnull=False)
        self.fields["epic"].queryset = epics
        self.fields["release"].queryset = Release.objects.filter(project=project).in_timeline_order()
        for name, label in KIND_FIELDS[self.kind_value]:
            self.fields[name].label = label
        if self.kind_value == ChangeKind.ADD_RELEASE:
            self.fields["new_target_date"].label = "Target date (optional)"

    @property
    def kind_label(self) -> str:
        return ChangeKind(self.kind_value).label

    @property
    def shown(self) -> list[forms.BoundField]:
        return [self[name] for name, _ in KIND_FIELDS[self.kind_value]]

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "epic": data.get("epic"),
            "release": data.get("release"),
            "new_target_date": data.get("new_target_date"),
            "release_name": data.get("release_name") or "",
            "release_description": data.get("release_description") or "",
            "rationale": data.get("rationale") or "",
            "impact": data.get("impact") or "",
            "due": data.get("due"),
        }


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    from_inbox = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReleaseForm(forms.Form):
    name = forms.CharField(label="Name", max_length=RELEASE_NAME_MAX)
    target_date = forms.DateField(label="Target date (optional)", required=False, widget=DateInput())
    description = forms.CharField(
        label="Description (optional)",
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlaceEpicForm(forms.Form):
    release = forms.ModelChoiceField(
        label="Release", queryset=Release.objects.none(), required=False, empty_label="Not in a release"
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["release"].queryset = Release.objects.filter(project=project).in_timeline_order()
