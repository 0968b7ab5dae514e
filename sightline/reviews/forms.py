"""Forms of the criteria-review pages: they parse input; the services apply the rules."""

from django import forms

from sightline.reviews.services import COMMENT_MAX, NOTE_MAX, TITLE_MAX


class ReviewRequestForm(forms.Form):
    title = forms.CharField(
        label="Title",
        required=False,
        max_length=TITLE_MAX,
        help_text="Optional; e.g. “Items we estimate at Tuesday’s grooming”.",
    )
    due_date = forms.DateField(
        label="Review needed by",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Give the date by which the review is needed."},
    )
    note = forms.CharField(
        label="Note for the client",
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    items = forms.MultipleChoiceField(
        label="Items",
        choices=[],
        error_messages={
            "required": "Choose at least one item whose criteria the client should review.",
            "invalid_choice": "%(value)s cannot be chosen: it is not a draft or ready item of this project.",
        },
    )

    def __init__(self, *args, item_keys: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(key, key) for key in item_keys]


class _AnswerForm(forms.Form):
    """An answer to one item of a review, from its page or from the inbox (``from_inbox``, ``next``)."""

    from_inbox = forms.BooleanField(required=False)
    next = forms.CharField(required=False, max_length=500)


class MarkReviewedForm(_AnswerForm):
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: what should change, or a question for the team.",
    )


class CriteriaCommentForm(_AnswerForm):
    """A comment on an item's criteria that leaves the item waiting for its review."""

    comment = forms.CharField(
        label="Question about the criteria, or the change they need",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write the question or the change you would like in the criteria."},
    )


class PickFilterForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Title or key"}),
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Draft and ready"), ("draft", "Draft"), ("ready", "Ready")],
    )
