/* icsread.c: an .ics file into the appointment model, one event at a time. */
#include <stdarg.h>
#include <errno.h>
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <xxhash.h>

#include "compat.h"
#include "goid.h"
#include "icsread.h"
#include "model.h"
#include "recur.h"
#include "tz.h"
#include "xmalloc.h"

#define FT_SEC		APPT_FT_PER_SEC
#define FT_MIN		(60 * FT_SEC)
#define FT_DAY		(1440 * FT_MIN)
#define ICS_LIMIT	((size_t)256 << 20)	/* longest component */
#define NO_DELTA	0x5AE980E1		/* PidLidReminderDelta unset */

struct izone {
	char		*tzid;
	char		*bad;		/* why it cannot be used, or NULL */
	struct tz_rule	 rule;
	struct appt_blob reg, def, rdef;	/* blobs for the model */
};

/* A recurring master while its overrides may still come. */
struct iseries {
	size_t		 idx;		/* in rs->items */
	char		*uid;
	struct recur	 pat;		/* pattern and range */
	int		 has_rule;	/* else minutes are UTC */
	struct tz_rule	 rule;
	uint32_t	*exdel;		/* EXDATEs, local minutes */
	size_t		 nexdel;
};

struct ipending {
	char		*uid;
	struct appt	*item;		/* the override, times UTC */
	int64_t		 rid;		/* original start, UTC */
};

struct irs {
	const char		*path;
	const struct reader_opts *opts;
	struct reader_result	*res;
	char			*calname;	/* the file's base name */
	char			*xname;		/* X-WR-CALNAME, or NULL */
	struct izone		*zones;
	size_t			 nzones;
	struct appt_list	 items;
	char			**uids;	/* per item */
	struct iseries		*series;
	size_t			 nseries;
	struct ipending		*pend;
	size_t			 npend;
	size_t			 nevents;
};

struct ibuf {
	char		*p;
	size_t		 len, cap;
};

static void	 ibuf_add(struct ibuf *, const char *, size_t);
static void	 skip_add(struct irs *, const char *, const char *, int,
		    const char *, ...) __attribute__((format(printf, 5, 6)));
static int64_t	 to_local(const struct tz_rule *, int64_t);
static uint32_t	 midnight(uint32_t);
static const struct izone *zone_find(struct irs *, const char *);
static int	 get_time(struct irs *, icalproperty *, int64_t *, int *,
		    const struct izone **, char **);
static char	*xtext(const char *);
static int	 on_calprop(void *, const char *, int, char **);
static int	 on_zone(void *, const char *, int, char **);
static int	 on_other(void *, const char *, int, char **);
static int	 on_event(void *, const char *, int, char **);
static int	 finish(struct irs *);

/* ---- the chunker ---- */

static void
ibuf_add(struct ibuf *b, const char *s, size_t len)
{
	if (b->len + len + 3 > b->cap) {
		b->cap = (b->len + len + 3) * 2;
		b->p = xreallocarray(b->p, b->cap, 1);
	}
	memcpy(b->p + b->len, s, len);
	b->len += len;
	b->p[b->len++] = '\r';
	b->p[b->len++] = '\n';
	b->p[b->len] = '\0';
}

int
icsread_chunks(FILE *in, struct icsread_chunker *c, char **cause)
{
	struct ibuf	 ev, tz;
	char		*line = NULL, *s, *other = NULL;
	size_t		 cap = 0, len;
	ssize_t		 got;
	int		 error = -1, where = 0, skipping = 0, nevents = 0;
	int		 start = 0, depth = 0;
	enum { C_START, C_CAL, C_TZ, C_EVENT, C_OTHER, C_END } state = C_START;

	memset(&ev, 0, sizeof ev);
	memset(&tz, 0, sizeof tz);
	*cause = NULL;
	c->max_chunk = 0;
	while ((got = getline(&line, &cap, in)) != -1) {
		where++;
		len = (size_t)got;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			len--;
		line[len] = '\0';
		s = line;
		if (c->limit > 0 && (state == C_EVENT ? ev.len :
		    state == C_TZ ? tz.len : 0) + len > c->limit) {
			xasprintf(cause, "line %d: a component longer than "
			    "%zu bytes", where, c->limit);
			goto out;
		}
		switch (state) {
		case C_START:
			if (where == 1 && len >= 3 &&
			    memcmp(s, "\xEF\xBB\xBF", 3) == 0)
				s += 3;
			while (*s == ' ' || *s == '\t')
				s++;
			if (*s == '\0')
				break;
			if (strcasecmp(s, "BEGIN:VCALENDAR") != 0) {
				xasprintf(cause, "line %d: no BEGIN:VCALENDAR",
				    where);
				goto out;
			}
			state = C_CAL;
			break;
		case C_CAL:
			if (strcasecmp(s, "BEGIN:VTIMEZONE") == 0) {
				tz.len = 0;
				ibuf_add(&tz, s, len);
				start = where;
				state = C_TZ;
			} else if (strcasecmp(s, "BEGIN:VEVENT") == 0) {
				ev.len = 0;
				skipping = 0;
				ibuf_add(&ev, s, len);
				start = where;
				state = C_EVENT;
			} else if (strcasecmp(s, "END:VCALENDAR") == 0)
				state = C_END;
			else if (strncasecmp(s, "BEGIN:", 6) == 0) {
				if (c->other == NULL) {
					xasprintf(cause, "line %d: unexpected "
					    "%s", where, s);
					goto out;
				}
				free(other);
				other = xstrdup(s + 6);
				depth = 1;
				start = where;
				state = C_OTHER;
			} else if (c->calprop != NULL &&
			    c->calprop(c->arg, s, where, cause) != 0)
				goto out;
			break;
		case C_TZ:
			ibuf_add(&tz, s, len);
			if (strcasecmp(s, "END:VTIMEZONE") == 0) {
				if (c->zone(c->arg, tz.p, start, cause) != 0)
					goto out;
				state = C_CAL;
			}
			break;
		case C_EVENT:
			if (s[0] != ' ' && s[0] != '\t')
				skipping = c->skip_prop != NULL &&
				    c->skip_prop(s);
			if (!skipping)
				ibuf_add(&ev, s, len);
			if (strcasecmp(s, "END:VEVENT") == 0) {
				if (ev.len > c->max_chunk)
					c->max_chunk = ev.len;
				nevents++;
				if (c->event(c->arg, ev.p, start, cause) != 0)
					goto out;
				state = C_CAL;
			}
			break;
		case C_OTHER:
			if (strncasecmp(s, "BEGIN:", 6) == 0)
				depth++;
			else if (strncasecmp(s, "END:", 4) == 0 &&
			    --depth == 0) {
				if (c->other(c->arg, other, start, cause) != 0)
					goto out;
				state = C_CAL;
			}
			break;
		case C_END:
			/* Calendars one after another: lenient readers
			 * (those that take other components) go on. */
			if (c->other != NULL &&
			    strcasecmp(s, "BEGIN:VCALENDAR") == 0) {
				state = C_CAL;
				break;
			}
			if (len != 0) {
				xasprintf(cause, "line %d: text after "
				    "END:VCALENDAR", where);
				goto out;
			}
			break;
		}
	}
	if (ferror(in)) {
		xasprintf(cause, "cannot read the file: %s", strerror(errno));
		goto out;
	}
	if (state == C_START) {
		xasprintf(cause, "file ends before BEGIN:VCALENDAR");
		goto out;
	}
	if (state != C_END) {
		xasprintf(cause, "file ends before END:VCALENDAR%s",
		    state == C_EVENT ? " (inside a VEVENT)" :
		    state == C_TZ ? " (inside a VTIMEZONE)" : "");
		error = ICSREAD_TRUNCATED;
		goto out;
	}
	error = 0;
out:
	free(other);
	free(ev.p);
	free(tz.p);
	free(line);
	return error;
}

