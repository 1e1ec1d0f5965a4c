import pytest

from sales_dept_org.engine.darwin import DEFAULT_BANDS, check_bands, weight_for


def test_default_table_is_sound():
    assert check_bands(DEFAULT_BANDS) == []


@pytest.mark.parametrize(
    ("attainment", "weight"),
    [(None, 1.0), (0, 0.5), (69.99, 0.5), (70, 1.0), (99.9, 1.0), (100, 1.25), (104, 1.25)]
    + [(119.99, 1.25), (120, 1.5), (300, 1.5)],
)
def test_weight_for_default_bands(attainment, weight):
    assert weight_for(DEFAULT_BANDS, attainment) == weight


def test_band_order_as_given_does_not_matter():
    assert weight_for([(100, 2.0), (0, 1.0)], 150) == 2.0


def test_problems_are_named():
    assert check_bands([]) == [("empty", {})]
    problems = check_bands([(10, 1.0), (40, -1.0), (50, 2.5), (50, 2.0), (80, 1.5)])
    assert problems == [
        ("no_zero", {"start": 10}),
        ("weight", {"start": 40, "weight": -1.0}),
        ("twice", {"start": 50}),
        ("decreasing", {"start": 80, "weight": 1.5, "below": 50, "below_weight": 2.5}),
    ]
