"""Compares Odoo's own tests of the modules the addon extends, run with the
addon installed, against the same tests on a database without it.

    python3 scripts/neighbour_failures.py KNOWN BASELINE_LOG ADDON_LOG...

KNOWN lists the tests that fail without the addon on this kind of machine,
one ``<module>: <Class>.<test>`` a line, each followed by ``#`` and why. The
script fails (exit 1) when:

- a run did not finish (no ``... tests when loading database`` summary);
- a test fails in the baseline and KNOWN does not list it, so that a new
  failure cannot hide among the known ones;
- a test fails with the addon and not in the baseline: the addon broke it.

A test KNOWN lists that passes in the baseline is only reported.
"""

import re
import sys

# "... ERROR db odoo.addons.crm.tests.test_crm_ui: FAIL: TestUi.test_01_crm_tour"
# "... ERROR db odoo.addons.crm.tests.test_crm_lead: FAIL: Subtest TestCRMLead.test_y (login='x')"
FAILURE = re.compile(
    r" odoo\.addons\.(?P<module>\w+)\.tests\.[\w.]+: (?:FAIL|ERROR): "
    r"(?:Subtest )?(?P<test>\w+\.\w+)"
)
# "ERROR: setUpClass (odoo.addons.crm.tests.test_digest.TestCrmDigest)", whatever the logger
CLASS_FAILURE = re.compile(
    r"(?:FAIL|ERROR): (?P<fixture>setUpClass|tearDownClass) "
    r"\(odoo\.addons\.(?P<module>\w+)\.tests\.[\w.]*?(?P<cls>\w+)\)"
)
SUMMARY = re.compile(r"odoo\.tests\.result: .* of (?P<count>\d+) tests when loading database")


def failures(log_text):
    """``{"<module>: <Class>.<test>"}``: the tests a run's log reports failed
    (a class that failed to set up as ``<Class>.setUpClass``)."""
    found = {f"{m['module']}: {m['test']}" for m in FAILURE.finditer(log_text)}
    found |= {f"{m['module']}: {m['cls']}.{m['fixture']}" for m in CLASS_FAILURE.finditer(log_text)}
    return found


def tests_run(log_text):
    """How many tests the run reports, or None when it did not finish."""
    match = SUMMARY.search(log_text)
    return int(match["count"]) if match else None


def read_known(text):
    """``{"<module>: <test>": reason}`` from the KNOWN file."""
    known = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        test, _sep, reason = line.partition("#")
        if not reason.strip():
            raise ValueError(f"line {number}: {test.strip()} has no reason after '#'")
        known[test.strip()] = reason.strip()
    return known


def compare(known, baseline_log, addon_logs):
    """``(problems, notes)``: lines saying what is wrong, and what is only worth knowing."""
    problems, notes = [], []
    logs = {"baseline": baseline_log, **{f"with the addon ({n})": t for n, t in addon_logs}}
    for name, text in logs.items():
        if tests_run(text) is None:
            problems.append(f"the run {name} did not finish: see its log")
    baseline = failures(baseline_log)
    unlisted = sorted(baseline - set(known))
    problems += [f"fails without the addon and is not listed: {test}" for test in unlisted]
    for name, text in addon_logs:
        caused = failures(text) - baseline
        problems += [
            f"fails with the addon ({name}), passes without it: {test}" for test in sorted(caused)
        ]
    passing = sorted(set(known) - baseline)
    notes += [f"listed but passes without the addon: {test}" for test in passing]
    return problems, notes


def main(argv):
    known_path, baseline_path, *addon_paths = argv
    with open(known_path, encoding="utf-8") as known_file:
        known = read_known(known_file.read())
    with open(baseline_path, encoding="utf-8", errors="replace") as baseline_file:
        baseline_log = baseline_file.read()
    addon_logs = []
    for path in addon_paths:
        with open(path, encoding="utf-8", errors="replace") as addon_file:
            addon_logs.append((path.rsplit("/", 1)[-1], addon_file.read()))
    problems, notes = compare(known, baseline_log, addon_logs)
    counts = ", ".join(
        f"{name}: {tests_run(text)} tests, {len(failures(text))} failed"
        for name, text in [("baseline", baseline_log), *addon_logs]
    )
    print(f"Odoo's own tests of the neighbours: {counts}")
    for line in notes:
        print(f"  note: {line}")
    for line in problems:
        print(f"  PROBLEM: {line}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