int
icsread_sniff(const uint8_t *p, size_t n)
{
	static const char	 tag[] = "BEGIN:VCALENDAR";
	size_t			 i = 0;

	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	return n - i >= sizeof tag - 1 &&
	    strncasecmp((const char *)p + i, tag, sizeof tag - 1) == 0;
}

/* ---- time zones ---- */

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
	int				 k, pos, error = -1, ok;

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
				at = tz_ft_from_civil(t.year, t.month, t.day, t.hour,
				    t.minute, t.second);
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
		memset(&sd, 0, sizeof sd);
		ok = 1;
		if (rt.freq != ICAL_YEARLY_RECURRENCE ||
		    rt.by_month[0] < 1 || rt.by_month[0] > 12) {
			if (strict) {
				xasprintf(cause, "VTIMEZONE %s: RRULE not "
				    "yearly in a month", tzid);
				goto out;
			}
			ok = 0;
		} else {
			sd.month = (uint16_t)rt.by_month[0];
			sd.hour = (uint16_t)t.hour;
			sd.minute = (uint16_t)t.minute;
			sd.second = (uint16_t)t.second;
			if (rt.by_day[0] != ICAL_RECURRENCE_ARRAY_MAX) {
				pos = icalrecurrencetype_day_position(
				    rt.by_day[0]);
				sd.dow = (uint16_t)(
				    icalrecurrencetype_day_day_of_week(
				    rt.by_day[0]) - 1);
				sd.day = (uint16_t)(pos == -1 ? 5 : pos);
				if (pos < -1 || pos == 0 || pos > 5 ||
				    sd.dow > 6)
					ok = 0;
			} else if (rt.by_month_day[0] >= 1 &&
			    rt.by_month_day[0] <= 31) {
				sd.year = 1;	/* absolute: every year */
				sd.day = (uint16_t)rt.by_month_day[0];
			} else
				ok = 0;
			if (!ok && strict) {
				xasprintf(cause, "VTIMEZONE %s: RRULE names "
				    "no n-th weekday or day", tzid);
				goto out;
			}
		}
		if (!ok)
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

static const struct izone *
zone_find(struct irs *rs, const char *tzid)
{
	size_t	i;

	for (i = rs->nzones; i > 0; i--) {
		if (strcmp(rs->zones[i - 1].tzid, tzid) == 0)
			return &rs->zones[i - 1];
	}
	return NULL;
}

/* ---- time ---- */

static int64_t
to_local(const struct tz_rule *r, int64_t utc)
{
	return r != NULL ? tz_utc_to_local(r, utc) : utc;
}

static uint32_t
midnight(uint32_t min)
{
	return min - min % 1440;
}

/* A DTSTART, DTEND, RECURRENCE-ID or EXDATE value: UTC FILETIME, whether
 * a date, and its zone (NULL for UTC, floating and dates). */
static int
get_time_value(struct irs *rs, icalproperty *p, struct icaltimetype t,
    int64_t *ft, int *is_date, const struct izone **zp, char **why)
{
	icalparameter		*par;
	const char		*tzid = NULL;
	const struct izone	*z = NULL;
	icaltimezone		*bz;
	struct icaltimetype	 u;

	if (icaltime_is_null_time(t) || t.year < 1601 || t.year > 9999 ||
	    t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 ||
	    t.hour < 0 || t.hour > 23 || t.minute < 0 || t.minute > 59 ||
	    t.second < 0 || t.second > 60) {
		xasprintf(why, "not a date or time");
		return -1;
	}
	*is_date = t.is_date;
	*ft = tz_ft_from_civil(t.year, t.month, t.day, t.is_date ? 0 : t.hour,
	    t.is_date ? 0 : t.minute, t.is_date ? 0 : t.second);
	if (zp != NULL)
		*zp = NULL;
	if (t.is_date || icaltime_is_utc(t))
		return 0;
	if ((par = icalproperty_get_first_parameter(p,
	    ICAL_TZID_PARAMETER)) != NULL)
		tzid = icalparameter_get_tzid(par);
	if (tzid == NULL || *tzid == '\0')
		return 0;	/* floating: taken as UTC */
	if ((z = zone_find(rs, tzid)) != NULL && z->bad != NULL) {
		xasprintf(why, "TZID %s: %s", tzid, z->bad);
		return -1;
	}
	if (z != NULL) {
		*ft = tz_local_to_utc(&z->rule, *ft);
		if (zp != NULL)
			*zp = z;
		return 0;
	}
	/* An Olson name without VTIMEZONE: libical's own zone. */
	if ((bz = icaltimezone_get_builtin_timezone(tzid)) == NULL) {
		xasprintf(why, "TZID %s has no VTIMEZONE", tzid);
		return -1;
	}
	t.zone = bz;
	u = icaltime_convert_to_zone(t, icaltimezone_get_utc_timezone());
	*ft = tz_ft_from_civil(u.year, u.month, u.day, u.hour, u.minute, u.second);
	return 0;
}

static int
get_time(struct irs *rs, icalproperty *p, int64_t *ft, int *is_date,
    const struct izone **zp, char **why)
{
	return get_time_value(rs, p,
	    icalvalue_get_datetimedate(icalproperty_get_value(p)), ft,
	    is_date, zp, why);
}

/* ---- recurrence ---- */

int
icsread_rrule(const char *value, const struct tz_rule *tz,
    const struct tz_rule *until_tz, int64_t start, int64_t end, int sunday,
    struct recur *pat, char **why)
{
	struct icalrecurrencetype r;
	icalrecur_iterator	*it;
	struct icaltimetype	 t, dt;
	int64_t			 local, last = 0, lu, days;
	uint32_t		 mask = 0, lmin;
	int			 y, mo, d, pos, nth = 0, i, n, dow;

