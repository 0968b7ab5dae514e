"""Forms of the backlog pages. They parse and check input; the services apply the business rules."""

from django import forms

from sightline.api.schemas import MAX_NUMBER
from sightline.backlog import selectors
from sightline.backlog.estimates import estimate_fields
from sightline.backlog.models import STAGING_URL_MAX, TITLE_MAX, Epic, ItemType, Priority, Status
from sightline.lib.errors import DomainError


def add_service_error(form: forms.Form, exc: DomainError) -> None:
    """Show a service's error next to the field it names (or above the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def above_zero(value) -> None:
    if value is not None and value <= 0:
        raise forms.ValidationError(
            "An estimate must be more than 0; leave it empty while the item is not estimated."
        )


def _blank(label: str, choices) -> list[tuple[str, str]]:
    return [("", label), *choices]


class BacklogFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title or key"}),
    )
    type = forms.ChoiceField(label="Type", required=False, choices=_blank("All types", ItemType.choices))
    priority = forms.ChoiceField(
        label="Priority", required=False, choices=_blank("All priorities", Priority.choices)
    )
    status = forms.ChoiceField(label="Status", required=False, choices=_blank("All statuses", Status.choices))
    epic = forms.ModelChoiceField(
        label="Epic", required=False, queryset=Epic.objects.none(), empty_label="All epics"
    )
    offset = forms.IntegerField(required=False, min_value=0, max_value=MAX_NUMBER, widget=forms.HiddenInput)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["epic"].queryset = selectors.project_epics(project)

    def filters(self) -> dict:
        """The active filters (empty when the input did not validate: show everything)."""
        if not self.is_valid():
            return {}
        return {name: self.cleaned_data.get(name) for name in ("q", "type", "priority", "status", "epic")}

    def offset_value(self) -> int:
        return (self.cleaned_data.get("offset") or 0) if self.is_valid() else 0

    def error_lines(self) -> list[str]:
        """What did not validate, each line naming its field (empty when the input is fine)."""
        return [
            f"{self[name].label}: {message}" if name in self.fields else message
            for name, errors in self.errors.items()
            for message in errors
        ]


class CriteriaWidget(forms.Widget):
    """Acceptance criteria arrive as repeated ``criteria`` fields, one per criterion, in order."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        value = data.get(name)
        return list(value) if isinstance(value, list | tuple) else ([value] if value else [])


class CriteriaField(forms.Field):
    widget = CriteriaWidget

    def to_python(self, value) -> list[str]:
        return [text.strip() for text in (value or []) if text and text.strip()]

    def validate(self, value) -> None:
        for number, text in enumerate(value, start=1):
            if len(text) > 1000:
                raise forms.ValidationError(f"Criterion {number} is too long (at most 1000 characters).")


class LabelsField(forms.CharField):
    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        labels = []
        for label in text.split(","):
            label = label.strip()
            if label and label not in labels:
                labels.append(label)
        return labels

    def prepare_value(self, value):
        return ", ".join(value) if isinstance(value, list | tuple) else value


# The item fields the form edits, as the services name them.
ITEM_FIELDS = (
    "type",
    "title",
    "user_story",
    "description",
    "priority",
    "points",
    "estimate_hours",
    "epic",
    "assignee",
    "labels",
)


class ItemForm(forms.Form):
    type = forms.ChoiceField(label="Type", choices=ItemType.choices)
    title = forms.CharField(label="Title", max_length=TITLE_MAX)
    user_story = forms.CharField(
        label="User story",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "As a … I want … so that …"}),
        help_text="Who wants it, what they want, and why.",
    )
    description = forms.CharField(
        label="Description",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Markdown: **bold**, lists with -, links, ## headings.",
    )
    criteria = CriteriaField(label="Acceptance criteria", required=False)
    priority = forms.ChoiceField(label="Priority", choices=Priority.choices, initial=Priority.MEDIUM)
    points = forms.DecimalField(
        label="Points", required=False, max_digits=5, decimal_places=1, validators=[above_zero]
    )
    estimate_hours = forms.DecimalField(
        label="Hours", required=False, max_digits=6, decimal_places=1, validators=[above_zero]
    )
    epic = forms.ModelChoiceField(
        label="Epic", required=False, queryset=Epic.objects.none(), empty_label="No epic"
    )
    assignee = forms.ModelChoiceField(
        label="Assignee", required=False, queryset=None, empty_label="Nobody yet"
    )
    labels = LabelsField(label="Labels", required=False, help_text="Comma separated, e.g. checkout, mobile")
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    template_applied = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["epic"].queryset = selectors.project_epics(project)
        self.fields["assignee"].queryset = selectors.project_people(project)
        self.fields["assignee"].label_from_instance = lambda user: user.display_name
        for name in ("points", "estimate_hours"):  # only the estimates of the project's unit
            if name not in estimate_fields(project.estimate_unit):
                del self.fields[name]

    @staticmethod
    def initial_for(item) -> dict:
        """The form's starting values for editing ``item`` (whole numbers without a trailing .0)."""
        initial = {name: getattr(item, name) for name in (*ITEM_FIELDS, "version")}
        for name in ("points", "estimate_hours"):
            value = initial[name]
            if value is not None and value == value.to_integral_value():
                initial[name] = int(value)
        return initial

    def changes(self) -> dict:
        """The item fields to pass to ``item_create`` / ``item_update``."""
        return {name: self.cleaned_data[name] for name in ITEM_FIELDS if name in self.fields}


