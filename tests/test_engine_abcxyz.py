import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_dept_org.engine.abcxyz import (
    check_limits,
    classify,
    coefficient_of_variation,
    xyz_class,
)


def _by_key(result):
    return {item.key: item for item in result}


def test_abc_by_cumulative_share_worked_by_hand():
    # revenues 500, 300, 120, 50, 30 -> total 1000
    # strictly larger before each: 0, 500, 800, 920, 970 (= 0%, 50%, 80%, 92%, 97%)
    # A when above < 80%: p1, p2; B when above < 95%: p3 (80%), p4 (92%); C: p5 (97%)
    customers = {
        "p1": ({0: 500.0}, 2),
        "p2": ({0: 300.0}, 2),
        "p3": ({0: 120.0}, 2),
        "p4": ({0: 50.0}, 2),
        "p5": ({0: 30.0}, 2),
    }
    result = classify(customers, months=1)
    assert [item.key for item in result] == ["p1", "p2", "p3", "p4", "p5"]
    assert [item.abc for item in result] == ["a", "a", "b", "b", "c"]
    assert [item.share for item in result] == [50.0, 30.0, 12.0, 5.0, 3.0]
    assert [item.cumulative_share for item in result] == [50.0, 80.0, 92.0, 97.0, 100.0]


def test_single_dominant_customer_is_a():
    # 900 of 1000: nobody is larger, so 0% above it -> A; the 100 one has 90% above -> B
    result = _by_key(classify({"big": ({0: 900.0}, 3), "small": ({0: 100.0}, 3)}, months=1))
    assert (result["big"].abc, result["small"].abc) == ("a", "b")


def test_tie_at_threshold_gives_one_class_whatever_the_order():
    # 600 + two customers of 200 each: total 1000. Above the tied block: 600 = 60% < 80%,
    # so both are A even though the second one brings the cumulative share to 100%.
    customers = {"z_first": ({0: 200.0}, 2), "big": ({0: 600.0}, 2), "a_last": ({0: 200.0}, 2)}
    result = classify(customers, months=1)
    assert [item.key for item in result] == ["big", "a_last", "z_first"]
    assert {item.key: item.abc for item in result} == {"big": "a", "a_last": "a", "z_first": "a"}


def test_share_exactly_on_the_a_limit_goes_to_b():
    # 800 above out of 1000 is exactly 80%: "less than 80%" fails, so the 150 is B;
    # 950 above the 50 is exactly 95%: C.
    customers = {"p1": ({0: 800.0}, 2), "p2": ({0: 150.0}, 2), "p3": ({0: 50.0}, 2)}
    result = _by_key(classify(customers, months=1))
    assert [result[key].abc for key in ("p1", "p2", "p3")] == ["a", "b", "c"]


def test_tie_block_straddling_a_limit_follows_revenue_above():
    # 700, then three of 100 (total 1000): above the block is 700 = 70% -> all three A,
    # although one by one the cumulative shares would be 80%, 90%, 100%.
    customers = {"p0": ({0: 700.0}, 2), **{f"t{n}": ({0: 100.0}, 2) for n in range(3)}}
    assert {item.abc for item in classify(customers, months=1)} == {"a"}


def test_refunds_only_customer_is_c_and_not_in_the_total():
    # net -50: C, share 0; the other customer holds 100% of the positive revenue
    result = _by_key(classify({"p": ({0: 100.0}, 1), "r": ({0: -50.0}, 0)}, months=1))
    assert (result["r"].abc, result["r"].share) == ("c", 0.0)
    assert result["p"].share == 100.0


def test_cv_worked_by_hand():
    # series 100, 100, 100, 100: sd 0 -> CV 0
    assert coefficient_of_variation([100, 100, 100, 100]) == 0.0
    # series 100, 0, 100, 0: mean 50, deviations +-50, sd 50 -> CV 1.0
    assert coefficient_of_variation([100, 0, 100, 0]) == 1.0
    # series 150, 50: mean 100, sd 50 -> 0.5
    assert coefficient_of_variation([150, 50]) == 0.5
    # 120 in one of 12 months: mean 10, variance (110^2 + 11 * 10^2) / 12 = 1100 -> sd 33.166
    assert coefficient_of_variation([120] + [0] * 11) == pytest.approx(math.sqrt(11), abs=1e-6)
    assert coefficient_of_variation([]) is None
    assert coefficient_of_variation([0, 0]) is None


