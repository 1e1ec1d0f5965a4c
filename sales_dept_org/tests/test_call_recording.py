"""Who hears a call's recording: its agent, the head of the agent's team and
the director, through Odoo; nobody else, and nobody sees the PBX's address."""

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from odoo.addons.mail.tests.common import mail_new_test_user

from .call_common import CallCommon

SOUND = b"RIFF$\x00\x00\x00WAVEfmt "  # the start of a WAV file is enough here


@tagged("post_install", "-at_install")
class TestCallRecording(HttpCase, CallCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_employee = mail_new_test_user(
            cls.env, login="sdo_employee", name="Olga Employee", groups="base.group_user"
        )
        cls.calls = {}
        for key, agent in (("jan", "101"), ("tomasz", "102"), ("hubert", "201")):
            call = cls._log(
                event_id=f"rec-{key}", agent=agent, recording_url="https://pbx.example.com/r.wav"
            )
            call.recording_attachment_id = cls.env["ir.attachment"].create(
                {
                    "name": f"{key}.wav",
                    "raw": SOUND,
                    "mimetype": "audio/wav",
                    "res_model": "sales.call",
                    "res_id": call.id,
                }
            )
            cls.calls[key] = call

    def test_the_rights_matrix(self):
        # who: (login, the calls they hear)
        matrix = {
            "sdo_hunter": {"jan"},
            "sdo_closer": {"tomasz"},
            "sdo_head": {"jan", "tomasz"},
            "sdo_head_east": {"hubert"},
            "sdo_director": {"jan", "tomasz", "hubert"},
            "sdo_employee": set(),
        }
        for login, hears in matrix.items():
            self.authenticate(login, login)
            for key, call in self.calls.items():
                with self.subTest(login=login, call=key):
                    response = self.url_open(f"/sales_dept_org/call/{call.id}/recording")
                    if key in hears:
                        self.assertEqual(response.status_code, 200)
                        self.assertEqual(response.content, SOUND)
                    else:
                        self.assertEqual(response.status_code, 403)
        self.authenticate(None, None)
        response = self.url_open(
            f"/sales_dept_org/call/{self.calls['jan'].id}/recording", allow_redirects=False
        )
        self.assertNotEqual(response.status_code, 200)  # to the login page

    def test_a_missing_call_is_not_found(self):
        self.authenticate("sdo_director", "sdo_director")
        self.assertEqual(self.url_open("/sales_dept_org/call/999999/recording").status_code, 404)

    def test_the_pbx_address_is_for_administrators_only(self):
        call = self.calls["jan"]
        for user in (self.user_hunter, self.user_head, self.user_director):
            with self.subTest(user=user.name), self.assertRaises(AccessError):
                call.with_user(user).read(["recording_url"])
        self.assertEqual(
            call.with_user(self.user_admin).recording_url, "https://pbx.example.com/r.wav"
        )

    def test_only_a_sales_administrator_gets_a_token(self):
        with self.assertRaises(AccessError):
            self.integration.with_user(self.user_director).rotate_token()
        self.assertTrue(self.integration.with_user(self.user_admin).rotate_token())
