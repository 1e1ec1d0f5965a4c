from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sales_dept_org.engine.pay import (
    HUNDRED,
    MetricResult,
    Tier,
    attainment_percent,
    bonus_payout,
    check_cap,
    check_shares,
    check_target,
    check_tiers,
    check_weights,
    compute_pay,
    discipline_score,
    metric_results,
    next_step,
    next_tier,
    share_of_target,
    simulate,
    split_target,
    three_times,
    tier_payout,
)

# The closer's shipped tiers: nothing below 70%; 40% of the bonus at 70%
# rising one point per point to 70% just under plan; a step to 100% at plan
# (big threshold); then three points per point above plan (accelerator).
CLOSER = [
    Tier(D(70), D(100), D(40), D(1)),
    Tier(D(100), None, D(100), D(3)),
]


def test_tier_payout_worked_by_hand():
    assert tier_payout(CLOSER, D(69.99)) == 0  # below the threshold: nothing
    assert tier_payout(CLOSER, D(70)) == 40
    assert tier_payout(CLOSER, D(85)) == 55  # 40 + 1 * (85 - 70)
    assert tier_payout(CLOSER, D("99.5")) == D("69.5")
    assert tier_payout(CLOSER, D(100)) == 100  # the step at plan
    assert tier_payout(CLOSER, D(120)) == 160  # 100 + 3 * 20: three times more


def test_next_tier_is_the_next_start_above():
    assert next_tier(CLOSER, D(50)).attainment_from == 70
    assert next_tier(CLOSER, D(85)).attainment_from == 100
    assert next_tier(CLOSER, D(100)) is None


def test_attainment_without_plan_is_zero():
    assert attainment_percent(D(0), D(500)) == 0
    assert attainment_percent(D(200), D(50)) == 25
    assert attainment_percent(D(200), D(-50)) == 0
    assert attainment_percent(D(200), D(500)) == 250  # pay is never capped here


def test_attainment_of_a_metric_to_keep_low():
    # plan: at most 10 overdue tasks; 8 is within plan, 12.5 is 10/12.5, 20 is half
    assert attainment_percent(D(10), D(8), higher_is_better=False) == 100
    assert attainment_percent(D(10), D("12.5"), higher_is_better=False) == 80
    assert attainment_percent(D(10), D(20), higher_is_better=False) == 50


def test_next_step_worked_by_hand():
    # more is better: 850 of 1,000 is 85%; the next tier starts at 100%: 150 more
    assert next_step(CLOSER, D(1000), D(850)) == (CLOSER[1], 150)
    assert next_step(CLOSER, D(1000), D(1200)) == (None, 0)  # on the last tier
    assert next_step(CLOSER, D(0), D(5)) == (None, 0)  # no plan
    # less is better: 20 overdue tasks against 10 is 50%; 70% needs at most
    # 10 / 0.7 = 14.29 tasks, 5.71 less; from 12.5 (80%) plan itself, 2.5 less
    tier, less = next_step(CLOSER, D(10), D(20), higher_is_better=False)
    assert (tier, round(less, 2)) == (CLOSER[0], D("5.71"))
    assert next_step(CLOSER, D(10), D("12.5"), higher_is_better=False) == (CLOSER[1], D("2.5"))
    # at plan: the tier above 100% is out of reach of a metric to keep low
    assert next_step(CLOSER, D(10), D(3), higher_is_better=False) == (None, 0)
    above = [Tier(D(70), D(110), D(40), D(2)), Tier(D(110), None, D(120), D(1))]
    assert next_step(above, D(10), D(10), higher_is_better=False) == (None, 0)


def test_a_scheme_on_a_metric_to_keep_low_pays_more_as_the_count_falls():
    # target 9,000 at 30/10/60: bonus target 5,400 on overdue tasks alone (weight
    # 100), plan 10. 20 tasks: 50%, below the 70% threshold: 0. 12.5 tasks:
    # 80%, pays 40 + 1 * 10 = 50%: 2,700. 10 tasks or fewer: 100%: 5,400.
    bonuses = []
    for fact in (D(20), D("12.5"), D(10), D(4)):
        reached = attainment_percent(D(10), fact, higher_is_better=False)
        results = metric_results(CLOSER, [(HUNDRED, reached)])
        bonuses.append(compute_pay(D(9000), (D(30), D(10), D(60)), HUNDRED, results).bonus)
    assert bonuses == [0, 2700, 5400, 5400]


def test_whole_pay_worked_by_hand():
    # target 9,000.00 at 30/10/60: fixed 2,700.00, soft target 900.00, bonus target 5,400.00
    # revenue (weight 70) at 120% pays 160%, new customers (weight 30) at 85% pays 55%
    # weighted payout = (70 * 160 + 30 * 55) / 100 = (11,200 + 1,650) / 100 = 128.5%
    # bonus = 5,400 * 1.285 = 6,939.00; soft at score 90 = 810.00
    results = metric_results(CLOSER, [(D(70), D(120)), (D(30), D(85))])
    pay = compute_pay(D(9000), (D(30), D(10), D(60)), D(90), results)
    assert (pay.fixed, pay.soft_target, pay.soft) == (D("2700.00"), D("900.00"), D("810.00"))
    assert (pay.bonus_target, pay.bonus_payout, pay.bonus) == (
        D("5400.00"),
        D("128.5"),
        D("6939.00"),
    )
    assert pay.total == D("10449.00")  # 2,700 + 810 + 6,939


