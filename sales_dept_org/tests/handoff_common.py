"""The hand-off world, on top of ``SalesDeptCommon``.

Stages (no team): "Qualify" (hunter), "Proposal" (closer), "Closed" (won).
Team North (role-split): head ``user_head``; hunter, closer, farmer.
Team East (role-split): head ``user_head_east``; hunter ``user_hunter_east``,
closers ``user_closer_1..3`` (equal capacity: unlimited).
Team Solo (universal): head ``user_director``; ``user_universal``.
"""

from .common import SalesDeptCommon


class HandoffCommon(SalesDeptCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_qualify, cls.stage_proposal, cls.stage_closed = cls.env["crm.stage"].create(
            [
                {"name": "Qualify", "sequence": 1, "responsible_role": "hunter"},
                {"name": "Proposal", "sequence": 2, "responsible_role": "closer"},
                {"name": "Closed", "sequence": 3, "is_won": True},
            ]
        )
        cls.team_north.sales_structure = "split"

        salesperson = "sales_dept_org.group_sales_dept_salesperson"
        cls.user_head_east = cls._sales_user(
            "sdo_head_east", "Ewa Head East", "sales_dept_org.group_sales_dept_head"
        )
        cls.user_hunter_east = cls._sales_user("sdo_hunter_east", "Hubert Hunter", salesperson)
        cls.user_closers = [
            cls._sales_user(f"sdo_closer_{n}", f"Closer {n}", salesperson) for n in (1, 2, 3)
        ]
        cls.user_universal = cls._sales_user("sdo_universal", "Ula Universal", salesperson)
        cls.env["hr.employee"].create(
            [
                {"name": user.name, "user_id": user.id, "sales_role": role}
                for user, role in [
                    (cls.user_head_east, "head"),
                    (cls.user_hunter_east, "hunter"),
                    (cls.user_universal, "universal"),
                ]
                + [(user, "closer") for user in cls.user_closers]
            ]
        )
        cls.team_east = cls.env["crm.team"].create(
            {
                "name": "East",
                "user_id": cls.user_head_east.id,
                "sales_structure": "split",
                "member_ids": [
                    (6, 0, [cls.user_hunter_east.id] + [user.id for user in cls.user_closers])
                ],
            }
        )
        cls.team_solo = cls.env["crm.team"].create(
            {
                "name": "Solo",
                "user_id": cls.user_director.id,
                "sales_structure": "universal",
                "member_ids": [(6, 0, cls.user_universal.ids)],
            }
        )
        # The mandatory first task is another concern (test_mandatory_task):
        # off here, so the activities seen are the hand-off's own.
        (cls.team_north + cls.team_east + cls.team_solo).sales_task_mode = "off"
        cls.customer = cls.env["res.partner"].create(
            {"name": "Instal-Bud", "is_company": True, "email": "biuro@instal-bud.example.com"}
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Marek Instal", "parent_id": cls.customer.id}
        )

    def _leads(self, team, owner, count, stage=None, **values):
        return self.env["crm.lead"].create(
            [
                dict(
                    {
                        "name": f"Lead {team.name} {index}",
                        "type": "opportunity",
                        "team_id": team.id,
                        "user_id": owner.id,
                        "stage_id": (stage or self.stage_qualify).id,
                    },
                    **values,
                )
                for index in range(count)
            ]
        )

    def _members(self, team):
        return {member.user_id: member for member in team.crm_team_member_ids}