	memset(pat, 0, sizeof *pat);
	r = icalrecurrencetype_from_string(value);
	if (r.freq == ICAL_NO_RECURRENCE || r.freq < ICAL_DAILY_RECURRENCE) {
		xasprintf(why, "\"%s\" is not a daily, weekly, monthly or "
		    "yearly rule", value);
		return -1;
	}
	if (r.by_second[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r.by_minute[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r.by_hour[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r.by_year_day[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    r.by_week_no[0] != ICAL_RECURRENCE_ARRAY_MAX ||
	    (r.by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX &&
	    r.by_month_day[1] != ICAL_RECURRENCE_ARRAY_MAX) ||
	    (r.by_month[0] != ICAL_RECURRENCE_ARRAY_MAX &&
	    r.by_month[1] != ICAL_RECURRENCE_ARRAY_MAX) ||
	    (r.by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX &&
	    r.by_set_pos[1] != ICAL_RECURRENCE_ARRAY_MAX)) {
		xasprintf(why, "\"%s\" is not one of Outlook's shapes "
		    "(MS-OXCICAL 2.1.3.2.2)", value);
		return -1;
	}
	for (i = 0; i < ICAL_BY_DAY_SIZE &&
	    r.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++) {
		dow = icalrecurrencetype_day_day_of_week(r.by_day[i]);
		if (dow < ICAL_SUNDAY_WEEKDAY || dow > ICAL_SATURDAY_WEEKDAY) {
			xasprintf(why, "\"%s\": BYDAY names no weekday", value);
			return -1;
		}
		mask |= 1u << (dow - 1);
		pos = icalrecurrencetype_day_position(r.by_day[i]);
		if (pos != 0 && nth != 0 && pos != nth) {
			xasprintf(why, "\"%s\": several BYDAY positions",
			    value);
			return -1;
		}
		if (pos != 0)
			nth = pos;
	}
	if (r.by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX)
		nth = r.by_set_pos[0];
	local = to_local(tz, start);
	days = local / FT_DAY;
	tz_civil_from_days(days, &y, &mo, &d);
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
		if (r.freq == ICAL_YEARLY_RECURRENCE) {
			pat->freq = RECUR_FREQ_YEARLY;
			pat->period = 12 * (uint32_t)n;
			if (r.by_month[0] != ICAL_RECURRENCE_ARRAY_MAX &&
			    r.by_month[0] != mo) {
				xasprintf(why, "\"%s\": BYMONTH is not the "
				    "month of DTSTART", value);
				return -1;
			}
		} else {
			pat->freq = RECUR_FREQ_MONTHLY;
			pat->period = (uint32_t)n;
		}
		if (r.by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX) {
			if (r.by_month_day[0] == -1) {
				pat->pattern = RECUR_PAT_MONTHEND;
				pat->day_of_month = 31;
			} else if (r.by_month_day[0] >= 1 &&
			    r.by_month_day[0] <= 31) {
				pat->pattern = RECUR_PAT_MONTH;
				pat->day_of_month = (uint32_t)
				    r.by_month_day[0];
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
	pat->start_date = midnight(lmin);
	pat->start_offset = lmin - pat->start_date;
	pat->end_offset = pat->start_offset +
	    (uint32_t)((end > start ? end - start : 0) / FT_MIN);
	pat->writer_version2 = 0x3009;

	/* Expand in local wall-clock time to find the range. */
	dt = icaltime_null_time();
	dt.year = y;
	dt.month = mo;
	dt.day = d;
	dt.hour = (int)pat->start_offset / 60;
	dt.minute = (int)pat->start_offset % 60;
	if (r.count > 0) {
		pat->end_type = RECUR_END_COUNT;
		pat->count = (uint32_t)r.count;
	} else if (!icaltime_is_null_time(r.until)) {
		pat->end_type = RECUR_END_DATE;
		if (r.until.is_date) {
			r.until.hour = 23;
			r.until.minute = 59;
			r.until.is_date = 0;
		} else if (icaltime_is_utc(r.until) ||
		    strchr(value, 'Z') != NULL) {
			lu = to_local(until_tz, tz_ft_from_civil(r.until.year,
			    r.until.month, r.until.day, r.until.hour,
			    r.until.minute, r.until.second));
			tz_civil_from_days(lu / FT_DAY, &r.until.year,
			    &r.until.month, &r.until.day);
			r.until.hour = (int)(lu / FT_SEC % 86400 / 3600);
			r.until.minute = (int)(lu / FT_SEC % 3600 / 60);
			r.until.second = (int)(lu / FT_SEC % 60);
		}
		r.until.zone = NULL;
	} else {
		pat->end_type = RECUR_END_NEVER;
		pat->count = 10;
		pat->end_date = RECUR_NO_END_DATE;
		return 0;
	}
	if ((it = icalrecur_iterator_new(r, dt)) == NULL) {
		xasprintf(why, "libical cannot expand \"%s\"", value);
		return -1;
	}
	for (n = 0; n < 100000; n++) {
		t = icalrecur_iterator_next(it);
		if (icaltime_is_null_time(t))
			break;
		last = tz_ft_from_civil(t.year, t.month, t.day, t.hour, t.minute,
		    t.second);
	}
	icalrecur_iterator_free(it);
	if (n == 0 || n == 100000) {
		xasprintf(why, "\"%s\": %s", value, n == 0 ?
		    "no occurrence" : "more than 100000 occurrences");
		return -1;
	}
	if (pat->end_type == RECUR_END_DATE)
		pat->count = (uint32_t)n;
	pat->end_date = midnight(recur_ft_to_min(last));
	return 0;
}

/* ---- events ---- */

static void
skip_add(struct irs *rs, const char *subject, const char *uid, int damaged,
    const char *fmt, ...)
{
	struct reader_result	*res = rs->res;
	struct reader_skip	*s;
	va_list			 ap;
	char			*why;

	va_start(ap, fmt);
	if (vasprintf(&why, fmt, ap) == -1)
		why = xstrdup("cannot be read");
	va_end(ap);
	res->skips = xreallocarray(res->skips, res->nskips + 1,
	    sizeof *res->skips);
	s = &res->skips[res->nskips++];
	memset(s, 0, sizeof *s);
	s->id = rs->nevents;
	s->folder = xstrdup(rs->calname);
	s->msgclass = xstrdup("VEVENT");
	s->subject = xtext(subject != NULL ? subject : uid);
	s->reason = appt_text_clean(why);
	s->damaged = damaged;
}

/* libical's text as clean model text. */
static char *
xtext(const char *s)
{
	return s != NULL ? appt_text_clean(xstrdup(s)) : NULL;
}

static const char *
x_value(icalcomponent *ev, const char *name)
{
	icalproperty	*p;
	const char	*xn;

	for (p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(ev,
	    ICAL_X_PROPERTY)) {
		if ((xn = icalproperty_get_x_name(p)) != NULL &&
		    strcasecmp(xn, name) == 0)
			return icalproperty_get_x(p);
	}
	return NULL;
}

static int
x_bool(icalcomponent *ev, const char *name)
{
	const char	*v = x_value(ev, name);

	if (v == NULL)
		return APPT_ABSENT;
	return strcasecmp(v, "TRUE") == 0 ? 1 :
	    strcasecmp(v, "FALSE") == 0 ? 0 : APPT_ABSENT;
}

static int
x_int(icalcomponent *ev, const char *name, int32_t *out)
{
	const char	*v = x_value(ev, name);
	char		*end;
	long long	 n;

	if (v == NULL)
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0 || n < INT32_MIN ||
	    n > INT32_MAX)
		return 0;
	*out = (int32_t)n;
	return 1;
}

static int32_t
busy_of(const char *v)
{
	static const char *const names[] = {
		"FREE", "TENTATIVE", "BUSY", "OOF", "WORKINGELSEWHERE"
	};
	size_t	i;

	for (i = 0; v != NULL && i < 5; i++)
		if (strcasecmp(v, names[i]) == 0)
			return (int32_t)i;
	return APPT_ABSENT;
}

static int64_t
utc_of(icalproperty *p)
{
	struct icaltimetype	t;

	if (p == NULL)
		return APPT_NOTIME;
	t = icalvalue_get_datetime(icalproperty_get_value(p));
	if (icaltime_is_null_time(t) || t.year < 1601 || t.month < 1 ||
	    t.month > 12 || t.day < 1 || t.day > 31)
		return APPT_NOTIME;
	return tz_ft_from_civil(t.year, t.month, t.day, t.hour, t.minute, t.second);
}

static char *
strip_mailto(const char *s)
{
	if (s == NULL)
		return NULL;
	if (strncasecmp(s, "mailto:", 7) == 0)
		s += 7;
	if (strcasecmp(s, "invalid:nomail") == 0 || *s == '\0')
		return NULL;
	return xtext(s);
}

static void
people(icalcomponent *ev, struct appt *a)
{
	icalproperty	*p;
	icalparameter	*par;
	struct appt_person *r;
	const char	*cn;

	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_ORGANIZER_PROPERTY)) != NULL) {
		a->org_email = strip_mailto(icalproperty_get_organizer(p));
		if ((par = icalproperty_get_first_parameter(p,
		    ICAL_CN_PARAMETER)) != NULL &&
		    (cn = icalparameter_get_cn(par)) != NULL)
			a->org_name = xtext(cn);
		a->state = APPT_STATE_MEETING;
	}
	for (p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(ev,
	    ICAL_ATTENDEE_PROPERTY)) {
		a->rcpts = xreallocarray(a->rcpts, a->nrcpts + 1,
		    sizeof *a->rcpts);
		r = &a->rcpts[a->nrcpts++];
		memset(r, 0, sizeof *r);
		r->email = strip_mailto(icalproperty_get_attendee(p));
		r->addrtype = xstrdup("SMTP");
		if ((par = icalproperty_get_first_parameter(p,
		    ICAL_CN_PARAMETER)) != NULL &&
		    (cn = icalparameter_get_cn(par)) != NULL)
			r->name = xtext(cn);
		r->type = 1;
		if ((par = icalproperty_get_first_parameter(p,
		    ICAL_CUTYPE_PARAMETER)) != NULL &&
		    icalparameter_get_cutype(par) == ICAL_CUTYPE_RESOURCE)
			r->type = 3;
		else if ((par = icalproperty_get_first_parameter(p,
		    ICAL_ROLE_PARAMETER)) != NULL &&
		    icalparameter_get_role(par) == ICAL_ROLE_OPTPARTICIPANT)
			r->type = 2;
		r->flags = APPT_RCPT_SENDABLE;
		r->track_status = 0;
		if ((par = icalproperty_get_first_parameter(p,
		    ICAL_PARTSTAT_PARAMETER)) != NULL) {
			switch (icalparameter_get_partstat(par)) {
			case ICAL_PARTSTAT_TENTATIVE:
				r->track_status = 2;
				break;
			case ICAL_PARTSTAT_ACCEPTED:
				r->track_status = 3;
				break;
			case ICAL_PARTSTAT_DECLINED:
				r->track_status = 4;
				break;
			default:
				break;
			}
		}
		a->state = APPT_STATE_MEETING;
	}
}

static void
alarm(icalcomponent *ev, struct appt *a)
{
	icalcomponent		*al;
	icalproperty		*p;
	struct icaltriggertype	 tr;
	int			 sec;

	if ((al = icalcomponent_get_first_component(ev,
	    ICAL_VALARM_COMPONENT)) == NULL)
		return;
	a->reminder_set = 1;
	a->reminder_min = 15;
	if ((p = icalcomponent_get_first_property(al,
	    ICAL_TRIGGER_PROPERTY)) == NULL)
		return;
	tr = icalproperty_get_trigger(p);
	if (!icaltime_is_null_time(tr.time))
		return;
	sec = -icaldurationtype_as_int(tr.duration);
	if (sec >= 0)
		a->reminder_min = sec / 60;
}

/*
 * The spaces and tabs that end property name's value in the raw text
 * of one VEVENT (its own lines, not a VALARM's), folds undone: libical's
 * parser drops them. Allocated, or NULL when there are none.
 */
static char *
raw_tail(const char *text, const char *name)
{
	const char	*l, *p, *end, *next;
	char		*u = NULL, *t;
	size_t		 n = strlen(name), len = 0, k;
	int		 depth = 0, want;

	for (l = text; *l != '\0'; l = next) {
		if (strncasecmp(l, "BEGIN:", 6) == 0)
			depth++;
		else if (strncasecmp(l, "END:", 4) == 0)
			depth--;
		want = depth == 1 && strncasecmp(l, name, n) == 0 &&
		    (l[n] == ':' || l[n] == ';');
		/* One logical line, its folds undone into u when wanted. */
		for (p = l;; p = next + 1) {
			end = p + strcspn(p, "\r\n");
			if (want) {
				u = xreallocarray(u, len + (size_t)(end - p) + 1,
				    1);
				memcpy(u + len, p, (size_t)(end - p));
				len += (size_t)(end - p);
			}
			next = end;
			if (*next == '\r')
				next++;
			if (*next == '\n')
				next++;
			if (next == end || (*next != ' ' && *next != '\t'))
				break;
		}
		if (want)
			break;
	}
	if (u == NULL)
		return NULL;
	for (k = 0; k < len && (u[len - 1 - k] == ' ' ||
	    u[len - 1 - k] == '\t'); k++)
		;
	t = k > 0 && k < len ? xstrndup(u + len - k, k) : NULL;
	free(u);
	return t;
}

/* Put back the white space that ended a text value in the file. */
static void
restore_tail(char **val, const char *text, const char *name)
{
	char	*tail;
	size_t	 k, n;

	if (*val == NULL || (n = strlen(*val)) == 0 ||
	    (*val)[n - 1] == ' ' || (*val)[n - 1] == '\t' ||
	    (tail = raw_tail(text, name)) == NULL)
		return;
	k = strlen(tail);
	*val = xreallocarray(*val, n + k + 1, 1);
	memcpy(*val + n, tail, k + 1);
	free(tail);
}

/* The properties an event has whether master, single or override. */
static void
common_props(icalcomponent *ev, struct appt *a)
{
	icalproperty	*p;
	icalparameter	*par;
	const char	*v, *fmt;
	int32_t		 n;
	char		*all, *tok, *save;

	a->subject = xtext(icalcomponent_get_summary(ev));
	a->location = xtext(icalcomponent_get_location(ev));
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_DESCRIPTION_PROPERTY)) != NULL)
		a->body = xtext(icalproperty_get_description(p));
	for (p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(ev,
	    ICAL_X_PROPERTY)) {
		if ((v = icalproperty_get_x_name(p)) == NULL ||
		    strcasecmp(v, "X-ALT-DESC") != 0)
			continue;
		par = icalproperty_get_first_parameter(p,
		    ICAL_FMTTYPE_PARAMETER);
		fmt = par != NULL ? icalparameter_get_fmttype(par) : NULL;
		if (fmt != NULL && strcasecmp(fmt, "text/html") == 0 &&
		    a->html == NULL)
			a->html = xtext(icalproperty_get_x(p));
	}
	for (p = icalcomponent_get_first_property(ev,
	    ICAL_CATEGORIES_PROPERTY); p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_CATEGORIES_PROPERTY)) {
		if ((v = icalproperty_get_categories(p)) == NULL)
			continue;
		all = xstrdup(v);
		for (tok = strtok_r(all, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			a->categories = xreallocarray(a->categories,
			    a->ncategories + 1, sizeof *a->categories);
			a->categories[a->ncategories++] = xtext(tok);
		}
		free(all);
	}
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_CLASS_PROPERTY)) != NULL) {
		switch (icalproperty_get_class(p)) {
		case ICAL_CLASS_PUBLIC:
			a->sensitivity = 0;
			break;
		case ICAL_CLASS_PRIVATE:
			a->sensitivity = 2;
			break;
		case ICAL_CLASS_CONFIDENTIAL:
			a->sensitivity = 3;
			break;
		default:
			break;
		}
	}
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_PRIORITY_PROPERTY)) != NULL) {
		n = icalproperty_get_priority(p);
		a->importance = n == 0 ? APPT_ABSENT : n < 5 ? 2 : n == 5 ?
		    1 : 0;
	}
	if (x_int(ev, "X-MICROSOFT-CDO-IMPORTANCE", &n) && n >= 0 && n <= 2)
		a->importance = n;
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_TRANSP_PROPERTY)) != NULL)
		a->busy = icalproperty_get_transp(p) ==
		    ICAL_TRANSP_TRANSPARENT ? 0 : 2;
	if ((n = busy_of(x_value(ev, "X-MICROSOFT-CDO-BUSYSTATUS"))) !=
	    APPT_ABSENT)
		a->busy = n;
	a->intended_busy = busy_of(x_value(ev,
	    "X-MICROSOFT-CDO-INTENDEDSTATUS"));
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_SEQUENCE_PROPERTY)) != NULL)
		a->sequence = icalproperty_get_sequence(p);
	a->created = utc_of(icalcomponent_get_first_property(ev,
	    ICAL_CREATED_PROPERTY));
	a->modified = utc_of(icalcomponent_get_first_property(ev,
	    ICAL_LASTMODIFIED_PROPERTY));
	a->crit_change = utc_of(icalcomponent_get_first_property(ev,
	    ICAL_DTSTAMP_PROPERTY));
	if (x_int(ev, "X-MICROSOFT-CDO-OWNERAPPTID", &n)) {
		a->has_owner_appt_id = 1;
		a->owner_appt_id = n;
	}
	a->no_counter = x_bool(ev, "X-MICROSOFT-DISALLOW-COUNTER");
	a->extern_check = x_bool(ev, "X-MS-OLK-ALLOWEXTERNCHECK");
	a->autofill_loc = x_bool(ev, "X-MS-OLK-AUTOFILLLOCATION");
	if (x_int(ev, "X-MS-OLK-APPTLASTSEQUENCE", &n))
		a->last_sequence = n;
	if (x_int(ev, "X-MS-OLK-CONFTYPE", &n))
		a->conf_type = n;
	if ((v = x_value(ev, "X-MS-OLK-APPTSEQTIME")) != NULL) {
		struct icaltimetype t = icaltime_from_string(v);

		if (!icaltime_is_null_time(t) && t.year >= 1601)
			a->seq_time = tz_ft_from_civil(t.year, t.month, t.day,
			    t.hour, t.minute, t.second);
	}
	people(ev, a);
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_STATUS_PROPERTY)) != NULL &&
	    icalproperty_get_status(p) == ICAL_STATUS_CANCELLED)
		a->state = (a->state == APPT_ABSENT ? 0 : a->state) |
		    APPT_STATE_MEETING | APPT_STATE_CANCELED;
	alarm(ev, a);
}