def test_cap_limits_the_bonus():
    results = [MetricResult(D(100), D(150), D(250))]
    assert bonus_payout(results) == 250
    assert bonus_payout(results, cap=D(200)) == 200


def test_split_target_gives_rounding_to_the_bonus():
    # 1,000.01 * 33.33% = 333.303... -> 333.30; * 33.33% again -> 333.30;
    # the bonus takes the rest: 1,000.01 - 666.60 = 333.41
    fixed, soft, bonus = split_target(D("1000.01"), D("33.33"), D("33.33"))
    assert (fixed, soft, bonus) == (D("333.30"), D("333.30"), D("333.41"))


def test_split_target_in_a_currency_without_cents():
    assert split_target(D(1001), D(30), D(10), digits=0) == (D(300), D(100), D(601))


def test_discipline_score_worked_by_hand():
    # 20 days; 6 lead-days without a task, 4 overdue task-days, 2 missing data, 1 override
    # points = 5*6 + 5*4 + 5*2 + 10*1 = 70; 70 / 20 days = 3.5; score 96.5
    totals = {
        "leads_without_task": 6,
        "overdue_tasks": 4,
        "missing_data": 2,
        "stage_overrides": 1,
    }
    assert discipline_score(totals, 20) == D("96.5")
    assert discipline_score({"overdue_tasks": 100}, 1) == 0  # never negative
    assert discipline_score({}, 0) == 100


def test_bad_input_names_every_problem():
    assert check_shares(D(30), D(10), D(50)) == [
        "The fixed, soft and bonus shares must sum to 100% (30% + 10% + 50% = 90%)."
    ]
    assert len(check_shares(D(-10), D(10), D(100))) == 1
    assert check_target(D(-1)) == ["The target pay cannot be negative (-1)."]
    assert check_weights([]) == ["A scheme needs at least one metric to pay its bonus on."]
    assert len(check_weights([D(0), D(90)])) == 2  # a zero weight, and the sum
    assert check_cap(D(90)) and not check_cap(None) and not check_cap(D(150))


@pytest.mark.parametrize(
    "tiers, message",
    [
        ([], "at least one attainment tier"),
        ([Tier(D(100), None, D(100), D(1)), Tier(D(70), D(100), D(40), D(1))], "out of order"),
        ([Tier(D(70), D(110), D(40), D(1)), Tier(D(100), None, D(100), D(3))], "overlaps"),
        ([Tier(D(70), D(90), D(40), D(1)), Tier(D(100), None, D(100), D(3))], "gap"),
        ([Tier(D(70), None, D(40), D(1)), Tier(D(100), None, D(100), D(3))], "open-ended"),
        ([Tier(D(70), D(100), D(40), D(3)), Tier(D(100), None, D(100), D(3))], "pays less"),
        ([Tier(D(70), D(60), D(40), D(1)), Tier(D(100), None, D(100), D(3))], "ends"),
        ([Tier(D(80), None, D(90), D(1))], "must pay 100%"),
    ],
)
def test_bad_tiers_refused(tiers, message):
    errors = check_tiers(tiers)
    assert any(message in error for error in errors), errors


def test_shipped_closer_tiers_are_valid():
    assert check_tiers(CLOSER) == []


def test_simulator_worked_by_hand():
    # 9,000 at 30/10/60: fixed 2,700, soft 900 (score 100%), bonus target 5,400.
    # The closer's tiers pay 0 below 70%, 40 + (a - 70) up to plan, 100 + 3 x (a - 100) over it.
    rows = simulate(D(9000), (D(30), D(10), D(60)), CLOSER)
    assert [(a, pay.bonus_payout, pay.bonus, pay.total) for a, pay in rows] == [
        (D(50), D(0), D(0), D(3600)),  # 2,700 + 900
        (D(70), D(40), D(2160), D(5760)),  # 5,400 x 40%
        (D(80), D(50), D(2700), D(6300)),
        (D(90), D(60), D(3240), D(6840)),
        (D(100), D(100), D(5400), D(9000)),  # exactly the target pay
        (D(120), D(160), D(8640), D(12240)),  # 100 + 3 x 20
        (D(150), D(250), D(13500), D(17100)),  # 100 + 3 x 50
    ]
    assert all((pay.fixed, pay.soft) == (D(2700), D(900)) for _a, pay in rows)
    # a cap of 200% of the bonus: at 150% the bonus is 5,400 x 2 = 10,800
    capped = dict(simulate(D(9000), (D(30), D(10), D(60)), CLOSER, cap=D(200)))
    assert (capped[D(150)].bonus, capped[D(150)].total) == (D(10800), D(14400))


