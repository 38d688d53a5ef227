/* writer_zone.c: the writer's times and zones: FILETIMEs as libical's
 * times, an item's stored zones, the TZIDs written and their VTIMEZONEs
 * in Outlook's form. */
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "tz.h"
#include "writer.h"
#include "writer_int.h"
#include "xmalloc.h"

#define DAYS_1601_1970	134774

struct civil {
	int64_t		 year;
	int		 month, day, hour, minute, second;
};

int	wr_clamped;

static const char *const dow_names[] = {
	"SU", "MO", "TU", "WE", "TH", "FR", "SA"
};

static void	emit_zone(struct wstate *, const struct wtz *);

int64_t
wr_floordiv(int64_t a, int64_t b)
{
	int64_t	q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* Add without overflowing: FILETIMEs from a file can be anything. */
int64_t
wr_ft_add(int64_t ft, int64_t delta)
{
	if (delta > 0 && ft > INT64_MAX - delta)
		return INT64_MAX;
	if (delta < 0 && ft < INT64_MIN + 1 - delta)
		return INT64_MIN + 1;
	return ft + delta;
}

static void
ft_civil(int64_t ft, struct civil *c)
{
	int64_t	secs, days, z, era, doe, yoe, doy, mp, rem;

	secs = wr_floordiv(ft, APPT_FT_PER_SEC);
	days = wr_floordiv(secs, 86400);
	rem = secs - days * 86400;
	c->hour = (int)(rem / 3600);
	c->minute = (int)(rem / 60 % 60);
	c->second = (int)(rem % 60);

	/* Days since 1970-01-01 to a proleptic Gregorian date. */
	z = days - DAYS_1601_1970 + 719468;
	era = wr_floordiv(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	c->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	c->year = yoe + era * 400 + (c->month <= 2);
}

int
wr_ft_year(int64_t ft)
{
	struct civil	c;

	ft_civil(ft, &c);
	if (c.year < 1601)
		return 1601;
	if (c.year > 30828)
		return 30828;
	return (int)c.year;
}

/* FILETIME (UTC or local) -> icaltimetype; utc marks it Z. */
struct icaltimetype
wr_icaltime(int64_t ft, int is_date, int utc)
{
	struct icaltimetype	t;
	struct civil		c;

	ft_civil(ft, &c);
	/* libical 3.0 prints any year after 3000 as 00000000T000000. */
	if (c.year < 0)
		wr_clamped = 1;
	if (c.year > 3000) {
		wr_clamped = 1;
		c.year = 3000;
		c.month = 12;
		c.day = 31;
		c.hour = 23;
		c.minute = c.second = 59;
	}
	t = is_date ? icaltime_null_date() : icaltime_null_time();
	t.year = c.year < 0 ? 0 : (int)c.year;
	t.month = c.month;
	t.day = c.day;
	if (!is_date) {
		t.hour = c.hour;
		t.minute = c.minute;
		t.second = c.second;
		if (utc)
			t.zone = icaltimezone_get_utc_timezone();
	}
	return t;
}

/* A local time rounded to its calendar date, as FILETIME of midnight:
 * all-day items are midnights, +12 h forgives a zone that is off. */
int64_t
wr_round_date(int64_t ft)
{
	return wr_floordiv(wr_ft_add(ft, 12 * FT_HOUR), FT_DAY) * FT_DAY;
}

void
wr_izone_free(struct izone *z)
{
	tz_zone_free(&z->tz);
	z->desc = NULL;
}

/* Load an item's zone: the TZDEFINITION, else the TZREG. 1 if any. */
int
wr_izone_load(struct izone *z, const struct appt_blob *def,
    const struct appt_blob *reg, const char *desc)
{
	z->desc = desc;
	return tz_zone_load(&z->tz, def != NULL ? def->data : NULL,
	    def != NULL ? def->len : 0, reg != NULL ? reg->data : NULL,
	    reg != NULL ? reg->len : 0);
}

/* The rule in force at a UTC instant, by its local year. */
const struct tz_rule *
wr_izone_rule_at(const struct izone *z, int64_t utc)
{
	const struct tz_rule	*r;
	int			 y;

	y = wr_ft_year(utc);
	r = tz_zone_rule(&z->tz, y);
	return tz_zone_rule(&z->tz, wr_ft_year(tz_utc_to_local(r, utc)));
}

int64_t
wr_izone_to_local(const struct izone *z, int64_t utc)
{
	return tz_utc_to_local(wr_izone_rule_at(z, utc), utc);
}

int64_t
wr_izone_to_utc(const struct izone *z, int64_t local)
{
	return tz_local_to_utc(tz_zone_rule(&z->tz, wr_ft_year(local)), local);
}

const char *
wr_izone_name(const struct izone *z)
{
	if (z->tz.has_def && z->tz.def.keyname != NULL &&
	    *z->tz.def.keyname != '\0')
		return z->tz.def.keyname;
	if (z->desc != NULL && *z->desc != '\0')
		return z->desc;
	return "Customized Time Zone";
}

static int
systime_eq(const struct tz_systime *a, const struct tz_systime *b)
{
	return a->year == b->year && a->month == b->month &&
	    a->dow == b->dow && a->day == b->day && a->hour == b->hour &&
	    a->minute == b->minute && a->second == b->second;
}

/* Same VTIMEZONE text? */
static int
rule_eq(const struct tz_rule *a, const struct tz_rule *b)
{
	int	dst = tz_rule_has_dst(a);

	if (dst != tz_rule_has_dst(b) || tz_std_offset(a) != tz_std_offset(b))
		return 0;
	if (!dst)
		return 1;
	return tz_dst_offset(a) == tz_dst_offset(b) &&
	    systime_eq(&a->std_date, &b->std_date) &&
	    systime_eq(&a->dst_date, &b->dst_date);
}

/* The TZID for a name and rule; a clash of rules gets a suffix. */
const char *
wr_zone_intern(struct wstate *st, const char *name, const struct tz_rule *r)
{
	char	*base, *cand;
	size_t	 i;
	int	 n;

	base = wr_param(name);
	cand = xstrdup(base);
	for (n = 2;; n++) {
		for (i = 0; i < st->nzones; i++) {
			if (strcmp(st->zones[i].tzid, cand) == 0)
				break;
		}
		if (i == st->nzones)
			break;
		if (rule_eq(&st->zones[i].rule, r)) {
			free(cand);
			free(base);
			return st->zones[i].tzid;
		}
		free(cand);
		xasprintf(&cand, "%s (%d)", base, n);
	}
	free(base);
	st->zones = xreallocarray(st->zones, st->nzones + 1,
	    sizeof *st->zones);
	st->zones[st->nzones].tzid = cand;
	st->zones[st->nzones].rule = *r;
	emit_zone(st, &st->zones[st->nzones]);
	return st->zones[st->nzones++].tzid;
}

/* A new VTIMEZONE's text, as the head will hold it, to opts->emit. */
static void
emit_zone(struct wstate *st, const struct wtz *z)
{
	icalcomponent	*c;
	char		*text;

	if (st->spool == NULL || st->spool_err || st->opts == NULL ||
	    st->opts->emit == NULL)
		return;
	c = wr_vtimezone(z);
	if ((text = icalcomponent_as_ical_string_r(c)) == NULL)
		st->spool_err = SPOOL_LIBICAL;
	else
		st->opts->emit(st->opts->emit_arg, WRITER_EMIT_ZONE, text);
	icalcomponent_free(c);
}

static int
is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
month_days(int64_t y, int m)
{
	static const int	days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* STANDARD or DAYLIGHT in Outlook's form: DTSTART in 1601, yearly RRULE. */
static icalcomponent *
vtz_part(icalcomponent_kind kind, const struct tz_systime *s, int32_t from,
    int32_t to)
{
	icalcomponent		*c;
	struct icaltimetype	 t;
	char			 rrule[64];
	int			 i, doy, first, day;

	c = icalcomponent_new(kind);
	t = icaltime_null_time();
	t.year = 1601;
	if (s == NULL) {
		t.month = 1;
		t.day = 1;
		icalcomponent_add_property(c, icalproperty_new_dtstart(t));
	} else {
		t.month = s->month;
		t.hour = s->hour;
		t.minute = s->minute;
		t.second = s->second;
		if (s->year == 0) {
			/* 1601-01-01 was a Monday. */
			for (doy = 0, i = 1; i < s->month; i++)
				doy += month_days(1601, i);
			first = (1 + doy) % 7;
			day = 1 + (s->dow - first + 7) % 7 + 7 * (s->day - 1);
			while (day > month_days(1601, s->month))
				day -= 7;
			snprintf(rrule, sizeof rrule,
			    "FREQ=YEARLY;BYDAY=%d%s;BYMONTH=%d",
			    s->day == 5 ? -1 : s->day, dow_names[s->dow],
			    s->month);
		} else {
			day = s->day;
			if (day > month_days(1601, s->month))
				day = month_days(1601, s->month);
			snprintf(rrule, sizeof rrule,
			    "FREQ=YEARLY;BYMONTHDAY=%d;BYMONTH=%d", s->day,
			    s->month);
		}
		t.day = day;
		icalcomponent_add_property(c, icalproperty_new_dtstart(t));
		icalcomponent_add_property(c, icalproperty_new_rrule(
		    icalrecurrencetype_from_string(rrule)));
	}
	icalcomponent_add_property(c, icalproperty_new_tzoffsetfrom(from));
	icalcomponent_add_property(c, icalproperty_new_tzoffsetto(to));
	return c;
}

icalcomponent *
wr_vtimezone(const struct wtz *z)
{
	icalcomponent		*c;
	const struct tz_rule	*r = &z->rule;
	int32_t			 std = tz_std_offset(r), dst;

	c = icalcomponent_new(ICAL_VTIMEZONE_COMPONENT);
	icalcomponent_add_property(c, icalproperty_new_tzid(z->tzid));
	if (!tz_rule_has_dst(r)) {
		icalcomponent_add_component(c,
		    vtz_part(ICAL_XSTANDARD_COMPONENT, NULL, std, std));
		return c;
	}
	dst = tz_dst_offset(r);
	icalcomponent_add_component(c,
	    vtz_part(ICAL_XSTANDARD_COMPONENT, &r->std_date, dst, std));
	icalcomponent_add_component(c,
	    vtz_part(ICAL_XDAYLIGHT_COMPONENT, &r->dst_date, std, dst));
	return c;
}
