from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Command
from odoo.tests import users

from odoo.addons.sales_dept_org.tests.stage_common import SalesStageCommon


class TestStageRules(SalesStageCommon):
    # ------------------------------------------------------------------
    # each rule alone
    # ------------------------------------------------------------------
    @users("sdo_hunter")
    def test_required_fields_to_enter(self):
        lead = self._north_leads(1, self.stage_new).with_user(self.env.user)
        with self.assertRaises(UserError) as refused:
            lead.write({"stage_id": self.stage_qualified.id})
        self.assertIn("N-Qualified needs Expected Revenue, Phone", str(refused.exception))
        # a field filled in the same save counts: only the revenue is still missing
        with self.assertRaises(UserError) as refused:
            lead.write({"stage_id": self.stage_qualified.id, "phone": "+48 500 000 001"})
        self.assertIn("N-Qualified needs Expected Revenue", str(refused.exception))
        self.assertNotIn("Phone", str(refused.exception))
        self.assertEqual(lead.stage_id, self.stage_new, "nothing was written")
        lead.write(
            {
                "stage_id": self.stage_qualified.id,
                "phone": "+48 500 000 001",
                "expected_revenue": 1000,
            }
        )
        self.assertEqual(lead.stage_id, self.stage_qualified)

    def test_activity_done_before_leaving(self):
        lead = self._north_leads(
            1, self.stage_qualified, phone="+48 1", expected_revenue=10, partner_id=self.customer.id
        )
        # a planned meeting is not a held one
        self._plan(lead, self.meeting_type)
        with self.assertRaises(UserError) as refused:
            lead.write({"stage_id": self.stage_proposal.id})
        self.assertIn("not done before leaving N-Qualified: Meeting", str(refused.exception))
        lead.activity_ids.action_feedback(feedback="held")
        lead.write({"stage_id": self.stage_proposal.id})
        self.assertEqual(lead.stage_id, self.stage_proposal)

    def test_forward_skip_and_back(self):
        lead = self._north_leads(1, self.stage_new, partner_id=self.customer.id)
        with self.assertRaises(UserError) as refused:
            lead.write({"stage_id": self.stage_proposal.id})
        self.assertIn("cannot skip N-Qualified from N-New", str(refused.exception))

        # proposal forbids moving back; qualified allows it
        in_proposal = self._north_leads(1, self.stage_proposal, partner_id=self.customer.id)
        with self.assertRaises(UserError) as refused:
            in_proposal.write({"stage_id": self.stage_qualified.id})
        self.assertIn("moving back from N-Proposal is not allowed", str(refused.exception))
        in_qualified = self._north_leads(1, self.stage_qualified)
        in_qualified.write({"stage_id": self.stage_new.id})
        self.assertEqual(in_qualified.stage_id, self.stage_new)

        # winning is not a skip: from new (no skipping) straight to won
        fast_deal = self._north_leads(1, self.stage_new, partner_id=self.customer.id)
        fast_deal.action_set_won()
        self.assertEqual(fast_deal.stage_id, self.stage_won)

        # negotiation allows skipping: straight to won with a customer
        in_negotiation = self._north_leads(1, self.stage_negotiation, partner_id=self.customer.id)
        in_negotiation.write({"stage_id": self.stage_won.id})
        self.assertEqual(in_negotiation.stage_id, self.stage_won)

    # ------------------------------------------------------------------
    # combined: one message with everything
    # ------------------------------------------------------------------
    def test_one_message_lists_everything_missing(self):
        self.team_north.sales_task_mode = "enforce"
        lead = self._north_leads(1, self.stage_qualified, name="Pompy ciepła")
        lead.activity_ids.unlink()
        with self.assertRaises(UserError) as refused:
            lead.write({"stage_id": self.stage_negotiation.id})
        message = str(refused.exception)
        for expected in (
            '"Pompy ciepła"',
            "N-Negotiation needs Expected Closing",
            "cannot skip N-Proposal from N-Qualified",
            "not done before leaving N-Qualified: Meeting",
            "no planned activity",
        ):
            self.assertIn(expected, message)
        self.assertEqual(message.count("\n- "), 1, "one line per refused lead")

    def test_batch_with_one_bad_lead_is_refused_whole(self):
        good = self._north_leads(2, self.stage_new, phone="+48 1", expected_revenue=100)
        bad = self._north_leads(1, self.stage_new, name="Bez telefonu", expected_revenue=100)
        leads = good + bad
        logs_before = self.env["sales.lead.stage.log"].search_count([("lead_id", "in", leads.ids)])
        with self.assertRaises(UserError) as refused:
            leads.write({"stage_id": self.stage_qualified.id})
        message = str(refused.exception)
        self.assertIn("refused for 1 lead(s)", message)
        self.assertIn('"Bez telefonu": N-Qualified needs Phone', message)
        self.assertNotIn("Lead 0", message)
        self.assertEqual(leads.mapped("stage_id"), self.stage_new, "no lead moved")
        self.assertEqual(
            self.env["sales.lead.stage.log"].search_count([("lead_id", "in", leads.ids)]),
            logs_before,
            "no log row written",
        )

    # ------------------------------------------------------------------
    # every path: buttons, merge, conversion, import
    # ------------------------------------------------------------------
    @users("sdo_hunter")
    def test_form_and_kanban_save_obey_rules(self):
        """The web client saves a form, a kanban drag and a list edit with
        ``web_save``: it ends in the same checked write."""
        lead = self._north_leads(1, self.stage_new).with_user(self.env.user)
        with self.assertRaises(UserError) as refused:
            lead.web_save({"stage_id": self.stage_qualified.id}, specification={})
        self.assertIn("N-Qualified needs Expected Revenue, Phone", str(refused.exception))
        self.assertEqual(lead.stage_id, self.stage_new)

    def test_won_button_obeys_rules(self):
        lead = self._north_leads(1, self.stage_negotiation)
        with self.assertRaises(UserError) as refused:
            lead.action_set_won()
        self.assertIn("N-Won needs Customer", str(refused.exception))
        lead.partner_id = self.customer
        lead.action_set_won()
        self.assertEqual(lead.stage_id, self.stage_won)

    @users("sdo_hunter")
    def test_won_stage_creates_the_missing_customer(self):
        """With "Create the Customer When Missing", the stage's "Customer"
        requirement is met by the customer it creates: the contact with the
        lead's e-mail in the lead's company (another company's is not
        taken), else a new contact from the lead, else one named after it."""
        self.stage_won.sales_create_customer = True
        self.customer.email = "biuro@instal-bud.pl"
        self.env["res.partner"].sudo().create(
            {
                "name": "Anna Nowak (other company)",
                "email": "anna@nowak.pl",
                "company_id": self._new_york("sdo_nora_won")[0].id,
            }
        )
        self.assertFalse(self.env.user.has_group("base.group_partner_manager"))
        known, contact, bare = self._north_leads(
            3, self.stage_negotiation, date_deadline="2026-12-31"
        ).with_user(self.env.user)
        known.email_from = "Biuro <BIURO@instal-bud.pl>"
        contact.write({"contact_name": "Anna Nowak", "email_from": "anna@nowak.pl"})
        partners_before = self.env["res.partner"].sudo().search_count([])

        (known | contact | bare).write({"stage_id": self.stage_won.id})

        self.assertEqual((known | contact | bare).stage_id, self.stage_won)
        self.assertEqual(known.partner_id, self.customer)
        # a new contact as Odoo's conversion makes it: shared by the companies
        self.assertEqual(
            (contact.partner_id.name, contact.partner_id.email, contact.partner_id.company_id),
            ("Anna Nowak", "anna@nowak.pl", self.env["res.company"]),
        )
        self.assertEqual(bare.partner_id.name, "Lead 2")
        self.assertEqual(self.env["res.partner"].sudo().search_count([]), partners_before + 2)

    def test_won_button_creates_the_missing_customer_once(self):
        self.stage_won.sales_create_customer = True
        lead = self._north_leads(1, self.stage_negotiation, date_deadline="2026-12-31")
        lead.action_set_won()
        customer = lead.partner_id
        self.assertEqual((lead.stage_id, customer.name), (self.stage_won, "Lead 0"))
        # back and won again: the customer it has is kept, none is added
        lead.write({"stage_id": self.stage_negotiation.id})
        lead.action_set_won()
        self.assertEqual(lead.partner_id, customer)
        self.assertEqual(self.env["res.partner"].search_count([("name", "=", "Lead 0")]), 1)

    def test_history_written_with_the_rules_off_gets_no_customer(self):
        self.stage_won.sales_create_customer = True
        lead = self._north_leads(1, self.stage_won)
        lead.with_context(sales_stage_rules_off=True).write({"stage_id": self.stage_negotiation.id})
        lead.with_context(sales_stage_rules_off=True).write({"stage_id": self.stage_won.id})
        self.assertEqual(lead.stage_id, self.stage_won)
        self.assertFalse(lead.partner_id)

    def test_stage_creating_the_customer_still_checks_its_other_rules(self):
        """Nothing is created when the move is refused for another reason."""
        self.stage_won.write(
            {
                "sales_create_customer": True,
                "sales_required_field_ids": [Command.link(self.lead_field["expected_revenue"].id)],
            }
        )
        lead = self._north_leads(1, self.stage_negotiation, date_deadline="2026-12-31")
        with self.assertRaises(UserError) as refused:
            lead.action_set_won()
        self.assertIn("N-Won needs Expected Revenue", str(refused.exception))
        self.assertNotIn("Customer", str(refused.exception))
        self.assertFalse(lead.partner_id)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Lead 0")]))

    def test_conversion_to_opportunity_obeys_rules(self):
        # a lead lands in the first stage its team sees (crm's generic test
        # stage, sequence 3) without a check; becoming an opportunity enters it
        self.stage_gen_1.sales_required_field_ids = self.lead_field["email_from"]
        lead = self.env["crm.lead"].create(
            {"name": "Z formularza", "type": "lead", "team_id": self.team_north.id}
        )
        self.assertEqual(lead.stage_id, self.stage_gen_1)
        with self.assertRaises(UserError) as refused:
            lead.convert_opportunity(self.customer)
        self.assertIn("Generic stage needs Email", str(refused.exception))
        self.assertEqual(lead.type, "lead")
        lead.email_from = "kontakt@example.com"
        lead.convert_opportunity(self.customer)
        self.assertEqual((lead.type, lead.stage_id), ("opportunity", self.stage_gen_1))

    def test_merge_obeys_rules(self):
        # merged under team North, a head in team 1's stage lands in the first
        # stage North sees (crm's generic test stage)
        self.stage_gen_1.sales_required_field_ids = self.lead_field["email_from"]
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": name,
                    "type": "opportunity",
                    "team_id": self.sales_team_1.id,
                    "stage_id": self.stage_team1_1.id,
                }
                for name in ("Head", "Tail")
            ]
        )
        with self.assertRaises(UserError) as refused:
            leads.merge_opportunity(team_id=self.team_north.id)
        self.assertIn("Generic stage needs Email", str(refused.exception))
        self.assertEqual(len(leads.exists()), 2, "nothing merged")
        leads.write({"email_from": "a@example.com"})
        merged = leads.merge_opportunity(team_id=self.team_north.id)
        self.assertEqual(merged.stage_id, self.stage_gen_1)

    @users("sdo_hunter")
    def test_rpc_create_into_regulated_stage(self):
        """An integrator's create naming a stage meets that stage's entry fields."""
        values = {"name": "Z API", "team_id": self.team_north.id, "user_id": self.user_hunter.id}
        with self.assertRaises(UserError) as refused:
            self.env["crm.lead"].create(dict(values, stage_id=self.stage_qualified.id))
        self.assertIn("N-Qualified needs Expected Revenue, Phone", str(refused.exception))
        lead = self.env["crm.lead"].create(
            dict(values, stage_id=self.stage_qualified.id, phone="+48 1", expected_revenue=9)
        )
        self.assertEqual(lead.stage_id, self.stage_qualified)

    def test_import_into_regulated_stage(self):
        csv = (
            "name,type,team_id/id,stage_id/id,phone,expected_revenue\n"
            "Ok,opportunity,{team},{stage},+48 1,500\n"
            "No phone,opportunity,{team},{stage},,500\n"
        )
        self.env["ir.model.data"]._update_xmlids(
            [
                {"xml_id": "__test__.north", "record": self.team_north},
                {"xml_id": "__test__.qualified", "record": self.stage_qualified},
            ]
        )
        data = csv.format(team="__test__.north", stage="__test__.qualified").encode()
        importer = self.env["base_import.import"].create(
            {
                "res_model": "crm.lead",
                "file": data,
                "file_type": "text/csv",
                "file_name": "leads.csv",
            }
        )
        columns = ["name", "type", "team_id/id", "stage_id/id", "phone", "expected_revenue"]
        result = importer.execute_import(
            columns, columns, {"quoting": '"', "separator": ",", "has_headers": True}
        )
        messages = " ".join(message["message"] for message in result["messages"])
        self.assertIn("N-Qualified needs Phone", messages)
        self.assertFalse(result["ids"])
        self.assertFalse(self.env["crm.lead"].search([("name", "in", ("Ok", "No phone"))]))

    # ------------------------------------------------------------------
    # override and switches
    # ------------------------------------------------------------------
    @users("sdo_head")
    def test_override_by_head_is_logged_and_counted(self):
        lead = self._north_leads(1, self.stage_new, name="Pilne")
        wizard = (
            self.env["sales.stage.override.wizard"]
            .with_context(active_model="crm.lead", active_ids=lead.ids)
            .create({"stage_id": self.stage_proposal.id, "reason": "Klient podpisuje dziś"})
        )
        self.assertEqual(wizard.lead_ids, lead)
        wizard.action_confirm()
        lead = lead.sudo()
        self.assertEqual(lead.stage_id, self.stage_proposal)
        row = lead.sales_stage_log_ids.filtered(lambda log: not log.date_out)
        self.assertEqual(row.override_reason, "Klient podpisuje dziś")
        self.assertEqual(row.changed_by_id, self.user_head)
        note = lead.message_ids[:1]
        self.assertIn("Klient podpisuje dziś", note.body)
        self.assertIn("cannot skip N-Qualified", note.body)
        daily = self.env["sales.discipline.daily"].sudo()._sales_refresh()
        # the override is counted for the lead's owner (the hunter), once
        self.assertEqual(
            daily.filtered(lambda row: row.user_id == self.user_hunter).stage_overrides, 1
        )

    @users("sdo_hunter")
    def test_override_by_salesperson_is_refused(self):
        lead = self._north_leads(1, self.stage_new).with_user(self.env.user)
        with self.assertRaises(AccessError):
            self.env["sales.stage.override.wizard"].create(
                {"lead_ids": lead.ids, "stage_id": self.stage_proposal.id, "reason": "x"}
            )
        with self.assertRaises(UserError) as refused:
            lead.with_context(sales_stage_override_reason="bo tak").write(
                {"stage_id": self.stage_proposal.id}
            )
        self.assertIn("Only a team head may override", str(refused.exception))
        # the administrators' switch is ignored for a salesperson
        with self.assertRaises(UserError):
            lead.with_context(sales_stage_rules_off=True).write(
                {"stage_id": self.stage_proposal.id}
            )
        self.assertEqual(lead.stage_id, self.stage_new)

    def test_rules_off_switch_for_administrators(self):
        lead = self._north_leads(1, self.stage_new)
        lead.with_context(sales_stage_rules_off=True).write({"stage_id": self.stage_won.id})
        self.assertEqual(lead.stage_id, self.stage_won)

    # ------------------------------------------------------------------
    # the rules themselves: only what a lead can meet
    # ------------------------------------------------------------------
    def test_rules_hold_only_lead_fields_and_lead_activity_types(self):
        partner_email = self.env["ir.model.fields"]._get("res.partner", "email")
        invoice_type = self.env["mail.activity.type"].create(
            {"name": "Check the invoice", "res_model": "account.move"}
        )
        Fields = self.env["ir.model.fields"]._description
        ActivityType = self.env["mail.activity.type"]._description
        cases = {
            # a partner's e-mail used to be saved, then every move failed on KeyError 'email'
            "field of another model": (
                {"sales_required_field_ids": [Command.link(partner_email.id)]},
                "Stage N-Qualified: required field Email (email) belongs to res.partner, "
                "not to a lead.",
            ),
            "list of records": (
                {"sales_required_field_ids": [Command.link(self.lead_field["activity_ids"].id)]},
                "Stage N-Qualified: required field Activities (activity_ids) cannot be required",
            ),
            "activity type of another model": (
                {"sales_required_activity_type_ids": [Command.link(invoice_type.id)]},
                "Stage N-Qualified: activity type Check the invoice is for account.move, it "
                "cannot be done on a lead.",
            ),
            # ids that do not exist: named, not the database's generic message
            "missing field": (
                {"sales_required_field_ids": [Command.set([999_999_001])]},
                f"Stage N-Qualified, Required to Enter: no {Fields} with id 999999001.",
            ),
            "missing activity type": (
                {"sales_required_activity_type_ids": [Command.link(999_999_002)]},
                f"Stage N-Qualified, Done Before Leaving: no {ActivityType} with id 999999002.",
            ),
        }
        for name, (vals, message) in cases.items():
            with self.subTest(name), self.assertRaises(ValidationError) as refused:
                with self.cr.savepoint():
                    self.stage_qualified.write(vals)
            self.assertIn(message, str(refused.exception))
        self.stage_qualified.invalidate_recordset()
        self.assertEqual(self.stage_qualified.sales_required_field_ids.mapped("name"), [
            "expected_revenue", "phone"
        ])  # fmt: skip
        self.assertEqual(self.stage_qualified.sales_required_activity_type_ids, self.meeting_type)
        # a new stage is checked too, and every offender of a batch named at once
        with self.assertRaises(ValidationError) as refused:
            self.env["crm.stage"].create(
                [
                    {"name": "Bad 1", "sales_required_field_ids": [Command.link(partner_email.id)]},
                    {
                        "name": "Bad 2",
                        "sales_required_activity_type_ids": [Command.link(invoice_type.id)],
                    },
                ]
            )
        self.assertIn("Stage Bad 1: required field Email", str(refused.exception))
        self.assertIn("Stage Bad 2: activity type Check the invoice", str(refused.exception))

    def test_deleted_activity_type_leaves_the_rule(self):
        # a type the rule needs is deleted: the rule drops it, no "another model
        # requires the record" error, and leads leave the stage without it
        check = self.env["mail.activity.type"].create({"name": "Site visit"})
        self.stage_qualified.sales_required_activity_type_ids = [Command.link(check.id)]
        check.unlink()
        self.assertEqual(self.stage_qualified.sales_required_activity_type_ids, self.meeting_type)

    # ------------------------------------------------------------------
    # access and defaults
    # ------------------------------------------------------------------
    @users("sdo_hunter", "sdo_head")
    def test_salesperson_and_head_cannot_edit_stage_rules(self):
        stage = self.stage_qualified.with_user(self.env.user)
        self.assertFalse(stage.sales_allow_skip, "they can read the rules")
        with self.assertRaises(AccessError):
            stage.write({"sales_allow_skip": True})

    def test_fresh_install_follows_the_article(self):
        new, qualified, proposal, negotiation, won = (
            self.env.ref(xmlid)
            for xmlid in (
                "crm.stage_lead1",
                "crm.stage_lead2",
                "crm.stage_lead3",
                "sales_dept_org.crm_stage_negotiation",
                "crm.stage_lead4",
            )
        )
        self.assertEqual(
            [s.responsible_role for s in (new, qualified, proposal, negotiation, won)],
            ["hunter", "hunter", "closer", "closer", "farmer"],
        )
        self.assertEqual(qualified.sales_required_activity_type_ids, self.meeting_type)
        self.assertEqual(qualified.sales_required_field_ids.mapped("name"), ["phone"])
        self.assertIn("meeting", qualified.sales_script)
        self.assertTrue(
            all(not s.sales_allow_skip for s in (new, qualified, proposal, negotiation))
        )
        # a deal is won without paperwork: the won stage creates the customer
        self.assertEqual(
            [bool(s.sales_create_customer) for s in (new, qualified, proposal, negotiation, won)],
            [False, False, False, False, True],
        )
        self.assertFalse(won.sales_required_field_ids)
