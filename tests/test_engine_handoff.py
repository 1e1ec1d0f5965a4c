import pytest

from sales_dept_org.engine.handoff import Candidate, pick_owners


def test_fewest_open_leads_first_then_round_robin():
    # A owns 2 open leads, B and C own 0: B and C take turns until they reach
    # A's load of 2 (4 leads), then A, B, C in ticket order.
    pool = [Candidate(1, 2, 0, 0), Candidate(2, 0, 0, 0), Candidate(3, 0, 0, 0)]
    owners, _tickets = pick_owners([(n, "team") for n in range(7)], {"team": pool})
    assert [owners[n] for n in range(7)] == [2, 3, 2, 3, 1, 2, 3]


def test_tie_goes_to_the_one_served_longest_ago():
    # equal loads; member 2 was served at turn 5, member 1 at turn 9
    pool = [Candidate(1, 4, 0, 9), Candidate(2, 4, 0, 5)]
    owners, tickets = pick_owners([("a", "p"), ("b", "p")], {"p": pool})
    assert owners == {"a": 2, "b": 1}
    assert tickets == {2: 10, 1: 11}  # turns continue after the highest (9)


def test_capacity_is_respected_and_overflow_stays_unassigned():
    # capacity 3: member 1 has room for 1, member 2 for 2; the 4th lead finds nobody
    pool = [Candidate(1, 2, 3, 0), Candidate(2, 1, 3, 0)]
    owners, _tickets = pick_owners([(n, "p") for n in range(4)], {"p": pool})
    assert sorted(owners[n] for n in range(3)) == [1, 2, 2]
    assert owners[3] is None


def test_empty_or_unknown_pool_gives_none():
    owners, tickets = pick_owners([("x", "missing"), ("y", "empty")], {"empty": []})
    assert owners == {"x": None, "y": None}
    assert tickets == {}


def test_spread_is_even_and_deterministic():
    # 300 leads over 7 closers of equal capacity: 300 = 7 * 42 + 6
    pool = [Candidate(key, 0, 0, 0) for key in range(1, 8)]
    requests = [(n, "p") for n in range(300)]
    first, _ = pick_owners(requests, {"p": pool})
    second, _ = pick_owners(requests, {"p": pool})
    assert first == second
    counts = [list(first.values()).count(key) for key in range(1, 8)]
    assert sorted(counts) == [42] + [43] * 6


def test_shared_candidate_load_counts_across_pools():
    # member 1 sits in both pools: after taking the "a" lead it has load 1,
    # so the "b" lead goes to member 2 (load 0)
    pools = {"a": [Candidate(1, 0, 0, 0)], "b": [Candidate(1, 0, 0, 0), Candidate(2, 0, 0, 1)]}
    owners, _ = pick_owners([("x", "a"), ("y", "b")], pools)
    assert owners == {"x": 1, "y": 2}


def test_negative_capacity_is_refused():
    with pytest.raises(ValueError, match="negative"):
        pick_owners([], {"p": [Candidate(1, 0, -1, 0)]})


def test_weights_share_1000_leads_in_their_proportions():
    # Weights 1.5, 1.0, 0.5 (3:2:1) from equal loads and turns. A takes a lead
    # when its load / 1.5 is lowest, and so on. From equal shares s, with A, B,
    # C in turn order, six leads go A (s+2/3), B (s+1), C (s+2), A (s+4/3),
    # B (s+2), A (s+2): shares equal again, turns now C, B, A; every later
    # cycle of six goes C, B, A, A, B, A. 1,000 = 166 cycles (498/332/166)
    # + the first four of the next (C, B, A, A): 500/333/167.
    pool = [Candidate(1, 0, 0, 0, 1.5), Candidate(2, 0, 0, 0, 1.0), Candidate(3, 0, 0, 0, 0.5)]
    owners, _tickets = pick_owners([(n, "p") for n in range(1000)], {"p": pool})
    counts = [list(owners.values()).count(key) for key in (1, 2, 3)]
    assert counts == [500, 333, 167]
    assert [owners[n] for n in range(12)] == [1, 2, 3, 1, 2, 1, 3, 2, 1, 1, 2, 1]


def test_weights_divide_the_load_not_replace_it():
    # A: 6 open leads, weight 1.5 (share 4); B: 3 leads, weight 1 (share 3):
    # B takes the first (3 -> 4, tie at 4: A waited longer, turn 1 < 2), then A
    # (share 14/3), then B (4 -> 5)
    pool = [Candidate(1, 6, 0, 1, 1.5), Candidate(2, 3, 0, 2, 1.0)]
    owners, _tickets = pick_owners([(n, "p") for n in range(3)], {"p": pool})
    assert [owners[n] for n in range(3)] == [2, 1, 2]


def test_weights_still_respect_capacity():
    # the heavy member stops at its capacity of 2; the rest go to the light one
    pool = [Candidate(1, 0, 2, 0, 1.5), Candidate(2, 0, 0, 0, 0.5)]
    owners, _tickets = pick_owners([(n, "p") for n in range(5)], {"p": pool})
    assert list(owners.values()).count(1) == 2
    assert list(owners.values()).count(2) == 3


def test_weight_one_everywhere_is_the_plain_choice():
    plain = [Candidate(key, key % 3, 0, key) for key in range(1, 6)]
    weighted = [Candidate(key, key % 3, 0, key, 1.0) for key in range(1, 6)]
    requests = [(n, "p") for n in range(40)]
    assert pick_owners(requests, {"p": plain}) == pick_owners(requests, {"p": weighted})


@pytest.mark.parametrize("weight", [0, -1.0])
def test_weight_must_be_above_zero(weight):
    with pytest.raises(ValueError, match="above 0"):
        pick_owners([], {"p": [Candidate(1, 0, 0, 0, weight)]})
