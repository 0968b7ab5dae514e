from django import forms


class VerdictForm(forms.Form):
    """The client's verdict on a delivery: the criteria they ticked, and a reason when rejecting."""

    criteria = forms.TypedMultipleChoiceField(coerce=int, required=False)
    reason = forms.CharField(label="Reason for rejecting", required=False, max_length=4000, strip=False)
    next = forms.CharField(required=False, max_length=500)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criteria"].choices = [(c.id, c.text) for c in criteria]
