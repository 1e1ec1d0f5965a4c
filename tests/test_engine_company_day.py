from datetime import date, datetime, timedelta

from sales_dept_org.engine.company_day import day_start_utc, local_date


def test_local_date_worked_by_hand():
    # 23:30 UTC on 10 March: Warsaw (UTC+1) is already on the 11th, New York
    # (UTC-4 after its change on 8 March) still on the 10th
    moment = datetime(2026, 3, 10, 23, 30)
    assert local_date(moment, "Europe/Warsaw") == date(2026, 3, 11)
    assert local_date(moment, "America/New_York") == date(2026, 3, 10)
    assert local_date(moment, "UTC") == date(2026, 3, 10)
    assert local_date(moment, False) == date(2026, 3, 10)  # no time zone: UTC
    # 03:00 UTC on 11 March is 23:00 on the 10th in New York
    assert local_date(datetime(2026, 3, 11, 3), "America/New_York") == date(2026, 3, 10)


def test_day_start_follows_daylight_saving():
    # Warsaw: UTC+1 in winter, UTC+2 from 29 March 2026
    assert day_start_utc(date(2026, 3, 11), "Europe/Warsaw") == datetime(2026, 3, 10, 23)
    assert day_start_utc(date(2026, 3, 30), "Europe/Warsaw") == datetime(2026, 3, 29, 22)
    assert day_start_utc(date(2026, 3, 11), "America/New_York") == datetime(2026, 3, 11, 4)
    assert day_start_utc(date(2026, 3, 11), "UTC") == datetime(2026, 3, 11)


def test_every_moment_of_a_day_falls_on_it():
    for tz in ("Europe/Warsaw", "America/New_York", "Asia/Kathmandu", "UTC"):
        day = date(2026, 3, 29)  # Warsaw changes its clocks that night
        start, end = day_start_utc(day, tz), day_start_utc(day + timedelta(days=1), tz)
        assert local_date(start, tz) == day
        assert local_date(end - timedelta(seconds=1), tz) == day
        assert local_date(end, tz) == day + timedelta(days=1)
