/* icsread_zone.c: a VTIMEZONE as one Outlook time-zone rule
 * (icsread_zone() in icsread.h). */
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
#include "tz.h"
#include "xmalloc.h"

/* A STANDARD or DAYLIGHT part's yearly RRULE (rt) and DTSTART (t) as
 * the date of the change: 0, 1 when the rule is not yearly in a month,
 * 2 when it names no n-th weekday or day of the month. */
static int
zone_date(const struct icalrecurrencetype *rt, const struct icaltimetype *t,
    struct tz_systime *sd)
{
	int	pos;

	memset(sd, 0, sizeof *sd);
	if (rt->freq != ICAL_YEARLY_RECURRENCE ||
	    rt->by_month[0] < 1 || rt->by_month[0] > 12)
		return 1;
	sd->month = (uint16_t)rt->by_month[0];
	sd->hour = (uint16_t)t->hour;
	sd->minute = (uint16_t)t->minute;
	sd->second = (uint16_t)t->second;
	if (rt->by_day[0] != ICAL_RECURRENCE_ARRAY_MAX) {
		pos = icalrecurrencetype_day_position(rt->by_day[0]);
		sd->dow = (uint16_t)(icalrecurrencetype_day_day_of_week(
		    rt->by_day[0]) - 1);
		sd->day = (uint16_t)(pos == -1 ? 5 : pos);
		if (pos < -1 || pos == 0 || pos > 5 || sd->dow > 6)
			return 2;
	} else if (rt->by_month_day[0] >= 1 && rt->by_month_day[0] <= 31) {
		sd->year = 1;	/* absolute: every year */
		sd->day = (uint16_t)rt->by_month_day[0];
	} else
		return 2;
	return 0;
}

int
icsread_zone(const char *text, int strict, char **tzidp, struct tz_rule *out,
    char **cause)
{
	icalcomponent			*vtz, *part;
	icalproperty			*p;
	struct icalrecurrencetype	 rt;
	struct icaltimetype		 t;
	struct tz_systime		 sd;
	struct tz_rule			 rule;
	const char			*tzid;
	int64_t				 last[2] = { INT64_MIN, INT64_MIN };
	int64_t				 lastany = INT64_MIN, at;
	int32_t				 off[2] = { 0, 0 }, anyoff = 0;
	int				 n[2] = { 0, 0 }, has[2] = { 0, 0 };
	int				 k, error = -1, ok;

	*tzidp = NULL;
	vtz = icalparser_parse_string(text);
	if (vtz == NULL || icalcomponent_isa(vtz) != ICAL_VTIMEZONE_COMPONENT ||
	    (p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY)) ==
	    NULL || (tzid = icalproperty_get_tzid(p)) == NULL) {
		xasprintf(cause, "a VTIMEZONE cannot be parsed");
		goto out;
	}
	*tzidp = xstrdup(tzid);
	memset(&rule, 0, sizeof rule);
	for (part = icalcomponent_get_first_component(vtz,
	    ICAL_ANY_COMPONENT); part != NULL;
	    part = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
		if (icalcomponent_isa(part) == ICAL_XSTANDARD_COMPONENT)
			k = 0;
		else if (icalcomponent_isa(part) == ICAL_XDAYLIGHT_COMPONENT)
			k = 1;
		else
			continue;
		n[k]++;
		if ((p = icalcomponent_get_first_property(part,
		    ICAL_TZOFFSETTO_PROPERTY)) == NULL) {
			xasprintf(cause, "VTIMEZONE %s: no TZOFFSETTO", tzid);
			goto out;
		}
		at = INT64_MIN;
		if (icalcomponent_get_first_property(part,
		    ICAL_DTSTART_PROPERTY) != NULL) {
			t = icalcomponent_get_dtstart(part);
			if (!icaltime_is_null_time(t))
				at = ft_from_civil(t.year, t.month, t.day,
				    t.hour, t.minute, t.second);
		}
		if (at >= lastany) {
			lastany = at;
			anyoff = icalproperty_get_tzoffsetto(p);
		}
		if (icalcomponent_get_first_property(part,
		    ICAL_RRULE_PROPERTY) == NULL) {
			if (k == 0 && !has[0] && (n[0] == 1 || at >= last[0])) {
				off[0] = icalproperty_get_tzoffsetto(p);
				last[0] = at;
			}
			continue;
		}
		if (at == INT64_MIN) {
			xasprintf(cause, "VTIMEZONE %s: no DTSTART", tzid);
			goto out;
		}
		if (has[k] && at < last[k])
			continue;	/* an older rule */
		t = icalcomponent_get_dtstart(part);
		rt = icalproperty_get_rrule(icalcomponent_get_first_property(
		    part, ICAL_RRULE_PROPERTY));
		if ((ok = zone_date(&rt, &t, &sd)) != 0 && strict) {
			if (ok == 1)
				xasprintf(cause, "VTIMEZONE %s: RRULE not "
				    "yearly in a month", tzid);
			else
				xasprintf(cause, "VTIMEZONE %s: RRULE names "
				    "no n-th weekday or day", tzid);
			goto out;
		}
		if (ok != 0)
			continue;
		if (k == 0)
			rule.std_date = sd;
		else
			rule.dst_date = sd;
		off[k] = icalproperty_get_tzoffsetto(p);
		last[k] = at;
		has[k] = 1;
	}
	if (strict && (n[0] != 1 || n[1] > 1 || (n[1] == 1) !=
	    (rule.std_date.month != 0 && rule.dst_date.month != 0))) {
		xasprintf(cause, "VTIMEZONE %s: not one STANDARD and at most "
		    "one DAYLIGHT, both with RRULE", tzid);
		goto out;
	}
	if (n[0] == 0 && n[1] == 0) {
		xasprintf(cause, "VTIMEZONE %s: neither STANDARD nor DAYLIGHT",
		    tzid);
		goto out;
	}
	if (!has[0] || !has[1]) {
		/* No yearly change: the offset in force last. */
		memset(&rule.std_date, 0, sizeof rule.std_date);
		memset(&rule.dst_date, 0, sizeof rule.dst_date);
		off[0] = n[0] > 0 && !has[1] ? off[0] : anyoff;
		if (lastany != INT64_MIN)
			off[0] = anyoff;
		off[1] = off[0];
	}
	rule.bias = -off[0] / 60;
	rule.std_bias = 0;
	rule.dst_bias = -(off[1] - off[0]) / 60;
	*out = rule;
	error = 0;
out:
	if (vtz != NULL)
		icalcomponent_free(vtz);
	return error;
}
