"""sales.bonus.sheet: computing a month. Everyone's plan and fact of the
month read in batches, one pay line per person through the engine
(``engine/pay.py``: fixed, soft and bonus parts, tiers, cap), the clawbacks
of locked months added (``sales_bonus_sheet_clawback.py``), the mentors'
lines (``sales_bonus_sheet_mentor.py``), and the lines
written so that computing twice leaves the same records."""

import hashlib
import json

from odoo import api, fields, models
from odoo.fields import Command
from odoo.tools import SQL, float_compare, float_round
from odoo.tools.misc import get_lang

from ..engine import pay
from .sales_bonus_scheme import to_decimal

DISCIPLINE_COUNTS = (
    "leads_without_task",
    "overdue_tasks",
    "missing_data",
    "stage_overrides",
    "activity_shortfalls",
)


class SalesBonusSheet(models.Model):
    _inherit = "sales.bonus.sheet"  # pylint: disable=consider-merging-classes-inherited

    def _compute_sheet(self):
        """Computes the month's lines of this sheet, under the month lock, in
        the company's language: the notes are the company's record."""
        self.ensure_one()
        lang = self.company_id._sales_lang()
        if self.env.lang != lang:
            return self.with_context(lang=lang)._compute_sheet()
        self._lock_month()
        self._check_unlocked()
        employees = self._bonus_employees()
        # Whoever computes the sheet, each person is paid by their own scheme,
        # which a head of another team may not read.
        Scheme = self.env["sales.bonus.scheme"].sudo()
        schemes = Scheme._schemes_for_employees(employees)
        metrics = Scheme.union(*schemes.values()).metric_ids.metric_id.with_env(self.env)
        context = {
            "employees": employees,
            "schemes": schemes,
            "params": self._scheme_params(set(schemes.values())),
            "teams": employees.user_id._sales_team_by_user(self.company_id),
            "plan_fact": self._get_plan_fact(employees.user_id, metrics),
            "discipline": self._get_discipline_totals(employees.user_id),
            "instant": self._get_instant_amounts(employees),
            "flag_above": to_decimal(self.company_id.sales_payout_flag_percent),
        }
        vals_list = [self._prepare_pay_line_vals(employee, context) for employee in employees]
        vals_list += self._prepare_clawback_vals()
        vals_list += self._prepare_mentor_vals(context)
        # the state first, rewritten only when it changes: the new lines are
        # then written with the sheet's state, and a change recomputes the
        # state of the lines already there
        if self.state != "computed":
            self.write({"state": "computed"})
        self._sync_lines(vals_list)
        self.write({"computed_on": fields.Datetime.now(), "note": self._notes(context)})

    def _scheme_params(self, schemes):
        """What the engine needs of each scheme, read once per scheme, not per person."""
        params = {}
        for scheme in schemes:
            target = scheme.currency_id._convert(
                scheme.target_pay, self.currency_id, self.company_id, self.date_to
            )
            params[scheme.id] = {
                "target": to_decimal(target),
                "shares": scheme._pay_shares(),
                "cap": scheme._pay_cap(),
                "tiers": scheme._pay_tiers(),
                "snapshot": scheme._pay_snapshot(),
                "metrics": [(line.metric_id, line.weight) for line in scheme.metric_ids],
            }
        return params

    def _bonus_employees(self):
        return self.env["hr.employee"].search_fetch(
            [("company_id", "=", self.company_id.id), ("sales_role", "!=", False)],
            ["company_id", "sales_role", "user_id"],
            order="id",
        )

    def _get_plan_fact(self, users, metrics):
        """{(user id, metric id): (plan, fact)} of the sheet's month for these
        KPI metrics (sales.kpi.metric: shipped or added by an admin).

        Read through the KPI batch API: the targets of everyone at once, then
        the facts, one query per metric for everyone, whatever the number of
        people. Pairs with neither a plan nor a fact are left out.
        """
        if not users or not metrics:
            return {}
        # the sheet's company only: a person's plan or deals elsewhere are not its pay
        in_company = {"allowed_company_ids": self.company_id.ids}
        targets = (
            self.env["sales.kpi.plan"]
            .sudo()
            .with_context(**in_company)
            ._get_targets(users, self.date_from, self.date_to)
        )
        facts = (
            metrics.sudo()
            .with_context(**in_company)
            ._read_facts(users, self.date_from, self.date_to)
        )
        wanted = set(metrics.ids)
        # a target is the sum of its day parts: round it back to the cent, so
        # that a plan met exactly is 100% and not 99.999...% (below the step)
        return {
            (user_id, metric_id): (
                float_round(targets.get((metric_id, user_id), 0.0), precision_digits=2),
                float_round(facts.get((metric_id, user_id), 0.0), precision_digits=2),
            )
            for metric_id, user_id in set(targets) | set(facts)
            if metric_id in wanted
        }

    @api.model
    def _metric_label(self, metric_vals):
        return self.env["sales.kpi.metric"].browse(metric_vals["metric_id"]).name

    def _get_discipline_totals(self, users):
        """{"days": days counted, "totals": {user id: {count name: month total}}}
        from the daily counts (sales.discipline.daily); no day counted yet: the
        score is 100% and the sheet and the lines say so."""
        Daily = self.env["sales.discipline.daily"]
        domain = [
            ("company_id", "in", [self.company_id.id, False]),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
        ]
        days = len(Daily._read_group(domain, ["date:day"]))
        groups = Daily._read_group(
            domain + [("user_id", "in", users.ids)],
            ["user_id"],
            [f"{count}:sum" for count in DISCIPLINE_COUNTS],
        )
        totals = {
            user.id: dict(zip(DISCIPLINE_COUNTS, sums, strict=True)) for user, *sums in groups
        }
        return {"days": days, "totals": totals}

    def _get_instant_amounts(self, employees):
        """{employee id: (approved amount, of which paid already)} of the month:
        a draft bonus is not approved yet, so not paid by the month."""
        groups = self.env["sales.bonus.instant"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("employee_id", "in", employees.ids),
                ("date", ">=", self.date_from),
                ("date", "<=", self.date_to),
                ("state", "in", ("approved", "paid")),
            ],
            ["employee_id", "state"],
            ["amount:sum"],
        )
        amounts = {}
        for employee, state, amount in groups:
            total, paid = amounts.get(employee.id, (0.0, 0.0))
            amounts[employee.id] = (total + amount, paid + (amount if state == "paid" else 0.0))
        return amounts

    @api.model
    def _discipline_penalties(self):
        return pay.DEFAULT_PENALTIES

    def _discipline_score(self, user, discipline):
        totals = discipline["totals"].get(user.id, {})
        return pay.discipline_score(totals, discipline["days"], self._discipline_penalties())

    def _prepare_pay_line_vals(self, employee, context):
        scheme = context["schemes"].get(employee.id)
        user = employee.user_id
        instant, instant_paid = context["instant"].get(employee.id, (0.0, 0.0))
        vals = {
            "line_type": "pay",
            "employee_id": employee.id,
            "user_id": user.id,
            "team_id": context["teams"].get(user.id, self.env["crm.team"]).id,
            "sales_role": employee.sales_role,
            "instant_amount": instant,
            "instant_paid_amount": instant_paid,
        }
        if not scheme:
            return dict(vals, note=self.env._("No bonus scheme for this role or person."))
        params = context["params"][scheme.id]
        metric_vals, results = self._prepare_metric_vals(params, user, context)
        score = self._discipline_score(user, context["discipline"])
        result = pay.compute_pay(
            params["target"],
            params["shares"],
            score,
            results,
            params["cap"],
            self.currency_id.decimal_places,
        )
        missing = [self._metric_label(vals) for vals in metric_vals if not vals["plan"]]
        notes = [self.env._("No plan for: %s", ", ".join(missing))] if missing else []
        if not context["discipline"]["days"]:
            notes.append(self._no_discipline_note())
        share = pay.share_of_target(
            result.total + to_decimal(vals["instant_amount"]), params["target"]
        )
        return dict(
            vals,
            scheme_id=scheme.id,
            scheme_snapshot=params["snapshot"],
            target_pay=float(params["target"]),
            fixed_amount=float(result.fixed),
            discipline_score=float(score),
            soft_target=float(result.soft_target),
            soft_amount=float(result.soft),
            bonus_target=float(result.bonus_target),
            bonus_payout=float(result.bonus_payout),
            bonus_amount=float(result.bonus),
            metric_line_ids=metric_vals,
            next_tier_note=self._next_tier_note(metric_vals),
            payout_share=float(round(share, 2)) if share is not None else 0.0,
            payout_flagged=share is not None and share > context["flag_above"],
            note="; ".join(notes) or False,
        )

    @api.model
    def _no_discipline_note(self):
        return self.env._("Discipline score 100% until counts are recorded")

    def _prepare_metric_vals(self, params, user, context):
        tiers = params["tiers"]
        metric_vals, weighted = [], []
        for metric, weight in params["metrics"]:
            plan, fact = context["plan_fact"].get((user.id, metric.id), (0.0, 0.0))
            plan_dec, fact_dec = to_decimal(plan), to_decimal(fact)
            more_is_better = metric.higher_is_better
            reached = pay.attainment_percent(plan_dec, fact_dec, more_is_better)
            weighted.append((to_decimal(weight), reached))
            upcoming, to_next = pay.next_step(tiers, plan_dec, fact_dec, more_is_better)
            metric_vals.append(
                {
                    "metric_id": metric.id,
                    "weight": weight,
                    "plan": plan,
                    "fact": fact,
                    "attainment": float(round(reached, 2)),
                    "payout": float(round(pay.tier_payout(tiers, reached), 2)),
                    "to_next_tier": float(round(to_next, 2)),
                    "next_tier_payout": float(upcoming.payout_from) if upcoming else 0.0,
                }
            )
        return metric_vals, pay.metric_results(tiers, weighted)

    @api.model
    def _next_tier_note(self, metric_vals):
        return "; ".join(
            self._next_tier_step(vals) for vals in metric_vals if vals["to_next_tier"] > 0
        )

    @api.model
    def _next_tier_step(self, vals):
        # formatted before the call: the translation extractor cannot read
        # f-strings among the arguments of _() (it skipped this whole file)
        lang = self.env["res.lang"].browse(get_lang(self.env).id)
        needed = lang.format("%.2f", vals["to_next_tier"], grouping=True)
        payout = lang.format("%g", vals["next_tier_payout"])
        if self.env["sales.kpi.metric"].browse(vals["metric_id"]).higher_is_better:
            text = self.env._("%(metric)s: %(needed)s more pays %(payout)s%% of the bonus")
        else:  # a metric to keep low: the fact has to fall
            text = self.env._("%(metric)s: %(needed)s less pays %(payout)s%% of the bonus")
        return text % {"metric": self._metric_label(vals), "needed": needed, "payout": payout}

    def _notes(self, context):
        """What the sheet tells about the whole month: nobody to pay, nobody
        with a scheme or a plan, discipline not counted yet, extreme payouts."""
        company = self.company_id.name
        if not context["employees"]:
            return self.env._(
                "Nobody in %s has a sales role: there is nobody to pay this month.", company
            )
        notes = []
        if not context["schemes"]:
            notes.append(
                self.env._(
                    "Nobody in %s has a bonus scheme: create the default schemes (Settings "
                    "▸ CRM ▸ Board and pay) or a scheme per role.",
                    company,
                )
            )
        elif not any(plan for plan, _fact in context["plan_fact"].values()):
            notes.append(
                self.env._("No KPI plan covers this month for %s: nobody earns a bonus.", company)
            )
        if not context["discipline"]["days"]:
            notes.append(
                self.env._(
                    "The daily discipline counts of this month are not recorded yet: the soft "
                    "part is paid in full (score 100% until counts are recorded)."
                )
            )
        return "\n".join(notes) or False

    # ------------------------------------------------------------------
    # writing the lines: unchanged lines are left alone, so computing twice
    # gives the same records with the same values
    # ------------------------------------------------------------------
    def _sync_lines(self, vals_list):
        Line = self.env["sales.bonus.line"]
        current = Line.search_fetch(
            [("sheet_id", "=", self.id)],
            ["employee_id", "line_type", "origin_line_id", "trainee_id", "vals_digest"],
            order="id",
        )
        existing = {
            self._line_key(
                line.employee_id.id, line.line_type, line.origin_line_id.id, line.trainee_id.id
            ): line
            for line in current
        }
        to_create = []
        for vals in vals_list:
            full = dict(self._blank_line_vals(), **vals)
            digest = self._line_digest(full)
            key = self._line_key(
                vals["employee_id"],
                vals["line_type"],
                vals.get("origin_line_id"),
                vals.get("trainee_id"),
            )
            line = existing.pop(key, None)
            if not line:
                to_create.append(dict(full, vals_digest=digest))
            elif line.vals_digest != digest:
                line.write(dict(self._line_changes(line, full), vals_digest=digest))
        self._insert_lines(to_create)
        Line.union(*existing.values()).unlink()

    def _insert_lines(self, vals_list):
        """Creates the lines of ``vals_list`` (full values, their metrics as
        a list of values) in one INSERT of the lines and one of their
        metrics, whatever the number of people: the ORM inserts and then
        fills the related columns a hundred rows at a time. The columns the
        ORM would compute are written with them: the sheet's company,
        currency, month and state, the line's total and what is left to pay,
        and on each metric its line's company, person, team and state."""
        if not vals_list:
            return
        Line = self.env["sales.bonus.line"]
        Metric = self.env["sales.bonus.line.metric"]
        self._check_unlocked()
        Line.check_access("create")
        Metric.check_access("create")
        sheet_vals = {
            "sheet_id": self.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "date_from": self.date_from,
            "state": self.state,
        }
        rows = [
            dict(
                {name: value for name, value in vals.items() if name != "metric_line_ids"},
                **dict(
                    zip(
                        ("total_amount", "to_pay_amount"),
                        Line._pay_totals(self.currency_id, vals),
                        strict=True,
                    )
                ),
                **sheet_vals,
            )
            for vals in vals_list
        ]
        ids = {
            self._line_key(*key): line_id
            for line_id, *key in self._insert_rows(
                Line, rows, SQL("id, employee_id, line_type, origin_line_id, trainee_id")
            )
        }
        metric_rows = []
        for vals in vals_list:
            line_vals = {
                "line_id": ids[
                    self._line_key(
                        vals["employee_id"],
                        vals["line_type"],
                        vals["origin_line_id"],
                        vals["trainee_id"],
                    )
                ],
                "company_id": self.company_id.id,
                "user_id": vals.get("user_id") or False,
                "team_id": vals.get("team_id") or False,
                "sheet_state": self.state,
            }
            metric_rows += [dict(metric, **line_vals) for metric in vals["metric_line_ids"]]
        self._insert_rows(Metric, metric_rows, SQL("id"))
        Line.invalidate_model()
        Metric.invalidate_model()
        self.invalidate_recordset(["line_ids"])
        # the sheet's stored totals follow its lines, inserted behind the ORM
        Line.browse(ids.values()).modified(["total_amount", "to_pay_amount"])

    @api.model
    def _insert_rows(self, model, rows, returning):
        """One INSERT of ``rows`` (field values; a field a row lacks is
        empty) in ``model``'s table, with its create and write stamps; the
        rows of ``returning``."""
        if not rows:
            return []
        names = sorted(set().union(*rows))
        fields_ = [model._fields[name] for name in names]
        now, uid = self.env.cr.now(), self.env.uid
        values = SQL(", ").join(
            SQL(
                "(%s)",
                SQL(", ").join(
                    [
                        *(
                            SQL("%s", field.convert_to_column_insert(row.get(field.name), model))
                            for field in fields_
                        ),
                        SQL("%s, %s, %s, %s", uid, now, uid, now),
                    ]
                ),
            )
            for row in rows
        )
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s, create_uid, create_date, write_uid, write_date) "
                "VALUES %s RETURNING %s",
                SQL.identifier(model._table),
                SQL(", ").join(SQL.identifier(name) for name in names),
                values,
                returning,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _line_key(self, employee_id, line_type, origin_id, trainee_id):
        """What tells a sheet's lines apart (its unique index): the person,
        the kind, the corrected line of a clawback, the trainee of a mentor line."""
        return employee_id, line_type, origin_id or False, trainee_id or False

    @api.model
    def _line_digest(self, vals):
        """A fingerprint of what a computation produced for a line: an unchanged
        line is recognised without comparing it field by field."""
        payload = json.dumps(vals, sort_keys=True, default=str)
        return hashlib.sha1(payload.encode(), usedforsecurity=False).hexdigest()

    @api.model
    def _blank_line_vals(self):
        return {
            "origin_line_id": False,
            "trainee_id": False,
            "scheme_id": False,
            "scheme_snapshot": False,
            "target_pay": 0.0,
            "fixed_amount": 0.0,
            "discipline_score": 0.0,
            "soft_target": 0.0,
            "soft_amount": 0.0,
            "bonus_target": 0.0,
            "bonus_payout": 0.0,
            "bonus_amount": 0.0,
            "instant_amount": 0.0,
            "instant_paid_amount": 0.0,
            "clawback_amount": 0.0,
            "metric_line_ids": [],
            "next_tier_note": False,
            "payout_share": 0.0,
            "payout_flagged": False,
            "note": False,
        }

    @api.model
    def _line_changes(self, line, vals):
        changes = {
            name: value
            for name, value in vals.items()
            if name != "metric_line_ids" and not self._same(line, name, value)
        }
        metrics = {metric.metric_id.id: metric for metric in line.metric_line_ids}
        commands = []
        for metric_vals in vals["metric_line_ids"]:
            metric = metrics.pop(metric_vals["metric_id"], None)
            if not metric:
                commands.append(Command.create(metric_vals))
            elif any(not self._same(metric, name, value) for name, value in metric_vals.items()):
                commands.append(Command.update(metric.id, metric_vals))
        commands += [Command.delete(metric.id) for metric in metrics.values()]
        if commands:
            changes["metric_line_ids"] = commands
        return changes

    @api.model
    def _same(self, record, name, value):
        current = record[name]
        if isinstance(current, models.BaseModel):
            return current.id == (value or False)
        if isinstance(current, float):
            return not float_compare(current, value or 0.0, precision_digits=6)
        return current == value
