"""Every input the forecast engine refuses, each with a message that names the problem and the field."""

from datetime import date

import pytest

from sightline.forecast.calendar import SprintCalendar
from sightline.forecast.engine import ForecastError, ReleaseInput, forecast_releases

SPRINTS = SprintCalendar(first_start=date(2026, 1, 5), length_days=14)


def forecast(*remaining, **kwargs):
    releases = [ReleaseInput(f"R{n}", scope) for n, scope in enumerate(remaining, start=1)]
    kwargs.setdefault("seed", 42)
    return forecast_releases(releases, calendar=SPRINTS, **kwargs)


@pytest.mark.parametrize(
    "remaining, kwargs, field, message",
    [
        ((10,), {"trials": 0}, "trials", "Trials must be a whole number between 1 and 200 000; got 0."),
        (
            (10,),
            {"trials": 200_001},
            "trials",
            "Trials must be a whole number between 1 and 200 000; got 200001.",
        ),
        ((10,), {"trials": 2.5}, "trials", "Trials must be a whole number between 1 and 200 000; got 2.5."),
        ((10,), {"seed": -1}, "seed", "The seed must be a whole number 0 or more; got -1."),
        (
            (10,),
            {"max_periods": 0},
            "max_periods",
            "The horizon in periods must be a whole number 1 or more; got 0.",
        ),
        (
            (-3,),
            {},
            "remaining",
            "The remaining scope of “R1” is negative (-3); estimates must be zero or more.",
        ),
        ((float("nan"),), {}, "remaining", "The remaining scope of “R1” is not a number (nan)."),
        ((float("inf"),), {}, "remaining", "The remaining scope of “R1” is not a number (inf)."),
        (
            (10,),
            {"velocity_factor": 0},
            "velocity_factor",
            "The velocity change must leave a velocity above zero (factor 0).",
        ),
        (
            (10,),
            {"velocity_factor": -0.5},
            "velocity_factor",
            "The velocity change must leave a velocity above zero (factor -0.5).",
        ),
        (
            (10,),
            {"velocity_factor": float("nan")},
            "velocity_factor",
            "The velocity change must leave a velocity above zero (factor nan).",
        ),
        (
            (10,),
            {"history": [8, 9]},
            "fallback_range",
            "Fewer than 3 sprints are closed (2) and no throughput range is entered: "
            "enter the low and high points per sprint the team expects to forecast.",
        ),
        (
            (10,),
            {"history": [], "fallback_range": (0, 10)},
            "fallback_range",
            "The entered throughput range must start above zero; its low is 0.",
        ),
        (
            (10,),
            {"history": [], "fallback_range": (-2, 10)},
            "fallback_range",
            "The entered throughput range must start above zero; its low is -2.",
        ),
        (
            (10,),
            {"history": [], "fallback_range": (20, 10)},
            "fallback_range",
            "The entered throughput range has its low (20) above its high (10).",
        ),
        (
            (10,),
            {"history": [], "fallback_range": (1, float("inf"))},
            "fallback_range",
            "The entered throughput range must be two numbers.",
        ),
        (
            (10,),
            {"history": [0, 0, 0]},
            "history",
            "Every closed sprint in the history delivered nothing, so there is no pace to forecast from.",
        ),
        (
            (10,),
            {"history": [4, float("nan"), 6]},
            "history",
            "A closed sprint's throughput is not a number (nan).",
        ),
        (
            (10,),
            {"history": [4, float("inf"), 6]},
            "history",
            "A closed sprint's throughput is not a number (inf).",
        ),
        ((10,), {"history": [4, -1, 6]}, "history", "A closed sprint's throughput is negative (-1)."),
        ((10,), {"history": [4, None, 6]}, "history", "A closed sprint's throughput is not a number (None)."),
        ((None,), {}, "remaining", "The remaining scope of “R1” is not a number (None)."),
        (
            (10,),
            {"history": [], "fallback_range": (5,)},
            "fallback_range",
            "The entered throughput range must be two numbers.",
        ),
        (
            (10,),
            {"history": [], "fallback_range": (None, 5)},
            "fallback_range",
            "The entered throughput range must be two numbers.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(remaining, kwargs, field, message):
    kwargs.setdefault("history", [10, 10, 10])
    with pytest.raises(ForecastError) as caught:
        forecast(*remaining, **kwargs)
    assert (caught.value.field, str(caught.value)) == (field, message)
    assert isinstance(caught.value, ValueError)