def test_three_times_more_worked_by_hand():
    # The article's split 30/10/60: fixed + bonus = 90 at plan, 30 below the 70% threshold:
    # exactly three times.
    article = three_times((D(30), D(10), D(60)), CLOSER)
    assert (article.threshold, article.below, article.at_plan) == (D(70), D(30), D(90))
    assert article.ok and article.ratio == 3
    # A hunter at 60/10/30 from 80%: 60 + 30 = 90 at plan, 60 at 79%: 1.5 times.
    hunter_tiers = [Tier(D(80), D(100), D(50), D(1)), Tier(D(100), None, D(100), D(2))]
    hunter = three_times((D(60), D(10), D(30)), hunter_tiers)
    assert (hunter.below, hunter.at_plan, hunter.ratio) == (D(60), D(90), D("1.5"))
    assert not hunter.ok
    # 31/10/59 misses by a hair: 31 + 59 = 90 < 3 x 31 = 93
    assert not three_times((D(31), D(10), D(59)), CLOSER).ok
    # A first tier from 0%: nobody is below it, the pay at 0% stands for it:
    # 30 + 60 x 20% = 42 against 90 (2.14 times).
    from_zero = [Tier(D(0), D(100), D(20), D("0.8")), Tier(D(100), None, D(100), D(2))]
    zero = three_times((D(30), D(10), D(60)), from_zero)
    assert (zero.below, zero.at_plan, zero.ok) == (D(42), D(90), False)
    # Nothing fixed: no pay below the threshold, any pay at plan is "three times more".
    all_bonus = three_times((D(0), D(10), D(90)), CLOSER)
    assert (all_bonus.ratio, all_bonus.ok) == (None, True)
    assert three_times((D(30), D(10), D(60)), []) is None


def test_share_of_target():
    # a line paying 8,099.40 on a target pay of 1,000: 809.94%
    assert share_of_target(D("8099.40"), D(1000)) == D("809.94")
    assert share_of_target(D(10), D(0)) is None


# ----------------------------------------------------------------------
# properties
# ----------------------------------------------------------------------
# The machine is shared: a slow draw is the load, not the strategy.


def cents(low, high):
    """Decimals with two places, drawn as integers (much cheaper than st.decimals)."""
    return st.integers(low * 100, high * 100).map(lambda n: D(n) / 100)


percents = cents(0, 300)


@st.composite
def valid_tiers(draw):
    """Random valid tiers: a threshold below plan, steps, a steeper part above plan."""
    threshold = D(draw(st.integers(0, 99)))
    start = D(draw(st.integers(0, 50)))
    # the below-plan tier may not exceed 100% at its end: rate <= (100 - start) / span
    span = HUNDRED - threshold
    max_rate_cents = int((HUNDRED - start) * 100 // span)
    rate_below = D(draw(st.integers(0, max_rate_cents))) / 100
    rate_above = D(draw(st.integers(0, 500))) / 100
    return [
        Tier(threshold, HUNDRED, start, rate_below),
        Tier(HUNDRED, None, HUNDRED, rate_above),
    ]


@given(valid_tiers(), percents, percents)
def test_payout_monotone_in_attainment(tiers, a, b):
    assert check_tiers(tiers) == []
    low, high = sorted((a, b))
    assert tier_payout(tiers, low) <= tier_payout(tiers, high)


@given(valid_tiers(), percents, percents, cents(0, 20000))
def test_pay_monotone_in_attainment(tiers, a, b, target):
    low, high = sorted((a, b))
    shares = (D(30), D(10), D(60))
    pay_low = compute_pay(target, shares, HUNDRED, metric_results(tiers, [(HUNDRED, low)]))
    pay_high = compute_pay(target, shares, HUNDRED, metric_results(tiers, [(HUNDRED, high)]))
    assert pay_low.total <= pay_high.total


@st.composite
def shares_summing_to_100(draw):
    fixed = draw(cents(0, 100))
    soft = D(draw(st.integers(0, int((HUNDRED - fixed) * 100)))) / 100
    return fixed, soft, HUNDRED - fixed - soft


@given(
    valid_tiers(),
    shares_summing_to_100(),
    cents(0, 10**7),
    st.lists(st.integers(min_value=1, max_value=10), min_size=1, max_size=5),
    st.sampled_from([None, D(100), D(200)]),
)
def test_at_plan_the_parts_sum_to_the_target(tiers, shares, target, raw_weights, cap):
    assert check_shares(*shares) == []
    # weights summing to exactly 100: the first takes what the division left
    weights = [D(100 * w // sum(raw_weights)) for w in raw_weights]
    weights[0] += HUNDRED - sum(weights)
    results = metric_results(tiers, [(weight, HUNDRED) for weight in weights])
    pay = compute_pay(target, shares, HUNDRED, results, cap=cap)
    assert pay.total == target


@given(valid_tiers(), shares_summing_to_100())
def test_three_times_is_a_bonus_at_least_twice_the_fixed(tiers, shares):
    # with a threshold above 0: F + B >= 3F, i.e. B >= 2F
    check = three_times(shares, tiers)
    if tiers[0].attainment_from > 0:
        assert check.ok == (shares[2] >= 2 * shares[0])
