from django import forms

from sightline.api.schemas import MAX_ID
from sightline.inbox.services import AVAILABILITY_MAX, NOTE_MAX


class HandoverForm(forms.Form):
    """Hand one open request (``kind`` + ``id``) to another client member, with a note."""

    kind = forms.CharField(max_length=40)
    id = forms.IntegerField(min_value=1, max_value=MAX_ID)
    to_user = forms.IntegerField(
        label="Hand to", min_value=1, max_value=MAX_ID, error_messages={"required": "Choose a person."}
    )
    note = forms.CharField(label="Note for them", required=False, max_length=NOTE_MAX, widget=forms.Textarea)
    next = forms.CharField(required=False, max_length=500)


class AvailabilityForm(forms.Form):
    availability = forms.CharField(
        label="When you usually have time",
        required=False,
        max_length=AVAILABILITY_MAX,
        help_text='For example "Tue/Thu mornings" — the agency plans its questions around it.',
    )
    out_of_office_from = forms.DateField(
        label="Away from", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    out_of_office_until = forms.DateField(
        label="Back after", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
