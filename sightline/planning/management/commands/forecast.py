"""`sightline forecast KEY`: the release forecasts of a project, as a table or as JSON.

The same computation as the pages and the API; ``--seed`` makes it reproducible (without it, the
project's own fixed seed is used, so the numbers match the pages).
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from sightline.forecast.engine import DEFAULT_TRIALS
from sightline.lib.errors import InvalidInput
from sightline.lib.numbers import plain_number
from sightline.planning.api import forecast_data
from sightline.planning.services import PlanForecast, ReleasePlan, release_forecasts
from sightline.projects.models import Project

COLUMNS = ("Release", "Remaining", "Straight line", "P50", "P85", "P95", "Target date")


class Command(BaseCommand):
    help = (
        "Forecast a project's releases: remaining scope, straight-line date, P50/P85/P95 dates from a "
        "Monte Carlo simulation of past sprints, and the chance of meeting each target date."
    )

    def add_arguments(self, parser):
        parser.add_argument("key", help="The project's key, e.g. ACME")
        parser.add_argument("--release", metavar="NAME", help="Only this release (its exact name)")
        parser.add_argument(
            "--trials", type=int, default=DEFAULT_TRIALS, help=f"Simulated futures (default {DEFAULT_TRIALS})"
        )
        parser.add_argument("--seed", type=int, help="Seed for reproducible numbers (default: the project's)")
        parser.add_argument("--json", action="store_true", help="Print JSON: a list, one object per release")

    def handle(self, *args, key, release, trials, seed, **options):
        project = Project.objects.filter(key=key.strip().upper()).first()
        if project is None:
            raise CommandError(f"No project with the key {key!r}.")
        try:
            plans = release_forecasts(project, trials=trials, seed=seed)
        except InvalidInput as exc:
            raise CommandError(f"--{exc.field}: {exc.message}" if exc.field else exc.message) from None
        shown = list(plans.releases)
        if release is not None:
            shown = [p for p in shown if p.release.name == release]
            if not shown:
                names = ", ".join(repr(p.release.name) for p in plans.releases) or "none"
                raise CommandError(f"{project.key} has no release named {release!r}; its releases: {names}.")
        if plans.forecast is None:
            raise CommandError(plans.problem)
        if options["json"]:
            self.stdout.write(self._json(shown, plans))
        else:
            self.stdout.write(self._table(shown, plans))

    def _json(self, shown: list[ReleasePlan], plans: PlanForecast) -> str:
        rows = [
            {
                "release": p.release.name,
                "id": p.release.pk,
                "target_date": p.release.target_date,
                **forecast_data(p, plans),
            }
            for p in shown
        ]
        return json.dumps(rows, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)

    def _table(self, shown: list[ReleasePlan], plans: PlanForecast) -> str:
        project, forecast = plans.project, plans.forecast
        periods = "weeks" if plans.period == "week" else f"sprints of {plans.calendar.length_days} days"
        lines = [
            f"{project.key} · {project.name}",
            f"{forecast.assumption}. {plans.trials:,} trials, seed {plans.seed}; {periods} from "
            f"{plans.calendar.first_start.isoformat()}.",
        ]
        if forecast.low_confidence:
            lines.append("LOW CONFIDENCE: fewer than 3 sprints closed, the entered range was used.")
        rows = [COLUMNS] + [_row(p, plans.unit) for p in shown]
        widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
        lines.append("")
        for row in rows:
            lines.append(
                "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            )
        return "\n".join(lines)


def _day(value) -> str:
    return value.isoformat() if value else "later"


def _row(plan: ReleasePlan, unit: str) -> tuple[str, ...]:
    scope, forecast, target = plan.scope, plan.forecast, plan.release.target_date
    flagged = f" ({len(scope.unestimated)} unestimated)" if scope.unestimated else ""
    remaining = f"{plain_number(round(scope.remaining, 1))} {unit}{flagged}"
    target_text = target.isoformat() if target else "none"
    if plan.chance_on_target:
        target_text += f": {plan.chance_on_target}"
    if not plan.has_epics:
        return (plan.release.name, "no epics yet", "", "", "", "", target_text)
    if plan.is_done or forecast.complete:
        return (plan.release.name, remaining, "done", "", "", "", target_text)
    return (
        plan.release.name,
        remaining,
        _day(forecast.linear_date),
        _day(forecast.p50),
        _day(forecast.p85),
        _day(forecast.p95),
        target_text,
    )
