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
