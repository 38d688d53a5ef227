/*
 * ft.h: FILETIME, the time every MS-PST time property holds (100 ns
 * ticks since 1601-01-01 00:00 UTC), and the proleptic Gregorian
 * calendar: one set of constants and one copy of the civil-date
 * arithmetic for the readers, tz, recur, dedup, the writer, verify,
 * the reports and the fixture tool.
 *
 * Plain arithmetic: nothing allocates or fails. Days count from
 * 1601-01-01 (day 0); months are 1..12. A FILETIME from a file can be
 * anything: ft_add() saturates where a sum would overflow, and every
 * division rounds toward minus infinity, so that times before an epoch
 * stay ordered.
 */
#ifndef FT_H
#define FT_H

#include <stdint.h>

#define FT_SEC		10000000LL
#define FT_MIN		(60 * FT_SEC)
#define FT_HOUR		(60 * FT_MIN)
#define FT_DAY		(24 * FT_HOUR)
#define FT_UNIX_EPOCH	116444736000000000LL	/* 1970-01-01 */

/* A FILETIME's date and time of day. */
struct ft_civil {
	int	year, month, day, hour, minute, second;
};

int64_t	ft_floordiv(int64_t, int64_t);
int64_t	ft_add(int64_t, int64_t);

/* FILETIME -> Unix seconds (floor) and back. */
int64_t	ft_to_unix(int64_t);
int64_t	ft_from_unix(int64_t);

/* Days since 1601-01-01 <-> date, and the FILETIME of a date and time
 * of day (no zone applied). */
int64_t	ft_days_from_civil(int, int, int);
void	ft_civil_from_days(int64_t, int *, int *, int *);
int64_t	ft_from_civil(int, int, int, int, int, int);
void	ft_to_civil(int64_t, struct ft_civil *);

#endif
