"""The comparison of Odoo's own neighbour tests with and without the addon."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "neighbour_failures.py"
spec = importlib.util.spec_from_file_location("neighbour_failures", SCRIPT)
neighbour_failures = importlib.util.module_from_spec(spec)
spec.loader.exec_module(neighbour_failures)

PREFIX = "2026-12-03 02:46:11,503 23447 ERROR db "
DONE = (
    "2026-12-03 02:50:00,000 1 INFO ? odoo.tests.result: "
    "0 failed, 0 error(s) of {n} tests when loading database 'db'\n"
)


def log(*lines, tests=10):
    return "".join(PREFIX + line + "\n" for line in lines) + DONE.format(n=tests)


def test_failures_read_from_a_log():
    text = log(
        "odoo.addons.crm.tests.test_crm_ui: FAIL: TestUi.test_01_crm_tour",
        "odoo.addons.crm.tests.test_crm_lead: FAIL: Subtest TestCRMLead.test_phone (login='x')",
        "odoo.addons.hr.tests.test_hr_employee: ERROR: TestHrEmployee.test_name",
        "odoo.addons.crm.tests.test_digest: ERROR: setUpClass "
        "(odoo.addons.crm.tests.test_digest.TestCrmDigest)",
        "odoo.modules.loading: Module crm: 5 failures, 0 errors of 106 tests",
    )
    assert neighbour_failures.failures(text) == {
        "crm: TestUi.test_01_crm_tour",
        "crm: TestCRMLead.test_phone",
        "hr: TestHrEmployee.test_name",
        "crm: TestCrmDigest.setUpClass",
    }
    assert neighbour_failures.tests_run(text) == 10


def test_known_failures_need_a_reason():
    known = neighbour_failures.read_known(
        "# comment\n\ncrm: TestCRMLead.test_phone  # no phonenumbers library\n"
    )
    assert known == {"crm: TestCRMLead.test_phone": "no phonenumbers library"}
    with pytest.raises(ValueError, match="line 1: crm: TestA.test_b has no reason"):
        neighbour_failures.read_known("crm: TestA.test_b\n")


def test_compare():
    known = {"crm: TestCRMLead.test_phone": "no phonenumbers", "hr: TestGone.test_x": "fixed"}
    baseline = log(
        "odoo.addons.crm.tests.test_crm_lead: FAIL: TestCRMLead.test_phone",
        "odoo.addons.crm.tests.test_crm_ui: FAIL: TestUi.test_01_crm_tour",
    )
    with_addon = log(
        "odoo.addons.crm.tests.test_crm_lead: FAIL: TestCRMLead.test_phone",
        "odoo.addons.crm.tests.test_crm_lead: FAIL: TestCRMLead.test_new",
    )
    unfinished = PREFIX + "odoo.modules.loading: crashed\n"
    problems, notes = neighbour_failures.compare(
        known, baseline, [("install", with_addon), ("update", unfinished)]
    )
    assert problems == [
        "the run with the addon (update) did not finish: see its log",
        "fails without the addon and is not listed: crm: TestUi.test_01_crm_tour",
        "fails with the addon (install), passes without it: crm: TestCRMLead.test_new",
    ]
    assert notes == ["listed but passes without the addon: hr: TestGone.test_x"]
