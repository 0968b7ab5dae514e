"""Forms of the feedback pages: they parse input; the services apply the rules."""

from django import forms

from sightline.backlog.models import TITLE_MAX, ItemType, Priority
from sightline.feedback.services import TEXT_MAX
from sightline.feedback.uploads import ALLOWED, KINDS, MAX_BYTES


class GiveFeedbackForm(forms.Form):
    text = forms.CharField(
        label="Your feedback",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you saw, and what you would like instead.",
        error_messages={"required": "Write your feedback: what you saw, and what you would like instead."},
    )
    screenshot = forms.FileField(
        label="Screenshot (optional)",
        required=False,
        max_length=200,
        widget=forms.FileInput(attrs={"accept": ",".join(KINDS)}),
        help_text=f"An image: {ALLOWED}, at most {MAX_BYTES // (1024 * 1024)} MB.",
    )
    item = forms.CharField(
        label="About the item",
        required=False,
        max_length=24,
        help_text="Its key, e.g. ACME-12; leave empty for feedback on the product or a sprint review.",
    )
    sprint = forms.TypedChoiceField(label="At the review of", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, sprints, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sprint"].choices = [("", "No sprint review"), *[(s.number, s.name) for s in sprints]]

    def clean_item(self) -> str:
        return self.cleaned_data["item"].strip().upper()


class ConvertForm(forms.Form):
    title = forms.CharField(label="Title of the new item", required=False, max_length=TITLE_MAX)
    type = forms.ChoiceField(label="Type", required=False, choices=ItemType.choices, initial=ItemType.STORY)
    priority = forms.ChoiceField(
        label="Priority", required=False, choices=Priority.choices, initial=Priority.MEDIUM
    )

    def changes(self) -> dict:
        """What the conversion uses; a bare "Convert" button takes the defaults."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "type": data["type"] or ItemType.STORY,
            "priority": data["priority"] or Priority.MEDIUM,
        }


class FeedbackFilterForm(forms.Form):
    state = forms.ChoiceField(
        required=False, choices=[("", "All"), ("open", "Open"), ("converted", "Converted")]
    )
