"""The benchmark helpers that decide and print verdicts (no Odoo needed)."""

import pytest

from bench import measure
from bench.sizes import department_sizes, team_company, team_roles, teams_from_env


def test_line_ok_when_ratio_at_or_below_target():
    assert measure.bench_line("leads_read_group", 1.234, 1.5) == (
        "BENCH leads_read_group: 1.23x (target <= 1.5x) ok"
    )
    # 1.504 prints as 1.50: the verdict follows what the line shows
    assert measure.bench_line("x", 1.504, 1.5).endswith("1.50x (target <= 1.5x) ok")


def test_line_misses_above_target():
    assert measure.bench_line("board", 2.0, 1.5) == "BENCH board: 2.00x (target <= 1.5x) MISSES"
    assert measure.bench_line("board", 1.506, 1.5).endswith("MISSES")  # shows 1.51


def test_ratio():
    assert measure.ratio(3.0, 2.0) == 1.5
    assert measure.ratio(0, 0) == 1.0  # e.g. no queries on either side
    with pytest.raises(ValueError):
        measure.ratio(1.0, 0)


def test_median_seconds_skips_warmup_and_runs_setup_each_time():
    calls = []
    measure.median_seconds(
        lambda: calls.append("run"), repeat=3, warmup=2, setup=lambda: calls.append("setup")
    )
    assert calls == ["setup", "run"] * 5  # 2 warm-up runs + 3 timed, each after its setup


def test_compare_alternates_subject_and_baseline():
    calls = []
    measure.compare_seconds(
        lambda: calls.append("a"), lambda: calls.append("b"), repeat=2, warmup=1
    )
    assert calls == ["a", "b"] * 3


def test_memory_peak_sees_an_allocation():
    size = 4_000_000
    assert measure.memory_peak(lambda: bytearray(size)) >= size


def test_sizes_at_one_million_leads():
    sizes = department_sizes(1_000_000)
    # 1,000 salespeople in teams of 6 -> 167 teams (the last one rounds up)
    assert sizes.teams == 167
    assert sizes.salespeople == 1_002
    assert sizes.customers == 100_000
    assert sizes.companies == 2


def test_sizes_of_a_tiny_department():
    sizes = department_sizes(2_000)
    assert (sizes.teams, sizes.companies) == (1, 1)
    assert sizes.customers == 200  # one customer per 10 leads, at least 5 per team
    with pytest.raises(ValueError):
        department_sizes(0)


def test_sizes_with_the_number_of_teams_set():
    # the people of the 1,000,000-lead department with a tenth of the leads each
    sizes = department_sizes(100_000, teams=167)
    assert (sizes.teams, sizes.salespeople, sizes.companies) == (167, 1_002, 2)
    assert sizes.customers == 10_000  # one per 10 leads; 167 teams x 5 = 835 is less
    # unset: scaled from the leads, 100,000 / 1,000 per person / 6 per team
    assert department_sizes(100_000).teams == 17
    assert department_sizes(500, teams=200).customers == 1_000  # at least 5 per team
    with pytest.raises(ValueError, match="at least one team"):
        department_sizes(1_000, teams=0)
    with pytest.raises(ValueError, match="168 teams need at least as many leads, not 167"):
        department_sizes(167, teams=168)


def test_teams_read_from_bench_teams():
    assert teams_from_env({}) is None
    assert teams_from_env({"BENCH_TEAMS": " "}) is None
    assert teams_from_env({"BENCH_TEAMS": "167"}) == 167
    for wrong in ("0", "-3", "1e3", "many"):
        with pytest.raises(ValueError, match=f"BENCH_TEAMS must be a whole number .*'{wrong}'"):
            teams_from_env({"BENCH_TEAMS": wrong})


def test_team_shapes():
    # teams 0..3 split roles, team 4 (the fifth) is universal
    assert team_roles(0) == ("hunter", "hunter", "closer", "closer", "farmer", "farmer")
    assert set(team_roles(4)) == {"universal"}
    # with two companies every fourth team (index 3, 7, ...) is in the second
    assert [team_company(t, 2) for t in range(8)] == [0, 0, 0, 1, 0, 0, 0, 1]
    assert {team_company(t, 1) for t in range(8)} == {0}


def test_runner_discovers_benchmark_modules_by_name():
    from bench.__main__ import discover

    assert "bench_leads_read_group" in discover()
    assert discover("read_group") == ["bench_leads_read_group"]
    assert discover("no_such_benchmark") == []
    # the generator and helpers are not benchmarks
    assert not {"generate", "measure", "context", "sizes"} & set(discover())


def test_summary_counts_figures_met_missed_and_benchmarks_that_raised():
    results = [("a", 0.9, 1.0, True), ("b", 1.2, 1.0, False), ("c", 1.0, 1.0, True)]
    assert measure.summary(results, ["bench_x"]) == "BENCH SUMMARY: 2 ok, 1 misses, 1 errors"
    assert measure.summary([], []) == "BENCH SUMMARY: 0 ok, 0 misses, 0 errors"