/* RFC 4648 base64, white space ignored; -1 if not base64. */
static int
unbase64(const char *s, uint8_t **out, size_t *lenp)
{
	uint8_t		*o;
	uint32_t	 v = 0;
	size_t		 n = 0, len = 0;
	int		 c, d, pad = 0;

	o = xmalloc(strlen(s) / 4 * 3 + 3);
	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0)
			goto bad;
		if (c >= 'A' && c <= 'Z')
			d = c - 'A';
		else if (c >= 'a' && c <= 'z')
			d = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			d = c - '0' + 52;
		else if (c == '+' || c == '-')
			d = 62;
		else if (c == '/' || c == '_')
			d = 63;
		else
			goto bad;
		v = v << 6 | (uint32_t)d;
		if (++n == 4) {
			o[len++] = (uint8_t)(v >> 16);
			o[len++] = (uint8_t)(v >> 8);
			o[len++] = (uint8_t)v;
			n = 0;
			v = 0;
		}
	}
	if (n == 1 || pad > 2)
		goto bad;
	if (n == 2)
		o[len++] = (uint8_t)(v >> 4);
	else if (n == 3) {
		o[len++] = (uint8_t)(v >> 10);
		o[len++] = (uint8_t)(v >> 2);
	}
	*out = o;
	*lenp = len;
	return 0;
