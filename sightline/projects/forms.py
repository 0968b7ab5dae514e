from datetime import date
from decimal import Decimal

from django import forms

from sightline.projects.models import EstimateUnit, Role

FOCUS_RANGE = "Enter a number between 0.10 and 1.00, e.g. 0.80."


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class InviteForm(forms.Form):
    email = forms.EmailField(max_length=254)  # the column's length (Django's form field allows 320)
    role = forms.ChoiceField(choices=Role.choices)


class HolidaysField(forms.CharField):
    """Non-working dates, one ISO date per line; blank lines are skipped, duplicates dropped."""

    widget = forms.Textarea(attrs={"rows": 6, "placeholder": "2026-12-25\n2026-12-26"})

    def to_python(self, value) -> list[str]:
        days, problems = set(), []
        for number, line in enumerate((value or "").splitlines(), start=1):
            text = line.strip()
            if not text:
                continue
            try:
                days.add(date.fromisoformat(text).isoformat())
            except ValueError:
                problems.append(f"Line {number}: “{text[:40]}” is not a date like 2026-12-25.")
        if problems:
            raise forms.ValidationError(problems)
        return sorted(days)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value


class PlanningSettingsForm(forms.Form):
    estimate_unit = forms.ChoiceField(
        label="Estimate items in",
        choices=EstimateUnit.choices,
        help_text="Which estimates items carry and the Definition of Ready asks for.",
    )
    focus_factor = forms.DecimalField(
        label="Focus factor",
        max_digits=3,
        decimal_places=2,
        error_messages={
            "max_digits": FOCUS_RANGE,
            "max_whole_digits": FOCUS_RANGE,
            "invalid": FOCUS_RANGE,
        },
        help_text="Share of the team's available hours that goes to sprint work (0.10 to 1.00): "
        "sprint capacity = available hours × this. 0.80 leaves a fifth for meetings and support.",
    )
    start_date = forms.DateField(
        label="Engagement start",
        required=False,
        widget=DateInput,
        help_text="Forecasts and plans never start before it.",
    )
    holidays = HolidaysField(
        label="Holidays",
        required=False,
        help_text="Days nobody works besides the weekly days off: one date per line, as 2026-12-25.",
    )
    forecast_velocity_low = forms.DecimalField(
        label="Velocity range: low",
        required=False,
        max_digits=7,
        decimal_places=1,
        help_text="Used for forecasts while fewer than 3 sprints are closed: the least the team is "
        "likely to finish in a sprint (in the estimate unit).",
    )
    forecast_velocity_high = forms.DecimalField(
        label="Velocity range: high",
        required=False,
        max_digits=7,
        decimal_places=1,
        help_text="The most the team is likely to finish in a sprint. Give both ends or neither.",
    )

    def clean_focus_factor(self):
        value = self.cleaned_data["focus_factor"]
        if not Decimal("0.10") <= value <= Decimal("1.00"):
            raise forms.ValidationError(FOCUS_RANGE)
        return value

    def clean(self):
        data = super().clean()
        low, high = data.get("forecast_velocity_low"), data.get("forecast_velocity_high")
        for name, value in (("forecast_velocity_low", low), ("forecast_velocity_high", high)):
            if value is not None and value <= 0:
                self.add_error(name, "Must be more than 0.")
        if "forecast_velocity_low" in self.errors or "forecast_velocity_high" in self.errors:
            return data
        if (low is None) != (high is None):
            missing = "forecast_velocity_high" if high is None else "forecast_velocity_low"
            self.add_error(missing, "Give both ends of the range, or neither.")
        elif low is not None and low > high:
            self.add_error("forecast_velocity_high", f"Must be at least the low end ({low}).")
        return data
