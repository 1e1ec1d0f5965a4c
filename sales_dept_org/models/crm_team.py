from odoo import Command, fields, models


class CrmTeam(models.Model):
    _inherit = "crm.team"

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
