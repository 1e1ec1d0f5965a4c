"""Pay maths: fixed, soft and bonus parts of a target monthly pay.

Every amount is a ``Decimal``; percentages are plain numbers (``60`` is 60%).
The money parts are rounded to the currency's cent once, and the bonus share
takes what rounding left over, so the three parts always add up to the target.

Tiers turn the attainment of one metric (``kpi.attainment`` in percent: fact
/ plan, or plan / fact for a metric to keep low) into the
percentage of the target bonus it pays. A tier starts at ``attainment_from``,
pays ``payout_from`` there and ``rate`` more per attainment point above it:

- below the first tier nothing is paid (the threshold),
- a tier may start higher than the previous one ended (a step, the article's
  "big thresholds": a large reward for reaching the plan),
- a steeper rate over the plan is the accelerator ("three times more").

Tiers must pay exactly 100% at 100% attainment: a person who meets every plan
and keeps the CRM clean earns exactly the target pay.

Two views of a scheme help whoever designs one: :func:`simulate` (the pay of
a person at target pay at a few attainments) and :func:`three_times` (the
article's "three times more" rule). :func:`share_of_target` measures a
month's payout against the target pay, for the sheet's extreme payout flag.
:func:`mentor_pay` is what a mentor earns for one trainee.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import kpi

HUNDRED = Decimal(100)
ZERO = Decimal(0)
# the attainments of the scheme simulator, in percent
SIMULATED_ATTAINMENTS = (50, 70, 80, 90, 100, 120, 150)
THREE = Decimal(3)


def pct(value):
    """A percentage as people write it: 30, 33.5 (never 30.0 or 3E+1)."""
    return format(Decimal(value).normalize(), "f")


@dataclass(frozen=True)
class Tier:
    attainment_from: Decimal
    attainment_to: Decimal | None  # exclusive; None: open-ended (the last tier)
    payout_from: Decimal
    rate: Decimal

    def payout(self, attainment):
        return self.payout_from + self.rate * (attainment - self.attainment_from)


@dataclass(frozen=True)
class MetricResult:
    weight: Decimal
    attainment: Decimal
    payout: Decimal  # percent of the target bonus this metric pays at full weight


@dataclass(frozen=True)
class PayResult:
    fixed: Decimal
    soft_target: Decimal
    soft: Decimal
    bonus_target: Decimal
    bonus_payout: Decimal  # percent of the target bonus, after the cap
    bonus: Decimal

    @property
    def total(self):
        return self.fixed + self.soft + self.bonus


# ----------------------------------------------------------------------
# validation: every problem named, so a form can show them all at once
# ----------------------------------------------------------------------
def check_shares(fixed, soft, bonus):
    errors = [
        f"The {name} share cannot be negative ({pct(share)}%)."
        for name, share in (("fixed", fixed), ("soft", soft), ("bonus", bonus))
        if share < 0
    ]
    if fixed + soft + bonus != HUNDRED:
        errors.append(
            f"The fixed, soft and bonus shares must sum to 100% "
            f"({pct(fixed)}% + {pct(soft)}% + {pct(bonus)}% = {pct(fixed + soft + bonus)}%)."
        )
    return errors


def check_target(target):
    return [f"The target pay cannot be negative ({target})."] if target < 0 else []


def check_weights(weights):
    if not weights:
        return ["A scheme needs at least one metric to pay its bonus on."]
    errors = [
        f"A metric weight must be positive ({pct(weight)}%)." for weight in weights if weight <= 0
    ]
    if sum(weights) != HUNDRED:
        errors.append(f"The metric weights must sum to 100% (they sum to {pct(sum(weights))}%).")
    return errors


def check_cap(cap):
    if cap is not None and cap < HUNDRED:
        return [f"A cap below 100% would not pay the target at plan ({pct(cap)}%)."]
    return []


def check_tiers(tiers):
    """Tiers in ascending order, touching each other, paying more for more."""
    if not tiers:
        return ["A scheme needs at least one attainment tier."]
    errors = []
    for index, tier in enumerate(tiers, start=1):
        if tier.attainment_from < 0:
            errors.append(f"Tier {index} starts below 0% attainment.")
        if tier.attainment_to is not None and tier.attainment_to <= tier.attainment_from:
            errors.append(
                f"Tier {index} ends ({pct(tier.attainment_to)}%) where or before it starts "
                f"({pct(tier.attainment_from)}%)."
            )
        if tier.attainment_to is None and index < len(tiers):
            errors.append(f"Only the last tier may be open-ended (tier {index} is).")
        if tier.payout_from < 0 or tier.rate < 0:
            errors.append(f"Tier {index} has a negative payout or rate.")
    for index, (previous, tier) in enumerate(zip(tiers, tiers[1:], strict=False), start=2):
        end = previous.attainment_to
        if tier.attainment_from < previous.attainment_from:
            errors.append(f"Tier {index} is out of order: it starts before tier {index - 1}.")
        elif end is not None and tier.attainment_from < end:
            errors.append(
                f"Tier {index} overlaps tier {index - 1} (from {pct(tier.attainment_from)}%)."
            )
        elif end is not None and tier.attainment_from > end:
            errors.append(
                f"Tiers {index - 1} and {index} leave a gap "
                f"({pct(end)}% to {pct(tier.attainment_from)}%)."
            )
        elif end is not None and tier.payout_from < previous.payout(end):
            errors.append(
                f"Tier {index} pays less at its start than tier {index - 1} at its end: "
                "more sales must never pay less."
            )
    if not errors and tier_payout(tiers, HUNDRED) != HUNDRED:
        errors.append(
            f"At 100% attainment the tiers must pay 100% of the bonus "
            f"(they pay {pct(tier_payout(tiers, HUNDRED))}%)."
        )
    return errors


# ----------------------------------------------------------------------
# the maths
# ----------------------------------------------------------------------
def attainment_percent(plan, fact, higher_is_better=True):
    """``kpi.attainment`` in percent, as tiers read it: 0 without a plan, never
    capped (a scheme caps its bonus payout, not the attainment)."""
    reached = kpi.attainment(Decimal(plan), Decimal(fact), higher_is_better)
    return ZERO if reached is None else reached * HUNDRED


def tier_payout(tiers, attainment_percent):
    """Percent of the target bonus paid at this attainment (0 below the first tier)."""
    current = None
    for tier in tiers:
        if attainment_percent >= tier.attainment_from:
            current = tier
    return current.payout(attainment_percent) if current else ZERO


def next_tier(tiers, attainment_percent):
    """The next tier start above this attainment, or None when on the last tier."""
    for tier in tiers:
        if tier.attainment_from > attainment_percent:
            return tier
    return None


def next_step(tiers, plan, fact, higher_is_better=True):
    """(next tier, distance): the tier the fact can reach next and how far the
    fact is from it, how much more when more is better, how much less when
    less is (then attainment stops at 100%: a tier above it is out of reach).
    (None, 0) without a plan or a tier to reach."""
    upcoming = next_tier(tiers, attainment_percent(plan, fact, higher_is_better))
    if upcoming is None or plan <= 0:
        return None, ZERO
    if higher_is_better:
        return upcoming, max(ZERO, plan * upcoming.attainment_from / HUNDRED - fact)
    if upcoming.attainment_from > HUNDRED:
        return None, ZERO
    return upcoming, max(ZERO, fact - plan * HUNDRED / upcoming.attainment_from)


def metric_results(tiers, weighted_attainments):
    """``weighted_attainments``: (weight, attainment) pairs."""
    return [
        MetricResult(weight, percent, tier_payout(tiers, percent))
        for weight, percent in weighted_attainments
    ]


def bonus_payout(results, cap=None):
    """Weighted payout in percent of the target bonus, capped when a cap is set."""
    payout = sum((result.weight * result.payout for result in results), ZERO) / HUNDRED
    return min(payout, cap) if cap is not None else payout


DEFAULT_PENALTIES = {
    "leads_without_task": Decimal(5),
    "overdue_tasks": Decimal(5),
    "missing_data": Decimal(5),
    "stage_overrides": Decimal(10),
    "activity_shortfalls": Decimal(5),
}


def discipline_score(totals, days, penalties=None):
    """CRM discipline in percent: 100 minus the average daily penalty, never below 0.

    ``totals`` are the month's sums of the daily counts (a lead without a task
    on 3 days counts 3), ``days`` the number of days counted. Each counted
    fault costs its penalty in points for that day:

        score = max(0, 100 - sum(penalty_k * total_k) / days)

    With the defaults: 5 points per lead without a task, per overdue task and
    per lead missing required data, 10 per stage override, 5 per activity
    norm missed (calls a day, calls an hour, meetings a week), per day.
    """
    if days <= 0:
        return HUNDRED
    penalties = DEFAULT_PENALTIES if penalties is None else penalties
    points = sum((penalties[key] * Decimal(totals.get(key, 0)) for key in penalties), ZERO)
    return max(ZERO, HUNDRED - points / Decimal(days))


def to_cents(amount, digits=2):
    return Decimal(amount).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def split_target(target, fixed_share, soft_share, digits=2):
    """Target pay -> (fixed, soft target, bonus target); the bonus takes the rounding."""
    target = to_cents(target, digits)
    fixed = to_cents(target * fixed_share / HUNDRED, digits)
    soft = to_cents(target * soft_share / HUNDRED, digits)
    return fixed, soft, target - fixed - soft


def compute_pay(target, shares, score, results, cap=None, digits=2):
    """The month's pay of one person.

    ``shares``: (fixed, soft, bonus) percents; ``score``: discipline score in
    percent; ``results``: the metrics' :class:`MetricResult`.
    """
    fixed, soft_target, bonus_target = split_target(target, shares[0], shares[1], digits)
    payout = bonus_payout(results, cap)
    return PayResult(
        fixed=fixed,
        soft_target=soft_target,
        soft=to_cents(soft_target * score / HUNDRED, digits),
        bonus_target=bonus_target,
        bonus_payout=payout,
        bonus=to_cents(bonus_target * payout / HUNDRED, digits),
    )


# ----------------------------------------------------------------------
# what a scheme pays: the simulator, the article's rule, extreme payouts
# ----------------------------------------------------------------------
def simulate(target, shares, tiers, cap=None, attainments=SIMULATED_ATTAINMENTS, digits=2):
    """[(attainment, :class:`PayResult`)]: the month's pay of a person at
    ``target`` pay whose every metric reaches ``attainment`` percent, with a
    discipline score of 100% (the soft part in full)."""
    rows = []
    for value in attainments:
        reached = Decimal(value)
        results = [MetricResult(HUNDRED, reached, tier_payout(tiers, reached))]
        rows.append((reached, compute_pay(target, shares, HUNDRED, results, cap, digits)))
    return rows


@dataclass(frozen=True)
class ThreeTimes:
    """The pay for results of a scheme, in percent of its target pay."""

    threshold: Decimal  # the first tier's start: below it the bonus pays nothing
    below: Decimal  # fixed + bonus just below the threshold
    at_plan: Decimal  # fixed + bonus at 100% attainment

    @property
    def ok(self):
        return self.at_plan >= THREE * self.below

    @property
    def ratio(self):
        """How many times the pay below the threshold the plan pays (None: infinitely)."""
        return self.at_plan / self.below if self.below else None


def three_times(shares, tiers, cap=None):
    """The article's rule "three times more": whoever meets the plan earns
    three times what someone who does not meet it earns.

    The one who does not meet it is taken just below the first threshold
    ``t1`` (the first tier's start, where the bonus starts to pay); both are
    compared on the pay for results, fixed plus bonus, in percent of the
    target pay. The soft part is left out on both sides: it pays for keeping
    the CRM in order, whatever the result. With ``F`` and ``B`` the fixed and
    bonus shares and ``P(a)`` the tiers' payout at attainment ``a`` (percent
    of the target bonus, capped like the bonus):

        at plan:       F + B * P(100) / 100       (= F + B: tiers pay 100 at plan)
        below:         F + B * P(t1-) / 100       (= F: nothing below the first tier;
                                                   with t1 = 0 nobody is below, P(0))
        rule:          at plan >= 3 * below

    The article's own split meets it exactly: 30% fixed, 10% soft and 60%
    bonus pay 30 + 60 = 90 at plan, three times the 30 paid below the
    threshold. A hunter at 60 / 10 / 30 gets 90 at plan against 60 at 79%
    attainment (below an 80% threshold): 1.5 times, not three.

    Returns a :class:`ThreeTimes`, or None for a scheme without tiers.
    """
    if not tiers:
        return None
    fixed, _soft, bonus = shares
    threshold = tiers[0].attainment_from

    def result_pay(payout):
        return fixed + bonus * (payout if cap is None else min(payout, cap)) / HUNDRED

    below = tier_payout(tiers, threshold) if threshold <= 0 else ZERO
    return ThreeTimes(threshold, result_pay(below), result_pay(tier_payout(tiers, HUNDRED)))


def share_of_target(amount, target):
    """``amount`` in percent of ``target`` (None without a target to compare to)."""
    if target <= 0:
        return None
    return Decimal(amount) * HUNDRED / Decimal(target)


# ----------------------------------------------------------------------
# mentors: a share of the trainee's target bonus, tied to the trainee
# ----------------------------------------------------------------------
def mentor_pay(bonus_target, share, attainment, cap=None, digits=2):
    """What a mentor earns for one trainee in a month, or None when the
    trainee has no plan that month (``attainment`` None): nothing is paid.

    ``bonus_target`` is the trainee's target bonus (their scheme's target pay
    times its bonus share), ``share`` the company's mentor share in percent,
    ``attainment`` the trainee's overall attainment of the month in percent
    (the board's: every metric with a plan, by board weight) and ``cap`` the
    trainee's scheme cap in percent (None: uncapped):

        mentor pay = bonus target * share / 100 * min(attainment, cap) / 100

    A trainee at plan pays the mentor exactly the share of their target bonus;
    at 80% four fifths of it; above plan more, up to the cap.
    """
    if attainment is None:
        return None
    reached = attainment if cap is None else min(attainment, cap)
    return to_cents(Decimal(bonus_target) * share / HUNDRED * reached / HUNDRED, digits)
