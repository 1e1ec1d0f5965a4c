"""The mentor's pay for one trainee (``engine.pay.mentor_pay``), worked by hand."""

from decimal import Decimal as D

from sales_dept_org.engine.pay import mentor_pay, split_target


def test_mentor_pay_at_80_and_120_percent():
    # a closer at 6,000.00 target pay, 30/10/60: a target bonus of 3,600.00;
    # a 10% mentor share is 360.00 at plan
    _fixed, _soft, bonus_target = split_target(D(6000), D(30), D(10))
    assert bonus_target == D("3600.00")
    assert mentor_pay(bonus_target, D(10), D(80)) == D("288.00")  # 360 * 0.8
    assert mentor_pay(bonus_target, D(10), D(120)) == D("432.00")  # 360 * 1.2
    assert mentor_pay(bonus_target, D(10), D(100)) == D("360.00")


def test_mentor_pay_capped_by_the_trainees_scheme():
    # capped at 110%: 120% pays as 110%, 360 * 1.1 = 396.00; 80% is under the cap
    assert mentor_pay(D(3600), D(10), D(120), cap=D(110)) == D("396.00")
    assert mentor_pay(D(3600), D(10), D(80), cap=D(110)) == D("288.00")


def test_mentor_pay_rounds_to_the_cent():
    # 1,234.56 * 7.5% = 92.592; * 66.67% = 61.7311... -> 61.73
    assert mentor_pay(D("1234.56"), D("7.5"), D("66.67")) == D("61.73")
    # a currency without cents: 92.592 * 0.5 = 46.296 -> 46
    assert mentor_pay(D("1234.56"), D("7.5"), D(50), digits=0) == D(46)


def test_no_plan_pays_nothing_and_zero_attainment_pays_zero():
    assert mentor_pay(D(3600), D(10), None) is None
    assert mentor_pay(D(3600), D(10), D(0)) == D("0.00")
