import datetime as dt

from bot.config import load_settings
from bot.petitions import due_date
from bot.workdays import add_working_days, day_in_vietnam, is_working_day


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


# The dates below were worked out by hand on a calendar, from the lunar new year (mùng 1 Tết: Tuesday
# 17/2/2026, Saturday 6/2/2027) and the days off the package lists; nothing is passed as a local
# holiday: what the deployment's config gives when it lists none.
NO_LOCAL_DAYS = load_settings({}, require_token=False).holidays


def test_an_empty_config_lists_no_local_days():
    assert NO_LOCAL_DAYS == frozenset()


def test_a_petition_received_just_before_tet_2026_is_due_after_it():
    # Tết Bính Ngọ: Monday 16/2 - Friday 20/2/2026; Friday 13/2 is the last working day before it
    last_before = dt.date(2026, 2, 13)
    assert is_working_day(last_before, NO_LOCAL_DAYS)
    assert not any(is_working_day(dt.date(2026, 2, d), NO_LOCAL_DAYS) for d in range(16, 21))
    # 5 working days: 23, 24, 25, 26, 27/2 (not Friday 20/2, as weekends alone would give)
    assert due_date("an-ninh", last_before, NO_LOCAL_DAYS) == dt.date(2026, 2, 27)
    # 7 working days: the five above, then Monday 2/3 and Tuesday 3/3
    assert due_date("thu-tuc", last_before, NO_LOCAL_DAYS) == dt.date(2026, 3, 3)


def test_a_petition_received_just_before_tet_2027_is_due_after_it():
    # Tết Đinh Mùi: Thursday 4/2 (29 tháng Chạp) - Wednesday 10/2/2027; Wednesday 3/2 is the last working day
    last_before = dt.date(2027, 2, 3)
    assert is_working_day(last_before, NO_LOCAL_DAYS)
    assert not any(is_working_day(dt.date(2027, 2, d), NO_LOCAL_DAYS) for d in range(4, 11))
    # 5 working days: Thursday 11, Friday 12, Monday 15, Tuesday 16, Wednesday 17/2
    assert due_date("an-ninh", last_before, NO_LOCAL_DAYS) == dt.date(2027, 2, 17)
    # 10 working days (a category without its own number): 11, 12, 15-19, 22, 23, 24/2
    assert due_date("khac", last_before, NO_LOCAL_DAYS) == dt.date(2027, 2, 24)


def test_the_national_day_2026_with_its_day_beside_it_and_a_day_swapped_for_a_saturday():
    # 2026: Tuesday 1/9 and Wednesday 2/9, and Monday 31/8 off in exchange for Saturday 22/8
    assert not is_working_day(dt.date(2026, 9, 1)) and not is_working_day(dt.date(2026, 9, 2))
    assert not is_working_day(dt.date(2026, 8, 31))
    assert is_working_day(dt.date(2026, 9, 3))
    # received Friday 28/8: the next working day is Thursday 3/9
    assert add_working_days(dt.date(2026, 8, 28), 1, NO_LOCAL_DAYS) == dt.date(2026, 9, 3)
    # 2027: received Wednesday 1/9, before Thursday 2/9 and Friday 3/9: next working day Monday 6/9
    assert add_working_days(dt.date(2027, 9, 1), 1, NO_LOCAL_DAYS) == dt.date(2027, 9, 6)


def test_a_holiday_on_a_weekend_gives_the_next_monday_off():
    # 1/5/2027 is a Saturday: Monday 3/5 is off in lieu; received Thursday 29/4, after Friday 30/4 (a
    # holiday), the weekend and Monday 3/5, the next working day is Tuesday 4/5
    assert not is_working_day(dt.date(2027, 5, 3))
    assert add_working_days(dt.date(2027, 4, 29), 1, NO_LOCAL_DAYS) == dt.date(2027, 5, 4)
    # 2/9/2028 is a Saturday (with Friday 1/9 beside it): Monday 4/9 is off in lieu;
    # received Thursday 31/8/2028, the next working day is Tuesday 5/9
    assert not is_working_day(dt.date(2028, 9, 4))
    assert add_working_days(dt.date(2028, 8, 31), 1, NO_LOCAL_DAYS) == dt.date(2028, 9, 5)


def test_a_saturday_worked_in_exchange_for_a_day_off_counts(tmp_path):
    import datetime as dt

    from bot.config import load_settings

    # 2026: Monday 31/8 off beside 2/9, worked on Saturday 22/8 instead (the holidays package knows it)
    assert is_working_day(dt.date(2026, 8, 22)) and not is_working_day(dt.date(2026, 8, 29))
    # a swap the package does not know yet, listed by the deployment
    swapped = dt.date(2027, 4, 24)  # a Saturday
    assert not is_working_day(swapped) and is_working_day(swapped, working_days=frozenset({swapped}))
    friday = dt.date(2027, 4, 23)
    assert add_working_days(friday, 1, working_days=[swapped]) == swapped
    config = tmp_path / "danvan.yaml"
    config.write_text("working_days: [2027-04-24]\nholidays: [2027-04-26]\n", encoding="utf-8")
    settings = load_settings({"DANVAN_CONFIG": str(config)}, require_token=False)
    assert settings.working_days == frozenset({swapped}) and settings.holidays == frozenset({dt.date(2027, 4, 26)})
