"""The Polish translation covers the template: every msgid of
``sales_dept_org.pot`` has a Polish msgstr with the same placeholders and
HTML tags (a lost ``%(name)s`` raises at run time, a lost tag breaks a view)."""

import re
from collections import Counter
from pathlib import Path

import polib
import pytest

I18N = Path(__file__).resolve().parent.parent / "sales_dept_org" / "i18n"
# %(name)s and %s style, then {name} / {0} / {} style.
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{[^{}]*\}")
TAG = re.compile(r"<[^>]+>")


def _catalogs():
    return polib.pofile(str(I18N / "sales_dept_org.pot")), polib.pofile(str(I18N / "pl.po"))


def test_polish_header():
    _pot, po = _catalogs()
    assert po.metadata["Language"] == "pl"
    assert po.metadata["Plural-Forms"].startswith("nplurals=4;")


def test_every_template_msgid_is_translated():
    pot, po = _catalogs()
    translations = {entry.msgid: entry for entry in po if not entry.obsolete}
    missing = [entry.msgid for entry in pot if entry.msgid not in translations]
    empty = [
        entry.msgid
        for entry in pot
        if entry.msgid in translations and not translations[entry.msgid].msgstr.strip()
    ]
    fuzzy = [entry.msgid for entry in po if "fuzzy" in entry.flags]
    assert (missing, empty, fuzzy) == ([], [], [])


@pytest.mark.parametrize("pattern", [PLACEHOLDER, TAG], ids=["placeholders", "html-tags"])
def test_translations_keep_placeholders_and_tags(pattern):
    _pot, po = _catalogs()
    wrong = [
        (entry.msgid, entry.msgstr)
        for entry in po
        if entry.msgstr
        and Counter(pattern.findall(entry.msgid)) != Counter(pattern.findall(entry.msgstr))
    ]
    assert wrong == []


def test_the_checks_see_a_lost_placeholder():
    """The pattern itself: a dropped or renamed placeholder is a difference."""
    source = "Handed off from %(old)s to %(new)s among the %(role)ss of {team}"
    assert Counter(PLACEHOLDER.findall(source)) == Counter(
        ["%(old)s", "%(new)s", "%(role)s", "{team}"]
    )
    assert Counter(PLACEHOLDER.findall("od %(old)s do %(nowy)s")) != Counter(
        PLACEHOLDER.findall(source)
    )
