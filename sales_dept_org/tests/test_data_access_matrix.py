"""The data access matrix of ``readme/SECURITY.md``: what leaves the database.

For each model, one real record per company, made by the superuser and
owned where the model has an owner by the hunter of team North, whose head
is head A (head B leads another team): the record carries a file
(``ir.attachment``) and, on models with a chatter, a message. Each persona
then exports it, downloads its reports, lists its files and fetches its
messages as the web client does, in each of the two companies, and every
result is compared with its cell of the table. A company's record is never
reached from the other company.
"""

from contextlib import suppress
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.base.models.ir_qweb import QWebException

from .matrix_common import SECURITY_MD, MatrixCommon, read_matrix

# the letters of a cell, in their order; "-" refused, "." not applicable
OPERATIONS = "edam"
MONTH = date(2026, 10, 1)


class _RolledBack(Exception):
    """Undoes what a download wrote (the export's file, the sheet's state)."""


@tagged("post_install", "-at_install")
class TestDataAccessMatrix(MatrixCommon):
    maxDiff = None  # every differing cell is named

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.matrix, cls.columns = read_matrix(
            SECURITY_MD.read_text(encoding="utf-8"), "Data access matrix"
        )
        export = cls.env.ref("base.group_allow_export")
        # as every internal user the Users form creates (base.default_user)
        export.users |= cls.env["res.users"].union(*cls.personas.values()) - cls.user_portal
        cls.env["ir.config_parameter"].set_param("sales_team.membership_multi", True)
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        for user in cls.personas.values():
            user.company_ids |= cls.company_b
        cls.stage = cls.env["crm.stage"].search([], limit=1)
        cls.metric = cls.env.ref("sales_dept_org.kpi_metric_revenue_won")
        cls.customer = cls.env["res.partner"].create({"name": "Instal-Bud", "is_company": True})
        cls.team_b = cls.env["crm.team"].create(
            {"name": "South", "user_id": cls.user_head_b.id, "company_id": cls.company_a.id}
        )
        cls.records = {
            cls.company_a: cls._world(
                cls.company_a, cls.team_north, cls.employee_hunter, date(2026, 10, 5)
            ),
            cls.company_b: cls._world(
                cls.company_b, *cls._north_in(cls.company_b), date(2026, 10, 6)
            ),
        }

    @classmethod
    def _north_in(cls, company):
        """Team North for ``company`` (same head and people, who belong to
        the main company first: a team of no company) and the hunter's
        employee there."""
        employees = cls.env["hr.employee"].create(
            [
                {
                    "name": user.name,
                    "user_id": user.id,
                    "sales_role": role,
                    "company_id": company.id,
                }
                for user, role in ((cls.user_head, "head"), (cls.user_hunter, "hunter"))
            ]
        )
        team = cls.env["crm.team"].create(
            {
                "name": "North",
                "company_id": False,
                "user_id": cls.user_head.id,
                "member_ids": [
                    Command.set((cls.user_hunter + cls.user_closer + cls.user_farmer).ids)
                ],
            }
        )
        return team, employees[1]

    @classmethod
    def _world(cls, company, team, employee, day):
        """{model: record} of ``company``, each with a file and a message;
        the day records of the hunter are of ``day``."""
        env = cls.env(context={"allowed_company_ids": company.ids, "tracking_disable": True})
        hunter = cls.user_hunter
        pbx = env["sales.call.integration"].create({"name": "Office PBX", "company_id": company.id})
        lead = env["crm.lead"].create(
            {
                "name": "Heat pumps",
                "user_id": hunter.id,
                "team_id": team.id,
                "company_id": company.id,
            }
        )
        sheet = env["sales.bonus.sheet"].create({"company_id": company.id, "date_from": MONTH})
        line = env["sales.bonus.line"].create(
            {
                "sheet_id": sheet.id,
                "employee_id": employee.id,
                "user_id": hunter.id,
                "team_id": team.id,
                "total_amount": 1200.0,
            }
        )
        scheme = env["sales.bonus.scheme"].create(
            {
                "name": "Jan's own scheme",
                "sales_role": "hunter",
                "employee_id": employee.id,
                "target_pay": 5000.0,
                "company_id": company.id,
                "metric_ids": [Command.create({"metric_id": cls.metric.id, "weight": 100.0})],
                "tier_ids": [Command.create({"attainment_from": 0, "rate": 1})],
            }
        )
        snapshot = env["sales.abcxyz.snapshot"].create({"company_id": company.id})
        plan = env["sales.kpi.plan"].create(
            {
                "name": "October",
                "company_id": company.id,
                "team_id": team.id,
                "date_from": MONTH,
                "date_to": date(2026, 10, 31),
                "line_ids": [
                    Command.create(
                        {"user_id": hunter.id, "metric_id": cls.metric.id, "target": 10.0}
                    )
                ],
            }
        )
        migration = env["sales.abcxyz.migration"].create(
            {"snapshot_from_id": snapshot.id, "snapshot_to_id": snapshot.id}
        )
        money = env["sales.money.report"].create({"company_id": company.id})
        check = env["sales.organisation.check"].create({})
        breakdown = env["sales.kpi.plan.breakdown"].create({"plan_id": plan.id, "target": 1000})
        setup = env["sales.setup.wizard"].create(
            {
                "company_id": company.id,
                "member_ids": [
                    Command.create({"team_name": "Set-up", "role": "head", "name": "Sam",
                                    "email": "sam@example.com"})
                ],
            }
        )  # fmt: skip
        records = {
            "crm.lead": lead,
            "crm.stage": cls.stage,
            "crm.team": team,
            "crm.team.member": team.crm_team_member_ids.filtered(
                lambda member: member.user_id == hunter
            ),
            "hr.employee": employee,
            "res.users": hunter,
            "sales.abcxyz.migration": migration,
            "sales.abcxyz.migration.line": env["sales.abcxyz.migration.line"].create(
                {"migration_id": migration.id}
            ),
            "sales.abcxyz.snapshot": snapshot,
            "sales.abcxyz.snapshot.line": env["sales.abcxyz.snapshot.line"].create(
                {
                    "snapshot_id": snapshot.id,
                    "partner_id": cls.customer.id,
                    "user_id": hunter.id,
                    "team_id": team.id,
                    "abc_class": "a",
                    "xyz_class": "x",
                }
            ),
            "sales.bonus.instant": env["sales.bonus.instant"].create(
                {
                    "employee_id": employee.id,
                    "date": date(2026, 10, 3),
                    "amount": 300.0,
                    "reason": "Won the Gdańsk tender",
                }
            ),
            "sales.contest": env["sales.contest"].create(
                {
                    "name": "October calls",
                    "company_id": company.id,
                    "date_from": MONTH,
                    "date_to": date(2026, 10, 31),
                    "team_ids": [Command.set(team.ids)],
                    "metric_id": cls.metric.id,
                    "prize_amount": 500.0,
                }
            ),
            "sales.bonus.line": line,
            "sales.bonus.line.metric": env["sales.bonus.line.metric"].create(
                {"line_id": line.id, "metric_id": cls.metric.id}
            ),
            "sales.bonus.scheme": scheme,
            "sales.bonus.scheme.metric": scheme.metric_ids,
            "sales.bonus.scheme.tier": scheme.tier_ids,
            "sales.bonus.sheet": sheet,
            "sales.bonus.sheet.confirm": env["sales.bonus.sheet.confirm"].create(
                {"sheet_ids": sheet.ids, "reason": "Record month"}
            ),
            "sales.bonus.sheet.reopen": env["sales.bonus.sheet.reopen"].create(
                {"sheet_id": sheet.id, "reason": "Late invoice"}
            ),
            "sales.call": env["sales.call"].create(
                {
                    "integration_id": pbx.id,
                    "event_id": f"call-{company.id}",
                    "company_id": company.id,
                    "direction": "in",
                    "start": f"{day} 09:00:00",
                    "duration": 95,
                    "status": "answered",
                    "user_id": hunter.id,
                    "team_id": team.id,
                    "lead_id": lead.id,
                }
            ),
            "sales.call.integration": pbx,
            # the company's own table: the install's for the first company
            "sales.darwin.band": env["sales.darwin.band"].search(
                [("company_id", "=", company.id), ("team_id", "=", False)], limit=1
            )
            or env["sales.darwin.band"].create(
                {"company_id": company.id, "attainment_from": 0, "weight": 1.0}
            ),
            # the install's hunter norm for the first company
            "sales.activity.norm": env["sales.activity.norm"].search(
                [("company_id", "=", company.id), ("sales_role", "=", "hunter")], limit=1
            )
            or env["sales.activity.norm"].create(
                {"company_id": company.id, "sales_role": "hunter", "calls_per_day": 120}
            ),
            "sales.digest.post": env["sales.digest.post"].create(
                {
                    "company_id": company.id,
                    "team_id": team.id,
                    "slot": "morning",
                    "slot_date": date(2026, 10, 5),
                }
            ),
            "sales.discipline.daily": env["sales.discipline.daily"].create(
                {
                    "date": day,
                    "user_id": hunter.id,
                    "team_id": team.id,
                    "company_id": company.id,
                }
            ),
            "sales.kpi.fact": env["sales.kpi.fact"].create(
                {
                    "date": day,
                    "metric_id": cls.metric.id,
                    "user_id": hunter.id,
                    "company_id": company.id,
                }
            ),
            "sales.kpi.metric": cls.metric,
            "sales.kpi.plan": plan,
            "sales.kpi.plan.line": plan.line_ids,
            "sales.kpi.plan.breakdown": breakdown,
            "sales.kpi.plan.breakdown.line": env["sales.kpi.plan.breakdown.line"].create(
                {"breakdown_id": breakdown.id, "user_id": hunter.id}
            ),
            "sales.lead.stage.log": env["sales.lead.stage.log"].search(
                [("lead_id", "=", lead.id)], limit=1
            ),
            "sales.money.report": money,
            "sales.money.report.line": env["sales.money.report.line"].create(
                {"report_id": money.id}
            ),
            "sales.organisation.check": check,
            "sales.organisation.check.line": env["sales.organisation.check.line"].create(
                {"check_id": check.id, "kind": "no_role", "message": "Nobody", "user_id": hunter.id}
            ),
            "sales.setup.wizard": setup,
            "sales.setup.wizard.member": setup.member_ids,
            "sales.setup.wizard.target": setup.target_ids[:1],
            "sales.stage.override.wizard": env["sales.stage.override.wizard"].create(
                {"lead_ids": lead.ids, "stage_id": cls.stage.id, "reason": "Signed on paper"}
            ),
            "sales.trainee.wizard": env["sales.trainee.wizard"].create(
                {"employee_id": employee.id}
            ),
        }
        env.flush_all()
        records["sales.funnel.report"] = env["sales.funnel.report"].search(
            [("lead_id", "=", lead.id)], limit=1
        )
        records["sales.kpi.board"] = env["sales.kpi.board"].search(
            [("user_id", "=", hunter.id), ("team_id", "=", team.id)], limit=1
        )
        # the month is paid: the sheet is confirmed and locked with its line
        sheet.write({"state": "confirmed"})
        env["ir.attachment"].create(
            [
                {
                    "name": f"{model} notes.txt",
                    "raw": b"notes",
                    "res_model": model,
                    "res_id": record.id,
                }
                for model, record in records.items()
            ]
        )
        for record in records.values():
            if cls._has_chatter(record):
                record.message_post(body="Checked.", message_type="comment")
        return records

    @staticmethod
    def _has_chatter(record):
        field = record._fields.get("message_ids")
        return bool(field) and not field.inherited

    # ------------------------------------------------------------------
    # the operations, as the web client runs them
    # ------------------------------------------------------------------
    def _cell(self, record, user, company):
        """The cell ``user`` earns on ``record`` working in ``company``."""
        # a request starts with an empty cache: what the superuser read is not served
        self.env.invalidate_all()
        # in company B the persona's main company stays selected, as the web
        # client opens it: their membership of a team is in the main company
        allowed = (company | self.company_a).ids
        env = self.env(user=user, context={"allowed_company_ids": allowed})
        record = record.with_env(env)
        reports = self._reports(record)
        return "".join(
            (letter if granted else "." if granted is None else "-")
            for letter, granted in zip(
                OPERATIONS,
                (
                    self._exports(record),
                    None if reports is None else self._downloads(record, reports),
                    self._lists_files(record),
                    self._fetches_messages(record) if self._has_chatter(record) else None,
                ),
                strict=True,
            )
        )

    def _exports(self, record):
        """Export of every field the Export dialog offers the user."""
        fields = [
            name
            for name, description in record.fields_get(attributes=["exportable"]).items()
            if description.get("exportable", True) and name != "id"
        ]
        try:
            rows = record.export_data(fields)["datas"]
        except (AccessError, UserError):
            return False
        return bool(rows)

    def _reports(self, record):
        """The model's report actions, plus its XLSX export: None if it has none."""
        actions = self.env["ir.actions.report"].search([("model", "=", record._name)])
        downloads = [
            lambda rec, action=action: action.with_env(rec.env)._render_qweb_html(
                action.report_name, rec.ids
            )
            for action in actions
        ]
        if record._name == "sales.bonus.sheet":
            downloads.append(lambda rec: rec.action_export_xlsx())
        return downloads or None

    def _downloads(self, record, downloads):
        """Every report of the record renders for the user (what each wrote is undone)."""
        for download in downloads:
            try:
                with suppress(_RolledBack), self.env.cr.savepoint():
                    download(record)
                    raise _RolledBack
            except (AccessError, UserError):
                return False
            except QWebException as error:
                # the template read what the user may not
                if isinstance(error.__cause__, (AccessError, UserError)):
                    return False
                raise
        return True

    def _lists_files(self, record):
        """The record's files, listed as the attachment box does."""
        try:
            return bool(
                record.env["ir.attachment"].search_read(
                    [("res_model", "=", record._name), ("res_id", "=", record.id)], ["name"]
                )
            )
        except AccessError:
            return False

    def _fetches_messages(self, record):
        """The record's messages, fetched and read as the chatter does."""
        try:
            messages = record.env["mail.message"]._message_fetch(
                [
                    ("res_id", "=", record.id),
                    ("model", "=", record._name),
                    ("message_type", "!=", "user_notification"),
                ]
            )["messages"]
            return bool(messages.read(["body"]))
        except AccessError:
            return False

    # ------------------------------------------------------------------
    # the tests
    # ------------------------------------------------------------------
    def test_the_table_names_every_persona_and_model(self):
        self.assert_rows(self.matrix, self.columns)
        self.assertEqual(set(self.records[self.company_a]), set(self.matrix))

    def test_every_cell(self):
        """0 unexpected cells: each persona on each company's record."""
        unexpected = []
        for company, records in self.records.items():
            for model, cells in sorted(self.matrix.items()):
                record = records[model]
                self.assertEqual(len(record), 1, f"no record of {model} in {company.name}")
                for persona, user in self.personas.items():
                    cell = self._cell(record, user, company)
                    if cell != cells[persona]:
                        unexpected.append(f"{company.name}: {model} / {persona}: {cell}")
        self.assertEqual(unexpected, [], "cells that differ from SECURITY.md")

    def test_another_companys_records_are_out_of_reach(self):
        """Working in company A, nobody gets anything of company B's records."""
        reached = [
            f"{model} / {persona}: {cell}"
            for model, record in sorted(self.records[self.company_b].items())
            if "company_id" in record._fields and record.company_id == self.company_b
            for persona, user in self.personas.items()
            if (cell := self._cell(record, user, self.company_a)).strip(".-")
        ]
        self.assertEqual(reached, [], "company B's records reached from company A")

    def test_a_wizard_is_its_openers(self):
        """The director's money of the day holds everyone's money: a hunter who
        learns its id neither lists nor opens it, and no other wizard of the
        director's is his either."""
        director = self.env(user=self.user_director)
        report = director["sales.money.report"].create({"date": date(2026, 10, 5)})
        line = director["sales.money.report.line"].create(
            {"report_id": report.id, "user_id": self.user_closer.id, "planned_today": 900.0}
        )
        reopen = director["sales.bonus.sheet.reopen"].create(
            {"sheet_id": self.records[self.company_a]["sales.bonus.sheet"].id, "reason": "Late"}
        )
        self.env.invalidate_all()
        hunter = self.env(user=self.user_hunter)
        self.assertFalse(hunter["sales.money.report.line"].search([("report_id", "=", report.id)]))
        for record in (report, line, reopen):
            with self.subTest(model=record._name), self.assertRaises(AccessError):
                record.with_env(hunter).read(["display_name"])
        # the director's own wizard stays the director's to read
        self.assertEqual(line.with_env(director).read(["planned_today"])[0]["planned_today"], 900.0)