class CriteriaAction:
    """The no-JavaScript criteria editor: buttons named ``criteria_action`` with ``add``, ``up:i``,
    ``down:i`` or ``remove:i`` rearrange the posted criteria and show the form again, unsaved."""

    @staticmethod
    def apply(action: str, criteria: list[str]) -> list[str]:
        criteria = list(criteria)
        verb, _, index_text = action.partition(":")
        if verb == "add":
            return [*criteria, ""]
        if not index_text.isdigit() or int(index_text) >= len(criteria):
            return criteria
        i = int(index_text)
        if verb == "remove":
            del criteria[i]
        elif verb == "up" and i > 0:
            criteria[i - 1], criteria[i] = criteria[i], criteria[i - 1]
        elif verb == "down" and i < len(criteria) - 1:
            criteria[i + 1], criteria[i] = criteria[i], criteria[i + 1]
        return criteria


class MoveForm(forms.Form):
    """Where to move an item: to the top, to a position, or next to another item (by key)."""

    to_top = forms.BooleanField(required=False)
    position = forms.IntegerField(label="Position", required=False, min_value=1, max_value=MAX_NUMBER)
    after = forms.CharField(required=False, max_length=24)
    before = forms.CharField(required=False, max_length=24)
    shown = forms.IntegerField(required=False, min_value=0, max_value=5000)  # rows the reader had loaded
    next = forms.CharField(required=False, max_length=500)

    def clean(self):
        data = super().clean()
        given = [name for name in ("to_top", "position", "after", "before") if data.get(name)]
        if not given and not self.errors:
            raise forms.ValidationError(
                "Say where to move the item: Top, a position, or next to another item."
            )
        if len(given) > 1:
            raise forms.ValidationError("Give only one of: Top, a position, after or before.")
        return data

    def error_text(self) -> str:
        return " ".join(
            message if name == "__all__" else f"{self.fields[name].label or name}: {message}"
            for name, errors in self.errors.items()
            for message in errors
        )


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(label="Priority", choices=Priority.choices)
    next = forms.CharField(required=False, max_length=500)


class TransitionForm(forms.Form):
    to = forms.ChoiceField(choices=Status.choices)
    version = forms.IntegerField(required=False)
    note = forms.CharField(label="Release note", required=False, max_length=5000, widget=forms.Textarea)
    staging_url = forms.URLField(
        label="Staging link", required=False, max_length=STAGING_URL_MAX, assume_scheme="https"
    )
    scope_reason = forms.CharField(
        label="Reason for changing the running sprint", required=False, max_length=2000
    )


class SubtaskForm(forms.Form):
    title = forms.CharField(label="Subtask", max_length=TITLE_MAX)
    estimate_hours = forms.DecimalField(
        label="Hours",
        required=False,
        max_digits=5,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"min": "0.1"}),
        help_text="Keep subtasks at 2 hours or less.",
    )

    def clean_estimate_hours(self):
        hours = self.cleaned_data["estimate_hours"]
        if hours is not None and hours <= 0:
            raise forms.ValidationError(
                "A subtask's estimate must be more than 0; leave it empty while it is not estimated."
            )
        return hours


class CommentForm(forms.Form):
    body = forms.CharField(label="Comment", widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
    internal = forms.BooleanField(label="Internal note (never shown to the client)", required=False)

    def __init__(self, *args, allow_internal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_internal:
            del self.fields["internal"]


class EpicForm(forms.Form):
    title = forms.CharField(label="Title", max_length=TITLE_MAX)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    business_value = forms.CharField(
        label="Business value",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why the client wants it, in their words.",
    )
    priority = forms.ChoiceField(label="Priority", choices=Priority.choices, initial=Priority.MEDIUM)


class EpicMoveForm(forms.Form):
    """Move an epic one step (up, down, top, bottom) or to a position among the project's epics."""

    direction = forms.ChoiceField(required=False, choices=[(d, d) for d in ("up", "down", "top", "bottom")])
    position = forms.IntegerField(label="Position", required=False, min_value=1, max_value=100_000)


class TemplateForm(forms.Form):
    user_story = forms.CharField(
        label="User story",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "As a … I want … so that …"}),
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 8}), help_text="Markdown."
    )
    criteria = forms.CharField(
        label="Acceptance criteria",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One criterion per line.",
    )

    def criteria_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["criteria"].splitlines() if line.strip()]
