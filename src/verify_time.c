/* verify_time.c: times as verify reads them: the file's VTIMEZONEs as
 * rules, a time property as local time and zone, and the checks of
 * DTSTART/DTEND-like properties against an item's instants. */
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "icsread.h"
#include "model.h"
#include "tz.h"
#include "verify.h"
#include "verify_int.h"
#include "xmalloc.h"

static const struct tz_rule *zone_find(struct vstate *, const char *);

int64_t
vf_floordiv(int64_t a, int64_t b)
{
	int64_t	q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int
vf_year(int64_t ft)
{
	int	y, m, d;

	tz_civil_from_days(vf_floordiv(ft, FT_DAY), &y, &m, &d);
	return y;
}

/* Whole seconds (or the date), and the latest time an iCalendar
 * writer built on libical 3.0 can print: later years are clamped. */
int64_t
vf_clamp(int64_t ft, int is_date)
{
	ft = is_date ? vf_floordiv(ft, FT_DAY) * FT_DAY :
	    vf_floordiv(ft, FT_SEC) * FT_SEC;
	if (vf_year(ft) > 3000)
		ft = is_date ? tz_ft_from_civil(3000, 12, 31, 0, 0, 0) :
		    tz_ft_from_civil(3000, 12, 31, 23, 59, 59);
	return ft;
}

void
vf_ftstr(int64_t ft, int is_date, char *buf, size_t size)
{
	int64_t	secs = vf_floordiv(ft, FT_SEC), days = vf_floordiv(secs, 86400);
	int	y, m, d, rem = (int)(secs - days * 86400);

	tz_civil_from_days(days, &y, &m, &d);
	if (is_date)
		snprintf(buf, size, "%04d%02d%02d", y, m, d);
	else
		snprintf(buf, size, "%04d%02d%02dT%02d%02d%02d", y, m, d,
		    rem / 3600, rem / 60 % 60, rem % 60);
}

/* All-day items are local midnights; +12 h forgives a zone that is off. */
int64_t
vf_to_date(int64_t ft)
{
	return vf_floordiv(ft + 12 * FT_HOUR, FT_DAY) * FT_DAY;
}

int
vf_zone_has(const struct tz_zone *z)
{
	return z->has_def || z->has_reg;
}

/* The rule by the local year of the instant. */
int64_t
vf_zone_local(const struct tz_zone *z, int64_t utc)
{
	const struct tz_rule	*r;

	r = tz_zone_rule(z, vf_year(utc));
	r = tz_zone_rule(z, vf_year(tz_utc_to_local(r, utc)));
	return tz_utc_to_local(r, utc);
}

/* A VTIMEZONE of the file as a rule: offsets and yearly transitions. */
int
vf_zone_add(struct vstate *st, const char *text, char **cause)
{
	struct tz_rule	 rule;
	char		*tzid = NULL;

	/* Strict: exactly what the writer writes. */
	if (icsread_zone(text, 1, &tzid, &rule, cause) != 0) {
		free(tzid);
		return -1;
	}
	if (zone_find(st, tzid) != NULL) {
		xasprintf(cause, "VTIMEZONE %s: defined twice", tzid);
		free(tzid);
		return -1;
	}
	st->zones = xreallocarray(st->zones, st->nzones + 1,
	    sizeof *st->zones);
	st->zones[st->nzones].tzid = tzid;
	st->zones[st->nzones++].rule = rule;
	return 0;
}

static const struct tz_rule *
zone_find(struct vstate *st, const char *tzid)
{
	size_t	i;

	for (i = 0; i < st->nzones; i++) {
		if (strcmp(st->zones[i].tzid, tzid) == 0)
			return &st->zones[i].rule;
	}
	return NULL;
}

/* A DTSTART, DTEND, RECURRENCE-ID or EXDATE as local time and zone. */
int
vf_time_get(struct vstate *st, icalproperty *p, struct vtime *vt, char **why)
{
	struct icaltimetype	 t;
	icalparameter		*par;
	const char		*tzid = NULL;

	memset(vt, 0, sizeof *vt);
	t = icalvalue_get_datetimedate(icalproperty_get_value(p));
	if (icaltime_is_null_time(t) || t.month < 1 || t.month > 12 ||
	    t.day < 1 || t.day > 31) {
		xasprintf(why, "not a date or time");
		return -1;
	}
	vt->is_date = t.is_date;
	vt->ft = tz_ft_from_civil(t.year, t.month, t.day,
	    t.is_date ? 0 : t.hour, t.is_date ? 0 : t.minute,
	    t.is_date ? 0 : t.second);
	if (t.is_date)
		return 0;
	if ((par = icalproperty_get_first_parameter(p,
	    ICAL_TZID_PARAMETER)) != NULL)
		tzid = icalparameter_get_tzid(par);
	if (icaltime_is_utc(t)) {
		if (tzid != NULL) {
			xasprintf(why, "UTC time with TZID %s", tzid);
			return -1;
		}
		vt->utc = 1;
		return 0;
	}
	if (tzid == NULL) {
		xasprintf(why, "floating time (neither TZID nor UTC)");
		return -1;
	}
	if ((vt->rule = zone_find(st, tzid)) == NULL) {
		xasprintf(why, "TZID %s has no VTIMEZONE", tzid);
		return -1;
	}
	return 0;
}

/* A time property that must show the UTC instant utc (APPT_NOTIME:
 * must be absent), through the file's VTIMEZONE. */
int
vf_check_instant(struct vstate *st, const struct appt *a, icalcomponent *ev,
    icalproperty_kind kind, const char *name, int64_t utc, char **why)
{
	icalproperty	*p;
	struct vtime	 vt;
	int64_t		 want;
	char		*err = NULL, b1[32], b2[32], b3[32];

	if ((p = vf_only_prop(ev, kind, name, a, why)) == NULL && *why != NULL)
		return -1;
	if (utc == APPT_NOTIME) {
		if (p != NULL) {
			*why = vf_fail(a, "%s: present, the item has none",
			    name);
			return -1;
		}
		return 0;
	}
	if (p == NULL) {
		*why = vf_fail(a, "%s: missing", name);
		return -1;
	}
	if (vf_time_get(st, p, &vt, &err) != 0) {
		*why = vf_fail(a, "%s: %s", name, err);
		free(err);
		return -1;
	}
	if (vt.is_date) {
		*why = vf_fail(a, "%s: a date, the item has a time", name);
		return -1;
	}
	want = vf_clamp(vt.rule != NULL ? tz_utc_to_local(vt.rule, utc) : utc,
	    0);
	if (want != vt.ft) {
		vf_ftstr(want, 0, b1, sizeof b1);
		vf_ftstr(vt.ft, 0, b2, sizeof b2);
		vf_ftstr(utc, 0, b3, sizeof b3);
		*why = vf_fail(a, "%s: expected %s%s (%sZ), found %s", name,
		    b1, vt.rule != NULL ? " local" : "Z", b3, b2);
		return -1;
	}
	return 0;
}

/* A time property that must show local time want, in the item's zone
 * z (NULL: want is UTC). */
int
vf_check_local(struct vstate *st, const struct appt *a, icalproperty *p,
    const char *name, int64_t want, const struct tz_zone *z, char **why)
{
	const struct tz_rule	*zr;
	struct vtime		 vt;
	char			*err = NULL, b1[32], b2[32];

	if (p == NULL) {
		*why = vf_fail(a, "%s: missing", name);
		return -1;
	}
	if (vf_time_get(st, p, &vt, &err) != 0) {
		*why = vf_fail(a, "%s: %s", name, err);
		free(err);
		return -1;
	}
	want = vf_clamp(want, 0);
	if (vt.is_date || vt.ft != want || (z == NULL) != vt.utc) {
		vf_ftstr(want, 0, b1, sizeof b1);
		vf_ftstr(vt.ft, vt.is_date, b2, sizeof b2);
		*why = vf_fail(a, "%s: expected %s%s, found %s%s", name, b1,
		    z == NULL ? "Z" : " local", b2, vt.utc ? "Z" : "");
		return -1;
	}
	if (z == NULL)
		return 0;
	/* The file's zone must put it at the instant the item's does. */
	zr = tz_zone_rule(z, vf_year(want));
	if (tz_local_to_utc(vt.rule, want) != tz_local_to_utc(zr, want)) {
		vf_ftstr(want, 0, b1, sizeof b1);
		*why = vf_fail(a, "%s: %s local is %+d min from UTC in the "
		    "file's VTIMEZONE, %+d in the item's zone", name, b1,
		    (int)((want - tz_local_to_utc(vt.rule, want)) / FT_MIN),
		    (int)((want - tz_local_to_utc(zr, want)) / FT_MIN));
		return -1;
	}
	return 0;
}

int
vf_check_date(struct vstate *st, const struct appt *a, icalproperty *p,
    const char *name, int64_t want, char **why)
{
	struct vtime	 vt;
	char		*err = NULL, b1[32], b2[32];

	if (p == NULL) {
		*why = vf_fail(a, "%s: missing", name);
		return -1;
	}
	if (vf_time_get(st, p, &vt, &err) != 0) {
		*why = vf_fail(a, "%s: %s", name, err);
		free(err);
		return -1;
	}
	want = vf_clamp(want, 1);
	if (!vt.is_date || vt.ft != want) {
		vf_ftstr(want, 1, b1, sizeof b1);
		vf_ftstr(vt.ft, vt.is_date, b2, sizeof b2);
		*why = vf_fail(a, "%s: expected date %s, found %s", name,
		    b1, b2);
		return -1;
	}
	return 0;
}