bad:
	free(o);
	return -1;
}

/* ATTACH values: inline bytes, or a reference (URI, CID) kept as one;
 * inline data that is no base64 is kept without bytes, so the writer
 * lists the item as degraded. */
static void
attachments(struct irs *rs, icalcomponent *ev, struct appt *a, int where)
{
	icalproperty		*p;
	icalparameter		*par;
	icalattach		*ia;
	struct appt_attach	*at;
	const char		*data, *xn;
	uint8_t			*bytes;
	size_t			 len;

	for (p = icalcomponent_get_first_property(ev, ICAL_ATTACH_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(ev,
	    ICAL_ATTACH_PROPERTY)) {
		if ((ia = icalproperty_get_attach(p)) == NULL)
			continue;
		bytes = NULL;
		len = 0;
		if (!icalattach_get_is_url(ia) &&
		    ((data = (const char *)icalattach_get_data(ia)) == NULL ||
		    unbase64(data, &bytes, &len) != 0)) {
			bytes = NULL;
			len = 0;
		}
		a->attachs = xreallocarray(a->attachs, a->nattach + 1,
		    sizeof *a->attachs);
		at = &a->attachs[a->nattach++];
		memset(at, 0, sizeof *at);
		if (icalattach_get_is_url(ia))
			at->uri = xtext(icalattach_get_url(ia));
		at->data.data = bytes;
		at->data.len = len;
		if ((par = icalproperty_get_first_parameter(p,
		    ICAL_FMTTYPE_PARAMETER)) != NULL)
			at->mime = xtext(icalparameter_get_fmttype(par));
		for (par = icalproperty_get_first_parameter(p,
		    ICAL_X_PARAMETER); par != NULL;
		    par = icalproperty_get_next_parameter(p,
		    ICAL_X_PARAMETER)) {
			xn = icalparameter_get_xname(par);
			if (xn != NULL && strcasecmp(xn, "X-FILENAME") == 0 &&
			    at->name == NULL)
				at->name = xtext(icalparameter_get_xvalue(par));
		}
	}
	(void)rs;
	(void)where;
}

static void
zone_blobs(struct appt *a, const struct izone *z, int recurring)
{
	appt_blob_set(&a->tzdef_start, z->def.data, z->def.len);
	appt_blob_set(&a->tz_struct, z->reg.data, z->reg.len);
	a->tz_desc = xstrdup(z->tzid);
	if (recurring)
		appt_blob_set(&a->tzdef_recur, z->rdef.data, z->rdef.len);
}

static struct iseries *
series_find(struct irs *rs, const char *uid)
{
	size_t	i;

	for (i = rs->nseries; i > 0; i--) {
		if (rs->items.v[rs->series[i - 1].idx] != NULL &&
		    strcmp(rs->series[i - 1].uid, uid) == 0)
			return &rs->series[i - 1];
	}
	return NULL;
}

/* An override into its series' exceptions. */
static void
attach(struct irs *rs, struct iseries *s, struct appt *ov, int64_t rid)
{
	struct appt		*m = rs->items.v[s->idx];
	struct appt_exception	*e;
	const struct tz_rule	*r = s->has_rule ? &s->rule : NULL;
	size_t			 i;

	for (i = 0; i < m->nexcs; i++) {
		if (m->excs[i].replace_time == rid) {
			skip_add(rs, ov->subject, s->uid, 0, "a second "
			    "override of one occurrence of the series");
			appt_free(ov);
			return;
		}
	}
	ov->replace_time = rid;
	m->excs = xreallocarray(m->excs, m->nexcs + 1, sizeof *m->excs);
	e = &m->excs[m->nexcs++];
	e->replace_time = rid;
	e->att_replace_time = to_local(r, rid);
	e->att_start = to_local(r, ov->start);
	e->att_end = to_local(r, ov->end);
	e->item = ov;
}

static int
str_differs(const char *a, const char *b)
{
	if (a == NULL)
		return 0;
	return b == NULL || strcmp(a, b) != 0;
}

/* The recurrence blob of a series, its overrides all known. */
static int
series_blob(struct irs *rs, struct iseries *s, char **why)
{
	struct appt		*m = rs->items.v[s->idx], *ov;
	const struct tz_rule	*rl = s->has_rule ? &s->rule : NULL;
	struct recur		 r = s->pat;
	struct recur_exception	*re;
	uint8_t			*blob;
	size_t			 len, i;
	int			 rv;

	r.ndeleted = s->nexdel + m->nexcs;
	r.deleted = xcalloc(r.ndeleted + 1, sizeof *r.deleted);
	r.nmodified = m->nexcs;
	r.modified = xcalloc(r.nmodified + 1, sizeof *r.modified);
	r.nexcs = m->nexcs;
	r.excs = xcalloc(r.nexcs + 1, sizeof *r.excs);
	for (i = 0; i < s->nexdel; i++)
		r.deleted[i] = s->exdel[i];
	for (i = 0; i < m->nexcs; i++) {
		ov = m->excs[i].item;
		re = &r.excs[i];
		re->orig_start = recur_ft_to_min(m->excs[i].att_replace_time);
		re->start = recur_ft_to_min(to_local(rl, ov->start));
		re->end = recur_ft_to_min(to_local(rl, ov->end));
		r.deleted[s->nexdel + i] = midnight(re->orig_start);
		r.modified[i] = midnight(re->start);
		if (str_differs(ov->subject, m->subject)) {
			re->flags |= RECUR_ARO_SUBJECT;
			re->subject = ov->subject;
		}
		if (str_differs(ov->location, m->location)) {
			re->flags |= RECUR_ARO_LOCATION;
			re->location = ov->location;
		}
		if (ov->busy != APPT_ABSENT && ov->busy != m->busy) {
			re->flags |= RECUR_ARO_BUSYSTATUS;
			re->busy = ov->busy;
		}
		if (ov->reminder_set != m->reminder_set) {
			re->flags |= RECUR_ARO_REMINDER;
			re->reminder_set = ov->reminder_set == 1;
		}
		if (ov->reminder_min != APPT_ABSENT &&
		    ov->reminder_min != m->reminder_min) {
			re->flags |= RECUR_ARO_REMINDERDELTA;
			re->reminder_delta = ov->reminder_min;
		}
		if (ov->all_day != m->all_day) {
			re->flags |= RECUR_ARO_SUBTYPE;
			re->subtype = ov->all_day == 1;
		}
		if (ov->exc_body == 1)
			re->flags |= RECUR_ARO_EXCEPTIONAL_BODY;
	}
	recur_sort(&r);
	/* Two deleted entries for one date: an EXDATE on an override. */
	for (i = 1; i < r.ndeleted; i++) {
		if (r.deleted[i] == r.deleted[i - 1]) {
			memmove(r.deleted + i, r.deleted + i + 1,
			    (r.ndeleted - i - 1) * sizeof *r.deleted);
			r.ndeleted--;
			i--;
		}
	}
	rv = recur_encode(&r, &blob, &len, why);
	free(r.deleted);
	free(r.modified);
	free(r.excs);
	if (rv != 0)
		return -1;
	free(m->recur.data);
	m->recur.data = blob;
	m->recur.len = len;
	return 0;
}

static int
on_calprop(void *arg, const char *line, int where, char **cause)
{
	struct irs	*rs = arg;

	const char	*v;
	char		*o;

	if (strncasecmp(line, "X-WR-CALNAME", 12) != 0 ||
	    (line[12] != ':' && line[12] != ';') ||
	    (v = strchr(line, ':')) == NULL || v[1] == '\0')
		return 0;
	free(rs->xname);
	rs->xname = o = xmalloc(strlen(v));
	for (v++; *v != '\0'; v++) {
		if (*v == '\\' && v[1] != '\0') {
			v++;
			*o++ = *v == 'n' || *v == 'N' ? ' ' : *v;
		} else
			*o++ = *v;
	}
	*o = '\0';
	rs->xname = appt_text_clean(rs->xname);
	return 0;
}

static int
on_zone(void *arg, const char *text, int where, char **cause)
{
	struct irs	*rs = arg;
	struct izone	*z;
	struct tz	 def;
	struct tz_rule	 r;
	char		*tzid, *why = NULL;
	uint8_t		 reg[48];

	if (icsread_zone(text, 0, &tzid, &r, &why) != 0) {
		/* Events that name it are skipped with the reason. */
		if (tzid != NULL) {
			rs->zones = xreallocarray(rs->zones, rs->nzones + 1,
			    sizeof *rs->zones);
			z = &rs->zones[rs->nzones++];
			memset(z, 0, sizeof *z);
			z->tzid = tzid;
			xasprintf(&z->bad, "line %d: %s", where, why);
		}
		free(why);
		return 0;
	}
	rs->zones = xreallocarray(rs->zones, rs->nzones + 1, sizeof *rs->zones);
	z = &rs->zones[rs->nzones++];
	memset(z, 0, sizeof *z);
	z->tzid = tzid;
	z->rule = r;
	tz_encode_reg(&r, reg);
	appt_blob_set(&z->reg, reg, sizeof reg);
	r.year = 1601;
	def.keyname = tzid;
	def.rules = &r;
	def.nrules = 1;
	r.flags = TZ_RULE_EFFECTIVE;
	if (tz_encode_def(&def, &z->def.data, &z->def.len, &why) != 0) {
		free(why);
		why = NULL;
	}
	r.flags = TZ_RULE_EFFECTIVE | TZ_RULE_RECUR_CURRENT;
	if (tz_encode_def(&def, &z->rdef.data, &z->rdef.len, &why) != 0)
		free(why);
	return 0;
}

static int
on_other(void *arg, const char *name, int where, char **cause)
{
	struct irs	*rs = arg;

	skip_add(rs, NULL, NULL, 0, "line %d: %s is not a calendar item",
	    where, name);
	return 0;
}

static int
on_event(void *arg, const char *text, int where, char **cause)
{
	struct irs		*rs = arg;
	icalcomponent		*ev;
	icalproperty		*p;
	struct icaldurationtype	 dur;
	const struct izone	*zs = NULL;
	const struct tz_rule	*uz;
	struct iseries		*s;
	struct appt		*a = NULL;
	struct recur		 pat;
	const char		*uid, *subject;
	char			*why = NULL, *rrule;
	int64_t			 start, end, rid, ex;
	int			 is_date, d2, allday;
	uint32_t		*exdel = NULL;
	size_t			 nexdel = 0;

	rs->nevents++;
	if (rs->opts != NULL && rs->opts->progress != NULL &&
	    rs->nevents % 256 == 0)
		rs->opts->progress(rs->opts->progress_arg, 1, rs->nevents);
	ev = icalparser_parse_string(text);
	if (ev == NULL || icalcomponent_isa(ev) != ICAL_VEVENT_COMPONENT) {
		skip_add(rs, NULL, NULL, 1, "line %d: the VEVENT cannot be "
		    "parsed", where);
		goto out;
	}
	uid = icalcomponent_get_uid(ev);
	if (uid != NULL && *uid == '\0')
		uid = NULL;
	subject = icalcomponent_get_summary(ev);
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_DTSTART_PROPERTY)) == NULL) {
		skip_add(rs, subject, uid, 1, "line %d: no DTSTART", where);
		goto out;
	}
	if (get_time(rs, p, &start, &is_date, &zs, &why) != 0) {
		skip_add(rs, subject, uid, 1, "line %d: DTSTART: %s", where,
		    why);
		goto out;
	}
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_DTEND_PROPERTY)) != NULL) {
		if (get_time(rs, p, &end, &d2, NULL, &why) != 0) {
			skip_add(rs, subject, uid, 1, "line %d: DTEND: %s",
			    where, why);
			goto out;
		}
	} else if ((p = icalcomponent_get_first_property(ev,
	    ICAL_DURATION_PROPERTY)) != NULL) {
		dur = icalproperty_get_duration(p);
		end = start + (int64_t)icaldurationtype_as_int(dur) * FT_SEC;
	} else
		end = is_date ? start + FT_DAY : start;
	if (end < start)
		end = start;
	allday = is_date || x_bool(ev, "X-MICROSOFT-CDO-ALLDAYEVENT") == 1;

	a = appt_new();
	a->id = rs->nevents;
	a->folder = xstrdup(rs->calname);
	a->msgclass = xstrdup("IPM.Appointment");
	a->in_calendar = 1;
	a->start = start;
	a->end = end;
	a->all_day = allday;
	a->busy = 2;
	a->reminder_set = 0;
	common_props(ev, a);
	restore_tail(&a->subject, text, "SUMMARY");
	restore_tail(&a->location, text, "LOCATION");
	restore_tail(&a->body, text, "DESCRIPTION");
	attachments(rs, ev, a, where);
	if (uid != NULL) {
		goid_from_uid(uid, &a->goid.data, &a->goid.len);
		appt_blob_set(&a->clean_goid, a->goid.data, a->goid.len);
		if (a->clean_goid.len >= 20)
			memset(a->clean_goid.data + 16, 0, 4);
	}

	/* An override: to its series, now or when the series comes. */
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_RECURRENCEID_PROPERTY)) != NULL) {
		if (uid == NULL || get_time(rs, p, &rid, &d2, NULL,
		    &why) != 0) {
			skip_add(rs, subject, uid, 1, "line %d: RECURRENCE-ID"
			    ": %s", where, uid == NULL ? "no UID" : why);
			goto out;
		}
		/* Its own body, even when the same as the series'. */
		a->exc_body = a->body != NULL || a->html != NULL;
		if (rs->opts != NULL && rs->opts->spool != NULL &&
		    appt_spool(a, rs->opts->spool, cause) != 0)
			goto fail;
		if ((s = series_find(rs, uid)) != NULL)
			attach(rs, s, a, rid);
		else {
			rs->pend = xreallocarray(rs->pend, rs->npend + 1,
			    sizeof *rs->pend);
			rs->pend[rs->npend].uid = xstrdup(uid);
			rs->pend[rs->npend].item = a;
			rs->pend[rs->npend++].rid = rid;
		}
		a = NULL;
		goto out;
	}

	if (zs != NULL)
		zone_blobs(a, zs, icalcomponent_get_first_property(ev,
		    ICAL_RRULE_PROPERTY) != NULL);
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_RDATE_PROPERTY)) != NULL) {
		skip_add(rs, subject, uid, 0, "line %d: RDATE: Outlook has "
		    "no recurrence by a list of dates", where);
		goto out;
	}
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_RRULE_PROPERTY)) != NULL) {
		if (icalcomponent_count_properties(ev,
		    ICAL_RRULE_PROPERTY) > 1) {
			skip_add(rs, subject, uid, 0, "line %d: several "
			    "RRULEs: Outlook has one pattern", where);
			goto out;
		}
		rrule = icalproperty_get_value_as_string_r(p);
		/* An all-day series' UTC UNTIL is the local midnight of
		 * its last day: read it in the file's zone (Outlook's). */
		uz = zs != NULL ? &zs->rule : NULL;
		if (is_date && uz == NULL && rs->nzones > 0 &&
		    rs->zones[rs->nzones - 1].bad == NULL)
			uz = &rs->zones[rs->nzones - 1].rule;
		if (rrule == NULL || icsread_rrule(rrule, zs != NULL ?
		    &zs->rule : NULL, uz, start, end, 0, &pat, &why) != 0) {
			skip_add(rs, subject, uid, 0, "line %d: RRULE: %s",
			    where, why != NULL ? why : "cannot be read");
			free(rrule);
			goto out;
		}
		free(rrule);
		for (p = icalcomponent_get_first_property(ev,
		    ICAL_EXDATE_PROPERTY); p != NULL;
		    p = icalcomponent_get_next_property(ev,
		    ICAL_EXDATE_PROPERTY)) {
			if (get_time(rs, p, &ex, &d2, NULL, &why) != 0) {
				skip_add(rs, subject, uid, 1, "line %d: "
				    "EXDATE: %s", where, why);
				goto out;
			}
			exdel = xreallocarray(exdel, nexdel + 1,
			    sizeof *exdel);
			exdel[nexdel++] = midnight(recur_ft_to_min(
			    d2 ? ex : to_local(zs != NULL ? &zs->rule :
			    NULL, ex)));
		}
		a->recurring = 1;
		if (uid == NULL) {
			/* Overrides need the UID: give it one now. */
			char	*u;

			xasprintf(&u, "%016llX%016llX",
			    (unsigned long long)XXH3_64bits(text,
			    strlen(text)), (unsigned long long)rs->nevents);
			goid_from_uid(u, &a->goid.data, &a->goid.len);
			appt_blob_set(&a->clean_goid, a->goid.data,
			    a->goid.len);
			free(u);
		}
		rs->series = xreallocarray(rs->series, rs->nseries + 1,
		    sizeof *rs->series);
		s = &rs->series[rs->nseries++];
		memset(s, 0, sizeof *s);
		s->idx = rs->items.n;
		s->uid = xstrdup(uid != NULL ? uid : "");
		s->pat = pat;
		if (zs != NULL) {
			s->has_rule = 1;
			s->rule = zs->rule;
		}
		s->exdel = exdel;
		s->nexdel = nexdel;
		exdel = NULL;
	} else if (icalcomponent_get_first_property(ev,
	    ICAL_EXDATE_PROPERTY) != NULL) {
		skip_add(rs, subject, uid, 0, "line %d: EXDATE without "
		    "RRULE", where);
		goto out;
	}
	if (rs->opts != NULL && rs->opts->spool != NULL &&
	    appt_spool(a, rs->opts->spool, cause) != 0)
		goto fail;
	appt_list_push(&rs->items, a);
	a = NULL;
