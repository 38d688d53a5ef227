/* icsread_rrule.c: an RRULE as Outlook's recurrence pattern and range
 * (icsread_rrule() in icsread.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "ft.h"
#include "icsread.h"
#include "icsread_int.h"
#include "model.h"
#include "recur.h"
#include "tz.h"
#include "xmalloc.h"

int64_t
ics_to_local(const struct tz_rule *r, int64_t utc)
{
	return r != NULL ? tz_utc_to_local(r, utc) : utc;
}


/* The BY parts Outlook can hold: *mask the BYDAY weekdays (bit 0
 * Sunday), *nth their position (or BYSETPOS), 0 when none. */
static int
rrule_days(const char *value, const struct icalrecurrencetype *r,
    uint32_t *mask, int *nth, char **why)
{
	int	i, pos, dow;

	if (r->by_second[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r->by_minute[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r->by_hour[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r->by_year_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r->by_week_no[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    (r->by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX &&
	    r->by_month_day[1] != ICAL_RECURRENCE_ARRAY_MAX) ||
	    (r->by_month[0] != ICAL_RECURRENCE_ARRAY_MAX &&
	    r->by_month[1] != ICAL_RECURRENCE_ARRAY_MAX) ||
	    (r->by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX &&
	    r->by_set_pos[1] != ICAL_RECURRENCE_ARRAY_MAX)) {
		xasprintf(why, "\"%s\" is not one of Outlook's shapes "
		    "(MS-OXCICAL 2.1.3.2.2)", value);
		return -1;
	}
	*mask = 0;
	*nth = 0;
	for (i = 0; i < ICAL_BY_DAY_SIZE &&
	    r->by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
		dow = icalrecurrencetype_day_day_of_week(r->by_day[i]);
		if (dow < ICAL_SUNDAY_WEEKDAY || dow > ICAL_SATURDAY_WEEKDAY) {
			xasprintf(why, "\"%s\": BYDAY names no weekday", value);
			return -1;
		}
		*mask |= 1u << (dow - 1);
		pos = icalrecurrencetype_day_position(r->by_day[i]);
		if (pos != 0 && *nth != 0 && pos != *nth) {
			xasprintf(why, "\"%s\": several BYDAY positions",
			    value);
			return -1;
		}
		if (pos != 0)
			*nth = pos;
	}
	if (r->by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX)
		*nth = r->by_set_pos[0];
	return 0;
}

/* A monthly or yearly rule every n months or years, the series
 * starting on day d of month mo. */
static int
rrule_monthly(const char *value, const struct icalrecurrencetype *r, int n,
    int mo, int d, uint32_t mask, int nth, struct recur *pat, char **why)
{
	if (r->freq == ICAL_YEARLY_RECURRENCE) {
		pat->freq = RECUR_FREQ_YEARLY;
		pat->period = 12 * (uint32_t)n;
		if (r->by_month[0] != ICAL_RECURRENCE_ARRAY_MAX &&
		    r->by_month[0] != mo) {
			xasprintf(why, "\"%s\": BYMONTH is not the "
			    "month of DTSTART", value);
			return -1;
		}
	} else {
		pat->freq = RECUR_FREQ_MONTHLY;
		pat->period = (uint32_t)n;
	}
	if (r->by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX) {
		if (r->by_month_day[0] == -1) {
			pat->pattern = RECUR_PAT_MONTHEND;
			pat->day_of_month = 31;
		} else if (r->by_month_day[0] >= 1 &&
		    r->by_month_day[0] <= 31) {
			pat->pattern = RECUR_PAT_MONTH;
			pat->day_of_month = (uint32_t)r->by_month_day[0];
		} else {
			xasprintf(why, "\"%s\": BYMONTHDAY is not "
			    "1..31 or -1", value);
			return -1;
		}
	} else if (mask != 0) {
		if (nth == -1)
			nth = 5;
		if (nth < 1 || nth > 5) {
			xasprintf(why, "\"%s\": BYDAY needs a "
			    "position 1..4 or -1", value);
			return -1;
		}
		pat->pattern = RECUR_PAT_MONTHNTH;
		pat->day_mask = mask;
		pat->nth = (uint32_t)nth;
	} else {
		pat->pattern = RECUR_PAT_MONTH;
		pat->day_of_month = (uint32_t)d;
	}
	return 0;
}

/* The range (COUNT, UNTIL or none) and the last day, by expanding the
 * rule in local wall-clock time from y-mo-d at pat->start_offset. */
static int
rrule_range(const char *value, struct icalrecurrencetype *r,
    const struct tz_rule *until_tz, int y, int mo, int d, struct recur *pat,
    char **why)
{
	icalrecur_iterator	*it;
	struct icaltimetype	 t, dt;
	int64_t			 last = 0, lu;
	int			 n;

	dt = icaltime_null_time();
	dt.year = y;
	dt.month = mo;
	dt.day = d;
	dt.hour = (int)pat->start_offset / 60;
	dt.minute = (int)pat->start_offset % 60;
	if (r->count > 0) {
		pat->end_type = RECUR_END_COUNT;
		pat->count = (uint32_t)r->count;
	} else if (!icaltime_is_null_time(r->until)) {
		pat->end_type = RECUR_END_DATE;
		if (r->until.is_date) {
			r->until.hour = 23;
			r->until.minute = 59;
			r->until.is_date = 0;
		} else if (icaltime_is_utc(r->until) ||
		    strchr(value, 'Z') != NULL) {
			lu = ics_to_local(until_tz, ft_from_civil(
			    r->until.year, r->until.month, r->until.day,
			    r->until.hour, r->until.minute, r->until.second));
			ft_civil_from_days(lu / FT_DAY, &r->until.year,
			    &r->until.month, &r->until.day);
			r->until.hour = (int)(lu / FT_SEC % 86400 / 3600);
			r->until.minute = (int)(lu / FT_SEC % 3600 / 60);
			r->until.second = (int)(lu / FT_SEC % 60);
		}
		r->until.zone = NULL;
	} else {
		pat->end_type = RECUR_END_NEVER;
		pat->count = 10;
		pat->end_date = RECUR_NO_END_DATE;
		return 0;
	}
	if ((it = icalrecur_iterator_new(*r, dt)) == NULL) {
		xasprintf(why, "libical cannot expand \"%s\"", value);
		return -1;
	}
	for (n = 0; n < 100000; n++) {
		t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t))
			break;
		last = ft_from_civil(t.year, t.month, t.day, t.hour,
		    t.minute, t.second);
	}
	icalrecur_iterator_free(it);
	if (n == 0 || n == 100000) {
		xasprintf(why, "\"%s\": %s", value, n == 0 ?
		    "no occurrence" : "more than 100000 occurrences");
		return -1;
	}
	if (pat->end_type == RECUR_END_DATE)
		pat->count = (uint32_t)n;
	pat->end_date = recur_midnight(recur_ft_to_min(last));
	return 0;
}

int
icsread_rrule(const char *value, const struct tz_rule *tz,
    const struct tz_rule *until_tz, int64_t start, int64_t end, int sunday,
    struct recur *pat, char **why)
{
	struct icalrecurrencetype r;
	int64_t			 local, days;
	uint32_t		 mask, lmin;
	int			 y, mo, d, nth, n;

	memset(pat, 0, sizeof *pat);
	r = icalrecurrencetype_from_string(value);
	if (r.freq == ICAL_NO_RECURRENCE || r.freq < ICAL_DAILY_RECURRENCE) {
		xasprintf(why, "\"%s\" is not a daily, weekly, monthly or "
		    "yearly rule", value);
		return -1;
	}
	if (rrule_days(value, &r, &mask, &nth, why) != 0)
		return -1;
	local = ics_to_local(tz, start);
	days = local / FT_DAY;
	ft_civil_from_days(days, &y, &mo, &d);
	n = r.interval > 0 ? r.interval : 1;
	switch (r.freq) {
	case ICAL_DAILY_RECURRENCE:
		pat->freq = RECUR_FREQ_DAILY;
		if (mask != 0) {
			pat->pattern = RECUR_PAT_WEEK;
			pat->period = (uint32_t)n;
			pat->day_mask = mask;
		} else {
			pat->pattern = RECUR_PAT_DAY;
			pat->period = (uint32_t)n * 1440;
		}
		break;
	case ICAL_WEEKLY_RECURRENCE:
		pat->freq = RECUR_FREQ_WEEKLY;
		pat->pattern = RECUR_PAT_WEEK;
		pat->period = (uint32_t)n;
		pat->day_mask = mask != 0 ? mask : 1u << tz_weekday(days);
		break;
	case ICAL_MONTHLY_RECURRENCE:
	case ICAL_YEARLY_RECURRENCE:
		if (rrule_monthly(value, &r, n, mo, d, mask, nth, pat,
		    why) != 0)
			return -1;
		break;
	default:
		xasprintf(why, "\"%s\": unsupported frequency", value);
		return -1;
	}
	/* Without WKST: RFC 5545's Monday, or Outlook's Sunday. */
	if (strstr(value, "WKST=") != NULL && r.week_start != ICAL_NO_WEEKDAY)
		pat->first_dow = (uint32_t)r.week_start - 1;
	else
		pat->first_dow = sunday ? 0 : 1;
	lmin = recur_ft_to_min(local);
	pat->start_date = recur_midnight(lmin);
	pat->start_offset = lmin - pat->start_date;
	pat->end_offset = pat->start_offset +
	    (uint32_t)((end > start ? end - start : 0) / FT_MIN);
	pat->writer_version2 = 0x3009;
	/* Expand in local wall-clock time to find the range. */
	return rrule_range(value, &r, until_tz, y, mo, d, pat, why);
}
