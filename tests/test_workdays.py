import datetime as dt

from bot.workdays import add_working_days, day_in_vietnam, due_date, is_working_day


def test_weekends_and_fixed_holidays_do_not_count():
    friday = dt.date(2026, 3, 6)
    assert add_working_days(friday, 1) == dt.date(2026, 3, 9)  # over the weekend
    # 30/4 (Thursday) and 1/5 (Friday) are holidays: Wednesday 29/4 + 1 working day is Monday 4/5.
    assert add_working_days(dt.date(2026, 4, 29), 1) == dt.date(2026, 5, 4)
    assert not is_working_day(dt.date(2026, 9, 2)) and not is_working_day(dt.date(2026, 9, 1))


def test_tet_and_the_hung_kings_day_count_without_being_configured():
    # Tết Bính Ngọ: 16-20/2/2026; nothing listed in the config
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)
    # Giỗ Tổ (10/3 lunar) fell on Sunday 26/4/2026: Monday 27/4 is the day off in lieu
    assert not is_working_day(dt.date(2026, 4, 27))


def test_the_national_day_holiday_is_2_9_and_a_day_beside_it():
    # 2027: Thursday 2/9 and Friday 3/9 (not 1/9, which the hand-kept list had)
    assert not is_working_day(dt.date(2027, 9, 2)) and not is_working_day(dt.date(2027, 9, 3))
    assert is_working_day(dt.date(2027, 9, 1))


def test_configured_local_days_count_too():
    assert add_working_days(dt.date(2026, 11, 4), 1, [dt.date(2026, 11, 5)]) == dt.date(2026, 11, 6)


def test_categories_have_their_own_number_of_days():
    monday = dt.date(2026, 3, 2)
    assert due_date("an-ninh", monday) == dt.date(2026, 3, 9)
    assert due_date("khac", monday) == dt.date(2026, 3, 16)


def test_a_petition_is_received_on_the_day_it_is_in_viet_nam():
    assert day_in_vietnam("2026-05-04T17:30:00+00:00") == dt.date(2026, 5, 5)
    assert day_in_vietnam("2026-05-04T16:59:59+00:00") == dt.date(2026, 5, 4)
