"""A month's KPI plan of every metric for ten times the people: its creation
(the lines, their day targets and the overlap check against every plan of
the month) must take at most twelve times as long as for a tenth of them.

Both sides are created, settled and rolled back, alternately. Before timing,
the check is shown to still refuse a clash: a second plan giving the last
person a target of the same metric over the same days.
"""

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError

CALENDAR = True  # the month, the day: also run with the clock set (make bench-calendar)
TARGET = 12.0


def run(bench):
    env = bench.env
    people = (
        env["hr.employee"]
        .search([("sales_role", "in", ("hunter", "closer", "farmer", "universal"))], order="id")
        .user_id
    )
    tenth = people[: max(len(people) // 10, 1)]
    people = people[: len(tenth) * 10]
    metrics = env["sales.kpi.metric"].search([])
    start = fields.Date.context_today(env["sales.kpi.plan"]) + relativedelta(day=1)
    period = {"date_from": start, "date_to": start + relativedelta(day=31)}

    def plan(users, name="Bench overlap"):
        return lambda: env["sales.kpi.plan"].create(
            dict(
                period,
                name=name,
                line_ids=[
                    Command.create({"user_id": user.id, "metric_id": metric.id, "target": 10.0})
                    for user in users
                    for metric in metrics
                ],
            )
        )

    def clash_refused(_plan):
        try:
            with env.cr.savepoint():
                plan(people[-1:], "Clash")()
                env.flush_all()
        except ValidationError as error:
            if "Clash overlaps Bench overlap" not in str(error):
                raise AssertionError(f"the clash is refused for another reason: {error}") from None
        else:
            raise AssertionError("a second target of the same person, metric and days passed")

    bench.rolled_back(plan(people), clash_refused)()
    bench.note(
        f"{len(people):,} people x {len(metrics)} metrics against {len(tenth):,} x {len(metrics)};"
        " a clash is refused"
    )
    ratio = bench.compare(bench.rolled_back(plan(people)), bench.rolled_back(plan(tenth)), 3)
    bench.report("kpi_plan_create_10x_people", ratio, TARGET)
