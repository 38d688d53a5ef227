/* test_ft.c: FILETIME and civil-date arithmetic (ft.h). */
#include <criterion/criterion.h>
#include <stdint.h>

#include "ft.h"

Test(ft, constants)
{
	cr_assert_eq(FT_MIN, 600000000LL);
	cr_assert_eq(FT_DAY, 864000000000LL);
	cr_assert_eq(FT_UNIX_EPOCH, ft_from_civil(1970, 1, 1, 0, 0, 0));
}

Test(ft, floordiv_rounds_down)
{
	cr_assert_eq(ft_floordiv(7, 2), 3);
	cr_assert_eq(ft_floordiv(-7, 2), -4);
	cr_assert_eq(ft_floordiv(-8, 2), -4);
	cr_assert_eq(ft_floordiv(7, -2), -4);
	cr_assert_eq(ft_floordiv(-7, -2), 3);
	cr_assert_eq(ft_floordiv(INT64_MIN, FT_DAY), INT64_MIN / FT_DAY - 1);
	cr_assert_eq(ft_floordiv(INT64_MAX, FT_DAY), INT64_MAX / FT_DAY);
}

Test(ft, add_saturates)
{
	cr_assert_eq(ft_add(1, 2), 3);
	cr_assert_eq(ft_add(INT64_MAX - 1, 5), INT64_MAX);
	cr_assert_eq(ft_add(INT64_MIN + 3, -5), INT64_MIN + 1);
	cr_assert_eq(ft_add(-5, -5), -10);
}

Test(ft, unix_seconds)
{
	/* 2016-08-23T15:00:00Z */
	int64_t ft = 131164380000000000LL;

	cr_assert_eq(ft_to_unix(ft), 1471964400);
	cr_assert_eq(ft_from_unix(1471964400), ft);
	cr_assert_eq(ft_to_unix(FT_UNIX_EPOCH), 0);
	/* Sub-second parts floor, also before 1970. */
	cr_assert_eq(ft_to_unix(ft + 9999999), 1471964400);
	cr_assert_eq(ft_to_unix(FT_UNIX_EPOCH - 1), -1);
	/* Any FILETIME a file holds, without overflow (UBSan checks). */
	cr_assert_eq(ft_to_unix(INT64_MIN), INT64_MIN / FT_SEC - 1 -
	    FT_UNIX_EPOCH / FT_SEC);
	cr_assert_eq(ft_to_unix(INT64_MAX), INT64_MAX / FT_SEC -
	    FT_UNIX_EPOCH / FT_SEC);
}

Test(ft, civil_dates)
{
	int y, m, d;
	int64_t day;

	cr_assert_eq(ft_days_from_civil(1601, 1, 1), 0);
	cr_assert_eq(ft_days_from_civil(1970, 1, 1), 134774);
	cr_assert_eq(ft_days_from_civil(2000, 3, 1) -
	    ft_days_from_civil(2000, 2, 28), 2);	/* leap year */
	cr_assert_eq(ft_days_from_civil(1900, 3, 1) -
	    ft_days_from_civil(1900, 2, 28), 1);	/* not leap */
	for (day = -800000; day < 1200000; day += 37) {
		ft_civil_from_days(day, &y, &m, &d);
		cr_assert_eq(ft_days_from_civil(y, m, d), day);
	}
	ft_civil_from_days(ft_days_from_civil(4500, 8, 31), &y, &m, &d);
	cr_assert(y == 4500 && m == 8 && d == 31);
	ft_civil_from_days(-1, &y, &m, &d);
	cr_assert(y == 1600 && m == 12 && d == 31);
}

Test(ft, to_civil)
{
	struct ft_civil c;

	ft_to_civil(ft_from_civil(2024, 2, 29, 23, 59, 58) + 9999999, &c);
	cr_assert(c.year == 2024 && c.month == 2 && c.day == 29);
	cr_assert(c.hour == 23 && c.minute == 59 && c.second == 58);
	/* Before 1601 the time of day still counts forward. */
	ft_to_civil(-1, &c);
	cr_assert(c.year == 1600 && c.month == 12 && c.day == 31);
	cr_assert(c.hour == 23 && c.minute == 59 && c.second == 59);
	/* The extremes of the type: about 29,000 years either way. */
	ft_to_civil(INT64_MAX, &c);
	cr_assert(c.year == 30828 && c.month == 9 && c.day == 14);
	ft_to_civil(INT64_MIN, &c);
	cr_assert_lt(c.year, -27000);
}
