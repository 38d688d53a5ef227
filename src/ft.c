/* ft.c: FILETIME and civil-date arithmetic (ft.h). */
#include <stdint.h>

#include "ft.h"

int64_t
ft_floordiv(int64_t a, int64_t b)
{
	int64_t	q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t
ft_add(int64_t ft, int64_t delta)
{
	if (delta > 0 && ft > INT64_MAX - delta)
		return INT64_MAX;
	if (delta < 0 && ft < INT64_MIN + 1 - delta)
		return INT64_MIN + 1;
	return ft + delta;
}

/* The epoch is whole seconds: dividing first cannot overflow. */
int64_t
ft_to_unix(int64_t ft)
{
	return ft_floordiv(ft, FT_SEC) - FT_UNIX_EPOCH / FT_SEC;
}

int64_t
ft_from_unix(int64_t t)
{
	return t * FT_SEC + FT_UNIX_EPOCH;
}

int64_t
ft_days_from_civil(int y, int m, int d)
{
	int64_t yy, era, yoe, doy, doe;

	yy = (int64_t)y - (m <= 2);
	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	/* 584694: days from 0000-03-01 to 1601-01-01. */
	return era * 146097 + doe - 584694;
}

int64_t
ft_from_civil(int y, int mo, int d, int h, int mi, int s)
{
	return (ft_days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 +
	    (int64_t)mi * 60 + s) * FT_SEC;
}

void
ft_civil_from_days(int64_t days, int *y, int *m, int *d)
{
	int64_t z, era, doe, yoe, doy, mp, yy;

	z = days + 584694;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

void
ft_to_civil(int64_t ft, struct ft_civil *c)
{
	int64_t	secs, days, rem;

	secs = ft_floordiv(ft, FT_SEC);
	days = ft_floordiv(secs, 86400);
	rem = secs - days * 86400;
	ft_civil_from_days(days, &c->year, &c->month, &c->day);
	c->hour = (int)(rem / 3600);
	c->minute = (int)(rem / 60 % 60);
	c->second = (int)(rem % 60);
}