def test_cv_of_the_months_with_purchases_over_a_window():
    # the same 120 in one of 12 months, given as the one month with a purchase
    assert coefficient_of_variation([120], 12) == pytest.approx(math.sqrt(11), abs=1e-6)
    # 100 and 0 twice, given as the two months with purchases of a 4-month window
    assert coefficient_of_variation([100, 100], 4) == 1.0
    assert coefficient_of_variation([], 12) is None


@given(st.dictionaries(st.integers(0, 23), st.floats(-1e6, 1e7, allow_nan=False), max_size=24))
def test_cv_sparse_equals_the_full_series(monthly):
    full = [monthly.get(month, 0.0) for month in range(24)]
    sparse, dense = coefficient_of_variation(monthly.values(), 24), coefficient_of_variation(full)
    if dense is None:
        assert sparse is None
    else:
        assert sparse == pytest.approx(dense, rel=1e-9, abs=2e-6)


def test_xyz_limits_are_inclusive_and_single_purchase_is_z():
    assert xyz_class(0.5, purchases=4) == "x"  # on the X limit: X
    assert xyz_class(0.500001, purchases=4) == "y"
    assert xyz_class(1.0, purchases=4) == "y"  # on the Y limit: Y
    assert xyz_class(1.000001, purchases=4) == "z"
    assert xyz_class(0.0, purchases=1) == "z"  # one purchase only, even with CV 0
    assert xyz_class(None, purchases=3) == "z"


def test_classify_xyz_over_the_window():
    # 12-month window. reg: 100 every month (CV 0, X). half: 150/50 alternating
    # (mean 100, sd 50, CV 0.5 -> X on the limit). alt: 100/0 alternating (CV 1.0 -> Y).
    # once: one invoice of 1200 in month 3 (CV sqrt(11) but Z anyway: one purchase).
    # once_in_one_month: single month with 2 invoices in a 1-month window (CV 0, X).
    customers = {
        "reg": ({m: 100.0 for m in range(12)}, 12),
        "half": ({m: 150.0 if m % 2 else 50.0 for m in range(12)}, 12),
        "alt": ({m: 100.0 for m in range(0, 12, 2)}, 6),
        "once": ({3: 1200.0}, 1),
    }
    result = _by_key(classify(customers, months=12))
    assert {key: item.xyz for key, item in result.items()} == {
        "reg": "x",
        "half": "x",
        "alt": "y",
        "once": "z",
    }
    assert result["once"].cv == pytest.approx(math.sqrt(11), abs=1e-6)
    assert classify({"two": ({0: 10.0}, 2)}, months=1)[0].xyz == "x"


def test_custom_thresholds_change_the_classes():
    customers = {"p1": ({0: 500.0}, 2), "p2": ({0: 300.0}, 2), "p3": ({0: 200.0}, 2)}
    # A < 50%: only p1 (0% above); B < 90%: p2 (50%) and p3 (80%)
    result = classify(customers, months=1, a_limit=50, b_limit=90)
    assert [item.abc for item in result] == ["a", "b", "b"]


def test_limits_out_of_order_are_refused_with_every_problem():
    problems = check_limits(95, 80, 1.0, 0.5, 0)
    assert len(problems) == 3
    with pytest.raises(ValueError, match="A=95.*X=1.0.*got 0"):
        classify({}, months=0, a_limit=95, b_limit=80, x_limit=1.0, y_limit=0.5)
    assert check_limits(80, 95, 0.5, 1.0, 12) == []
    assert check_limits(80, 80, 0.5, 1.0, 12)  # A equal to B is refused too