out:
	free(exdel);
	free(why);
	if (a != NULL)
		appt_free(a);
	if (ev != NULL)
		icalcomponent_free(ev);
	return 0;
fail:
	free(exdel);
	free(why);
	appt_free(a);
	icalcomponent_free(ev);
	return -1;
}

static int
finish(struct irs *rs)
{
	struct reader_result	*res = rs->res;
	struct reader_folder	*f;
	struct iseries		*s;
	struct appt		*a;
	const char		*want, *last;
	char			*why = NULL, *dash = NULL;
	size_t			 i;

	for (i = 0; i < rs->npend; i++) {
		if ((s = series_find(rs, rs->pend[i].uid)) != NULL)
			attach(rs, s, rs->pend[i].item, rs->pend[i].rid);
		else {
			skip_add(rs, rs->pend[i].item->subject,
			    rs->pend[i].uid, 0, "RECURRENCE-ID without its "
			    "series in the file");
			appt_free(rs->pend[i].item);
		}
		free(rs->pend[i].uid);
	}
	rs->npend = 0;
	for (i = 0; i < rs->nseries; i++) {
		s = &rs->series[i];
		if (series_blob(rs, s, &why) != 0) {
			a = rs->items.v[s->idx];
			skip_add(rs, a->subject, s->uid, 0, "recurrence: %s",
			    why);
			free(why);
			why = NULL;
			appt_free(a);
			rs->items.v[s->idx] = NULL;
		}
	}
	/* "STORE - FOLDER" as the writer names a calendar: read back, the
	 * same name comes out. */
	res->folders = xcalloc(1, sizeof *res->folders);
	res->nfolders = 1;
	f = &res->folders[0];
	if (rs->xname != NULL && (dash = strstr(rs->xname, " - ")) != NULL &&
	    dash != rs->xname && dash[3] != '\0')
		res->store_name = xstrndup(rs->xname,
		    (size_t)(dash - rs->xname));
	else
		res->store_name = xstrdup(rs->calname);
	xasprintf(&res->top, "/%s", res->store_name);
	xasprintf(&f->path, "%s/%s", res->top, rs->xname == NULL ?
	    "Calendar" : dash != NULL && dash != rs->xname && dash[3] != '\0' ?
	    dash + 3 : rs->xname);
	for (i = 0; i < res->nskips; i++) {
		free(res->skips[i].folder);
		res->skips[i].folder = xstrdup(f->path);
	}
	/* -F: the folder's path below the root, or its last part. */
	f->selected = 1;
	if (rs->opts != NULL && rs->opts->folder != NULL) {
		want = rs->opts->folder + (*rs->opts->folder == '/');
		last = strrchr(f->path, '/') + 1;
		f->selected = strcasecmp(f->path + 1, want) == 0 ||
		    strcasecmp(last, want) == 0;
	}
	f->container_class = xstrdup("IPF.Appointment");
	f->is_calendar = 1;
	f->is_default = 1;
	f->first = 0;
	for (i = 0; i < rs->items.n; i++) {
		if ((a = rs->items.v[i]) == NULL)
			continue;
		f->nappts++;
		if (!f->selected) {
			res->left_out++;
			continue;
		}
		free(a->folder);
		a->folder = xstrdup(f->path);
		appt_list_push(&res->appts, a);
		rs->items.v[i] = NULL;
	}
	f->count = res->appts.n;
	return 0;
}

