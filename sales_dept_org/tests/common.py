"""The test world of sales_dept_org, built once per class on crm's fixtures.

Team "North" of the main company, led by ``user_head``:
    user_hunter (hunter), user_closer (closer), user_farmer (farmer)
Outside the team: ``user_director`` (sales director, all teams) and
``user_accountant`` (bonus accountant). Each person has an employee carrying
their sales role. No demo data is used. ``_new_york`` adds a second company
in another time zone.
"""

from odoo.addons.crm.tests.common import TestCrmCommon
from odoo.addons.mail.tests.common import mail_new_test_user


class SalesDeptCommon(TestCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.group_salesperson = cls.env.ref("sales_dept_org.group_sales_dept_salesperson")
        cls.group_head = cls.env.ref("sales_dept_org.group_sales_dept_head")
        cls.group_director = cls.env.ref("sales_dept_org.group_sales_dept_director")
        cls.group_accountant = cls.env.ref("sales_dept_org.group_sales_dept_accountant")
        cls.group_admin = cls.env.ref("sales_dept_org.group_sales_dept_admin")

        cls.user_director = cls._sales_user(
            "sdo_director", "Anna Director", "sales_dept_org.group_sales_dept_director"
        )
        cls.user_head = cls._sales_user(
            "sdo_head", "Piotr Head", "sales_dept_org.group_sales_dept_head"
        )
        cls.user_hunter = cls._sales_user(
            "sdo_hunter", "Jan Hunter", "sales_dept_org.group_sales_dept_salesperson"
        )
        cls.user_closer = cls._sales_user(
            "sdo_closer", "Tomasz Closer", "sales_dept_org.group_sales_dept_salesperson"
        )
        cls.user_farmer = cls._sales_user(
            "sdo_farmer", "Agnieszka Farmer", "sales_dept_org.group_sales_dept_salesperson"
        )
        cls.user_accountant = cls._sales_user(
            "sdo_accountant", "Barbara Accountant", "sales_dept_org.group_sales_dept_accountant"
        )

        cls.employees = cls.env["hr.employee"].create(
            [
                {"name": user.name, "user_id": user.id, "sales_role": role}
                for user, role in (
                    (cls.user_director, "head"),
                    (cls.user_head, "head"),
                    (cls.user_hunter, "hunter"),
                    (cls.user_closer, "closer"),
                    (cls.user_farmer, "farmer"),
                )
            ]
        )
        (
            cls.employee_director,
            cls.employee_head,
            cls.employee_hunter,
            cls.employee_closer,
            cls.employee_farmer,
        ) = cls.employees

        cls.team_north = cls.env["crm.team"].create(
            {
                "name": "North",
                "user_id": cls.user_head.id,
                "member_ids": [(6, 0, (cls.user_hunter + cls.user_closer + cls.user_farmer).ids)],
            }
        )

    @classmethod
    def _sales_user(cls, login, name, group_xmlid):
        return mail_new_test_user(
            cls.env,
            login=login,
            name=name,
            email=f"{login}@test.example.com",
            groups=group_xmlid,
            tz="Europe/Warsaw",
        )

    @classmethod
    def _new_york(cls, login, **team_values):
        """(company, user, team): a second company whose days are New York's,
        with a salesperson, Nora, in its team Manhattan."""
        company = cls.env["res.company"].create({"name": "Big Apple Inc"})
        company.resource_calendar_id.tz = "America/New_York"
        nora = cls.env["res.users"].create(
            {
                "name": "Nora York",
                "login": login,
                "company_id": company.id,
                "company_ids": [(6, 0, company.ids)],
                "groups_id": [(6, 0, cls.env.ref("sales_team.group_sale_salesman").ids)],
            }
        )
        team = cls.env["crm.team"].create(
            dict(
                {"name": "Manhattan", "company_id": company.id, "member_ids": [(4, nora.id)]},
                **team_values,
            )
        )
        return company, nora, team
