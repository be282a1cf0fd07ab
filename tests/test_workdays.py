import datetime as dt

from bot.workdays import add_working_days, due_date, is_working_day


def test_weekends_and_fixed_holidays_do_not_count():
    friday = dt.date(2026, 4, 24)
    assert add_working_days(friday, 1) == dt.date(2026, 4, 27)  # over the weekend
    # 30/4 (Thursday) and 1/5 (Friday) are holidays: Wednesday 29/4 + 1 working day is Monday 4/5.
    assert add_working_days(dt.date(2026, 4, 29), 1) == dt.date(2026, 5, 4)
    assert not is_working_day(dt.date(2026, 9, 2)) and not is_working_day(dt.date(2026, 9, 1))


def test_configured_lunar_holidays_count_too():
    tet = [dt.date(2026, 2, 16), dt.date(2026, 2, 17), dt.date(2026, 2, 18), dt.date(2026, 2, 19), dt.date(2026, 2, 20)]
    assert add_working_days(dt.date(2026, 2, 13), 1, tet) == dt.date(2026, 2, 23)


def test_categories_have_their_own_number_of_days():
    monday = dt.date(2026, 11, 23)
    assert due_date("an-ninh", monday) == dt.date(2026, 11, 30)
    assert due_date("khac", monday) == dt.date(2026, 12, 7)