int
icsread_read(const char *path, const struct reader_opts *opts,
    struct reader_result *res, char **cause)
{
	struct icsread_chunker	 c;
	struct irs		 rs;
	FILE			*fp;
	const char		*base;
	char			*why = NULL;
	size_t			 i, len;
	int			 rv, error = READER_DATAERR;

	memset(res, 0, sizeof *res);
	appt_list_init(&res->appts);
	*cause = NULL;
	if ((fp = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return READER_NOINPUT;
	}
	memset(&rs, 0, sizeof rs);
	rs.path = path;
	rs.opts = opts;
	rs.res = res;
	appt_list_init(&rs.items);
	base = compat_lastsep(path) != NULL ? compat_lastsep(path) + 1 : path;
	len = strlen(base);
	if (len > 4 && strcasecmp(base + len - 4, ".ics") == 0)
		len -= 4;
	rs.calname = appt_text_clean(xstrndup(base, len));
	if (*rs.calname == '\0') {
		free(rs.calname);
		rs.calname = xstrdup("Calendar");
	}
	if (opts != NULL && opts->progress != NULL)
		opts->progress(opts->progress_arg, 0, 0);
	memset(&c, 0, sizeof c);
	c.calprop = on_calprop;
	c.zone = on_zone;
	c.event = on_event;
	c.other = on_other;
	c.arg = &rs;
	c.limit = ICS_LIMIT;
	rv = icsread_chunks(fp, &c, &why);
	if (rv == -1 && why != NULL && rs.nevents == 0 && res->nskips == 0) {
		*cause = why;
		why = NULL;
		goto out;
	}
	if (rv != 0) {
		if (rs.nevents == 0 && rv == ICSREAD_TRUNCATED) {
			xasprintf(cause, "not an iCalendar file: %s", why);
			goto out;
		}
		/* Damage after some events: those come out. */
		if (*cause == NULL) {
			skip_add(&rs, NULL, NULL, 1, "%s", why);
		} else {
			error = READER_IOERR;
			goto out;
		}
	}
	finish(&rs);
	if (opts != NULL && opts->progress != NULL)
		opts->progress(opts->progress_arg, 1, rs.nevents);
	error = 0;
out:
	free(why);
	fclose(fp);
	for (i = 0; i < rs.npend; i++) {
		free(rs.pend[i].uid);
		appt_free(rs.pend[i].item);
	}
	free(rs.pend);
	for (i = 0; i < rs.nseries; i++) {
		free(rs.series[i].uid);
		free(rs.series[i].exdel);
	}
	free(rs.series);
	for (i = 0; i < rs.nzones; i++) {
		free(rs.zones[i].tzid);
		free(rs.zones[i].bad);
		appt_blob_clear(&rs.zones[i].reg);
		appt_blob_clear(&rs.zones[i].def);
		appt_blob_clear(&rs.zones[i].rdef);
	}
	free(rs.zones);
	appt_list_free(&rs.items);
	free(rs.calname);
	free(rs.xname);
	if (error != 0)
		reader_result_free(res);
	return error;
}
