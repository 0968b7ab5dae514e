"""The planning pages' charts, drawn by ``sightline.forecast.charts`` from the selectors' and the
forecast's plain data."""

from sightline.forecast import charts
from sightline.planning.flow import Flow
from sightline.planning.selectors import ProgressPoint, VelocityHistory
from sightline.planning.services import PlanForecast, ReleasePlan, VelocityOverview


def velocity_figure(history: VelocityHistory, overview: VelocityOverview) -> charts.Chart:
    bars = [
        charts.VelocityBar(label=s.label, points=s.throughput, items=s.accepted_items)
        for s in history.sprints
    ]
    stats = overview.stats
    return charts.velocity_chart(bars, mean=stats.mean, low=stats.low, high=stats.high, unit=history.unit)


def flow_figure(flow: Flow) -> charts.Chart:
    return charts.cfd_chart(list(flow.days), [(label, list(counts)) for label, counts in flow.series])


def burnup_figure(points: list[ProgressPoint], plan: ReleasePlan, plans: PlanForecast) -> charts.Chart:
    forecast = plan.forecast
    return charts.burnup_chart(
        [charts.BurnupPoint(day=p.day, done=p.done, scope=p.scope) for p in points],
        today=plans.today,
        p50=forecast.p50 if forecast else None,
        p85=forecast.p85 if forecast else None,
        p95=forecast.p95 if forecast else None,
        target_date=plan.release.target_date,
        unit=plans.unit,
    )


def histogram_figure(plan: ReleasePlan, plans: PlanForecast) -> charts.Chart | None:
    forecast = plan.forecast
    if forecast is None or not forecast.histogram:
        return None
    return charts.histogram_chart(
        list(forecast.histogram),
        p50=forecast.p50,
        p85=forecast.p85,
        p95=forecast.p95,
        target_date=plan.release.target_date,
        trials=plans.trials,
        period=plans.period,
    )
