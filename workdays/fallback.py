"""The statutory holidays of a year whose State Council schedule is not loaded.

They follow the rules in force since 1 January 2025 (全国年节及纪念日放假办法, as revised by the
State Council in November 2024), article 2's holidays of all citizens:

- 元旦 1 day (1 January); 春节 4 days (农历除夕 to 正月初三); 清明节 1 day (the solar term);
  劳动节 2 days (1–2 May); 端午节 1 day (lunar 5/5); 中秋节 1 day (lunar 8/15); 国庆节 3 days
  (1–3 October).
- Article 6: a holiday of all citizens that falls on a Saturday or Sunday is made up (补假) on a
  working day; here, on the first working day(s) after that holiday's days.

Lunar dates and the solar term come from the lunar-python library, never from a table written
here. What cannot be known before the State Council publishes the year is its 调休 swaps (the
weekend days made working days and the weekdays given as holidays in exchange): that is why a
result computed from these rules stays provisional.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.utils.translation import gettext_noop
from lunar_python import Lunar

# gettext_noop: the names are shown through gettext by `deadlines`, as the stored names are.
NEW_YEAR = gettext_noop("元旦")
SPRING_FESTIVAL = gettext_noop("春节")
QINGMING = gettext_noop("清明节")
LABOUR_DAY = gettext_noop("劳动节")
DRAGON_BOAT = gettext_noop("端午节")
MID_AUTUMN = gettext_noop("中秋节")
NATIONAL_DAY = gettext_noop("国庆节")

RULES_SOURCE = gettext_noop("《全国年节及纪念日放假办法》（2024年11月修订，2025年1月1日起施行）")


@dataclass(frozen=True)
class FallbackHoliday:
    name: str  # the holiday's Chinese name (translate with gettext to show it)
    made_up: bool  # a day given in place of a holiday day that fell on a weekend (第六条)


def _solar(lunar: Lunar) -> date:
    solar = lunar.getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def _run(first: date, days: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(days)]


def statutory_days(year: int) -> list[tuple[str, list[date]]]:
    """Each holiday of all citizens in `year` with its own days, in date order."""
    new_year = Lunar.fromYmd(year, 1, 1)  # lunar year `year` begins in Gregorian `year`
    # 除夕 is the eve of 正月初一: the last day of the twelfth month, whether it has 29 or 30
    # days (and whatever a leap twelfth month would do).
    eve = _solar(new_year) - timedelta(days=1)
    qingming = new_year.getJieQiTable()["清明"]
    holidays = [
        (NEW_YEAR, [date(year, 1, 1)]),
        (SPRING_FESTIVAL, _run(eve, 4)),
        (QINGMING, [date(qingming.getYear(), qingming.getMonth(), qingming.getDay())]),
        (LABOUR_DAY, _run(date(year, 5, 1), 2)),
        (DRAGON_BOAT, [_solar(Lunar.fromYmd(year, 5, 5))]),
        (MID_AUTUMN, [_solar(Lunar.fromYmd(year, 8, 15))]),
        (NATIONAL_DAY, _run(date(year, 10, 1), 3)),
    ]
    return sorted(holidays, key=lambda holiday: holiday[1][0])


@lru_cache(maxsize=64)  # a pure function of the year: the same answer in every process
def holidays(year: int) -> dict[date, FallbackHoliday]:
    """Every rest day other than a plain weekend in `year`, under the rules since 2025.

    A holiday day owed a make-up day is one on a Saturday or Sunday, or one that another
    holiday already occupies (中秋 can fall on 1–3 October, as in 2028): either way the citizen
    lost that day, and the make-up gives it back on the first free working day after the
    holiday. Every holiday's own days are placed before any make-up day, so a make-up never
    takes the place of another holiday.
    """
    days: dict[date, FallbackHoliday] = {}
    owed: list[tuple[str, date, int]] = []
    for name, own in statutory_days(year):
        lost = 0
        for day in own:
            if day.weekday() >= 5 or day in days:
                lost += 1
            days.setdefault(day, FallbackHoliday(name, made_up=False))
        owed.append((name, own[-1], lost))
    for name, last, lost in owed:
        day = last
        while lost:
            day += timedelta(days=1)
            if day.weekday() < 5 and day not in days:
                days[day] = FallbackHoliday(name, made_up=True)
                lost -= 1
    return days
