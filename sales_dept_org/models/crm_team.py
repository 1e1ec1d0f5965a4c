from odoo import Command, fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

    sales_task_mode = fields.Selection(
        [("off", "Off"), ("warn", "Warn"), ("enforce", "Enforce")],
        "Mandatory Task",
        default="warn",
        required=True,
        help="No deal without a next step. Off: nothing. Warn: new leads get a first "
        "task and leads without one are flagged and counted. Enforce: also, a lead "
        "cannot change stage without a planned activity, and marking its last "
        "activity done schedules the next step.",
    )

    digest_channel_id = fields.Many2one(
        "discuss.channel",
        "Digest channel",
        copy=False,
        help="Discuss channel receiving the team's meeting digests; created on the first one.",
    )

    def _ensure_digest_channel(self):
        """Creates the missing channels, with the head and the members in them."""
        missing = self.filtered(lambda team: not team.digest_channel_id)
        channels = self.env["discuss.channel"].create(
            [
                {
                    "name": self.env._("Sales: %(team)s", team=team.name),
                    "channel_type": "channel",
                    "channel_member_ids": [
                        Command.create({"partner_id": partner.id})
                        for partner in (team.user_id | team.member_ids).partner_id
                    ],
                }
                for team in missing
            ]
        )
        for team, channel in zip(missing, channels, strict=True):
            team.digest_channel_id = channel
