"""The browser tours of the suite are never skipped silently.

The tours are Odoo ``HttpCase`` tests driving a headless Chromium. pytest-odoo
runs them only with ``--odoo-http`` (``scripts/sdo`` gives it when Chromium is
there), and Odoo's browser helper *skips* a test, instead of failing it, when
Chromium, ``websocket-client`` or the browser's debugging port is missing.
Here:

- with ``--odoo-http``, an ``HttpCase`` test that is skipped fails instead,
  with the reason it would have been skipped for;
- with ``SDO_REQUIRE_TOURS`` set (``.ci/run`` where Chromium is installable),
  a run in which no browser test passed fails;
- the summary ends with one line counting the browser tests run, or saying
  why they were not.

Before the first tour the web client's asset bundles are generated once and
committed, as Odoo's own runner does before its post-install tests: built
inside each test's transaction they would be rebuilt for every tour. The
configuration's ``dbfilter`` (which ``make demo`` points at the demo
database) is lifted for the run, or the browser's requests would be refused
the test database.

Nothing here imports Odoo unless pytest-odoo already did: the odoo-free tests
(``make test-engine``) run through this file too.
"""

import os
import sys

import pytest

_BROWSER_TESTS = "sales_browser_tests"


def _http_case_class():
    common = sys.modules.get("odoo.tests.common")
    return common.HttpCase if common else None


def _is_browser_test(item):
    http_case, cls = _http_case_class(), getattr(item, "cls", None)
    return bool(http_case and cls and issubclass(cls, http_case))


def _browser_asked(config):
    return bool(config.getoption("--odoo-http", default=False))


def _skip_reason(report):
    longrepr = report.longrepr
    return longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)


def pytest_configure(config):
    config.stash[_BROWSER_TESTS] = {"passed": 0, "failed": 0, "skipped": 0, "reasons": set()}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not _is_browser_test(item) or not (report.when == "call" or report.skipped):
        return
    counts = item.config.stash[_BROWSER_TESTS]
    if report.skipped and _browser_asked(item.config):
        reason = _skip_reason(report)
        report.outcome = "failed"
        report.longrepr = (
            f"browser test skipped although --odoo-http asked for the browser tours: {reason}"
        )
    if report.skipped:
        counts["reasons"].add(_skip_reason(report))
    counts[report.outcome] += 1


@pytest.fixture(scope="session", autouse=True)
def _browser_ready(request):
    """Serves the test database to the browser and builds the web client's
    bundles once, committed, before the first tour."""
    if not _browser_asked(request.config) or not any(
        _is_browser_test(item) for item in request.session.items
    ):
        yield
        return
    request.getfixturevalue("load_registry")
    odoo = sys.modules["odoo"]
    odoo.tools.config["dbfilter"] = ""
    registry = odoo.modules.registry.Registry(odoo.tools.config["db_name"])
    with registry.cursor() as cr:
        odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})["ir.qweb"]._pregenerate_assets_bundles()
    yield


def pytest_sessionfinish(session, exitstatus):
    counts = session.config.stash[_BROWSER_TESTS]
    if os.environ.get("SDO_REQUIRE_TOURS") and not counts["passed"]:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    counts = config.stash[_BROWSER_TESTS]
    total = counts["passed"] + counts["failed"] + counts["skipped"]
    if counts["skipped"]:
        line = f"Browser tours: {counts['skipped']} of {total} not run: " + "; ".join(
            sorted(counts["reasons"])
        )
    elif total:
        line = f"Browser tours: {total} run ({counts['passed']} passed, {counts['failed']} failed)"
    elif _http_case_class():
        line = "Browser tours: none collected"
    else:
        return
    if os.environ.get("SDO_REQUIRE_TOURS") and not counts["passed"]:
        line += " (SDO_REQUIRE_TOURS is set: the run fails)"
    terminalreporter.write_line(line)
