/* verify_series.c: a series as verify checks it: whether the writer
 * gives the item an RRULE, the master's times, RRULE and EXDATEs, and
 * the overrides (RECURRENCE-ID) that must and may follow it. */
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft.h"
#include "model.h"
#include "recur.h"
#include "tz.h"
#include "verify.h"
#include "verify_int.h"
#include "xmalloc.h"

/* Whether the writer can give the item an RRULE (as it decides: the
 * flag, else a stored pattern; one it can decode and express). Then r
 * holds the decoded pattern, for the caller to free. */
int
vf_written_as_series(const struct appt *a, struct recur *r)
{
	struct icalrecurrencetype	 rt;
	char				*s = NULL, *cause = NULL;

	memset(r, 0, sizeof *r);
	if (!(a->recurring == 1 || (a->recurring == APPT_ABSENT &&
	    a->recur.data != NULL)) || a->recur.data == NULL)
		return 0;
	if (recur_decode(a->recur.data, a->recur.len, r, &cause) != 0) {
		free(cause);
		memset(r, 0, sizeof *r);
		return 0;
	}
	if (!recur_is_gregorian(r) ||
	    recur_rrule(r, NULL, a->all_day == 1, &s, &cause) != 0) {
		free(cause);
		recur_free(r);
		return 0;
	}
	rt = icalrecurrencetype_from_string(s);
	free(s);
	if (rt.freq == ICAL_NO_RECURRENCE) {
		recur_free(r);
		return 0;
	}
	return 1;
}

static int
check_rrule(const struct appt *a, icalcomponent *ev, const struct recur *r,
    const struct tz_zone *z, int64_t first, char **why)
{
	static const char *const	 fnames[] = {
		"SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY",
		"MONTHLY", "YEARLY", "NONE"
	};
	icalproperty			*p;
	struct icalrecurrencetype	 rt;
	struct icaltimetype		 u;
	icalrecurrencetype_frequency	 freq;
	unsigned			 interval, mask = 0;
	int64_t				 until, got;
	int				 i, count, all_day = a->all_day == 1;
	char				 b1[32], b2[32];

	if ((p = vf_only_prop(ev, ICAL_RRULE_PROPERTY, "RRULE", a, why)) ==
	    NULL) {
		if (*why == NULL)
			*why = vf_fail(a, "RRULE: missing on a series");
		return -1;
	}
	rt = icalproperty_get_rrule(p);
	switch (r->pattern) {
	case RECUR_PAT_DAY:
		freq = ICAL_DAILY_RECURRENCE;
		interval = r->period / 1440;
		break;
	case RECUR_PAT_WEEK:
		freq = ICAL_WEEKLY_RECURRENCE;
		interval = r->period;
		mask = r->day_mask & 0x7F;
		break;
	default:
		freq = r->period % 12 == 0 ? ICAL_YEARLY_RECURRENCE :
		    ICAL_MONTHLY_RECURRENCE;
		interval = r->period % 12 == 0 ? r->period / 12 : r->period;
		if (r->pattern == RECUR_PAT_MONTHNTH)
			mask = r->day_mask & 0x7F;
		break;
	}
	if (rt.freq != freq || (unsigned)rt.interval != interval) {
		*why = vf_fail(a, "RRULE: expected FREQ=%s;INTERVAL=%u, "
		    "found FREQ=%s;INTERVAL=%d",
		    fnames[freq - ICAL_SECONDLY_RECURRENCE],
		    interval, rt.freq >= ICAL_SECONDLY_RECURRENCE &&
		    rt.freq <= ICAL_NO_RECURRENCE ?
		    fnames[rt.freq - ICAL_SECONDLY_RECURRENCE] : "?",
		    rt.interval);
		return -1;
	}
	if (mask != 0) {
		unsigned got_mask = 0;

		for (i = 0; i < ICAL_BY_DAY_SIZE &&
		    rt.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
			got_mask |= 1u << (icalrecurrencetype_day_day_of_week(
			    rt.by_day[i]) - 1);
		if (got_mask != mask) {
			*why = vf_fail(a, "RRULE: BYDAY days 0x%02x, "
			    "expected 0x%02x", got_mask, mask);
			return -1;
		}
	}
	count = r->end_type == RECUR_END_COUNT ? (int)r->count : 0;
	if (rt.count != count) {
		*why = vf_fail(a, "RRULE: COUNT %d, expected %d", rt.count,
		    count);
		return -1;
	}
	u = rt.until;
	if (r->end_type != RECUR_END_DATE) {
		if (!icaltime_is_null_time(u)) {
			*why = vf_fail(a, "RRULE: UNTIL on a series with%s",
			    r->end_type == RECUR_END_COUNT ? " a count" :
			    "out end");
			return -1;
		}
		return 0;
	}
	if (all_day) {
		until = recur_min_to_ft(r->end_date / 1440 * 1440);
		got = icaltime_is_null_time(u) || !u.is_date ? -1 :
		    ft_from_civil(u.year, u.month, u.day, 0, 0, 0);
	} else {
		/* End date plus the start time of day, in UTC by the rule
		 * of the first occurrence's year, to the minute. */
		until = recur_min_to_ft(r->end_date) +
		    recur_min_to_ft(r->start_offset);
		if (vf_zone_has(z))
			until = tz_local_to_utc(tz_zone_rule(z, vf_year(first)),
			    until);
		until = ft_floordiv(until, FT_MIN) * FT_MIN;
		if (until < 0)
			until = 0;
		got = icaltime_is_null_time(u) || u.is_date ||
		    !icaltime_is_utc(u) ? -1 : ft_from_civil(u.year, u.month,
		    u.day, u.hour, u.minute, u.second);
	}
	until = vf_clamp(until, all_day);
	if (got != until) {
		vf_ftstr(until, all_day, b1, sizeof b1);
		vf_ftstr(got < 0 ? 0 : got, all_day, b2, sizeof b2);
		*why = vf_fail(a, "RRULE: UNTIL expected %s%s, found %s",
		    b1, all_day ? "" : "Z", got < 0 ? "none or not UTC" : b2);
		return -1;
	}
	return 0;
}

static int
ft_cmp(const void *pa, const void *pb)
{
	int64_t	a = *(const int64_t *)pa, b = *(const int64_t *)pb;

	return a < b ? -1 : a > b;
}

/* The EXDATE set: the deleted instances no exception replaces. */
static int
check_exdates(struct vstate *st, const struct appt *a, icalcomponent *ev,
    const struct recur *r, const struct tz_zone *z, char **why)
{
	icalproperty	*p;
	struct vtime	 vt;
	uint32_t	*ex;
	int64_t		*want, *got;
	size_t		 nex, ngot = 0, i;
	int		 all_day = a->all_day == 1, error = -1;
	char		*err = NULL, b1[32];

	ex = recur_exdates(r, &nex);
	want = xreallocarray(NULL, nex + 1, sizeof *want);
	for (i = 0; i < nex; i++)
		want[i] = all_day ? vf_clamp(vf_to_date(recur_min_to_ft(ex[i])),
		    1) : vf_clamp(recur_min_to_ft(ex[i]), 0);
	free(ex);
	qsort(want, nex, sizeof *want, ft_cmp);
	got = xreallocarray(NULL, (size_t)icalcomponent_count_properties(ev,
	    ICAL_EXDATE_PROPERTY) + 1, sizeof *got);
	for (p = icalcomponent_get_first_property(ev, ICAL_EXDATE_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_EXDATE_PROPERTY)) {
		if (vf_time_get(st, p, &vt, &err) != 0) {
			*why = vf_fail(a, "EXDATE: %s", err);
			free(err);
			goto out;
		}
		if (vt.is_date != all_day || (!all_day &&
		    vt.utc != !vf_zone_has(z))) {
			vf_ftstr(vt.ft, vt.is_date, b1, sizeof b1);
			*why = vf_fail(a, "EXDATE %s: expected a %s", b1,
			    all_day ? "date" : vf_zone_has(z) ?
			    "local time" : "UTC time");
			goto out;
		}
		got[ngot++] = vt.ft;
	}
	qsort(got, ngot, sizeof *got, ft_cmp);
	for (i = 0; i < nex || i < ngot; i++) {
		if (i < nex && i < ngot && want[i] == got[i])
			continue;
		if (i < nex && (i >= ngot || want[i] < got[i])) {
			vf_ftstr(want[i], all_day, b1, sizeof b1);
			*why = vf_fail(a, "EXDATE %s: missing (%zu expected, "
			    "%zu found)", b1, nex, ngot);
		} else {
			vf_ftstr(got[i], all_day, b1, sizeof b1);
			*why = vf_fail(a, "EXDATE %s: not a deleted "
			    "occurrence (%zu expected, %zu found)", b1, nex,
			    ngot);
		}
		goto out;
	}
	error = 0;
out:
	free(want);
	free(got);
	return error;
}

int
vf_check_series(struct vstate *st, const struct appt *a, icalcomponent *ev,
    const struct recur *r, struct vseries *s, char **why)
{
	const struct appt_exception	*e;
	struct tz_zone			 z;
	icalproperty			*ps, *pe;
	int64_t				 ls, le, d0, d1, orig;
	size_t				 i;
	int				 error = -1;

	tz_zone_load(&z, a->tzdef_recur.data, a->tzdef_recur.len,
	    a->tz_struct.data, a->tz_struct.len);
	s->all_day = a->all_day == 1;
	ls = recur_min_to_ft(r->start_date + r->start_offset);
	le = recur_min_to_ft(r->start_date) + recur_min_to_ft(r->end_offset);
	if ((ps = vf_only_prop(ev, ICAL_DTSTART_PROPERTY, "DTSTART", a, why)) ==
	    NULL && *why != NULL)
		goto out;
	if ((pe = vf_only_prop(ev, ICAL_DTEND_PROPERTY, "DTEND", a, why)) ==
	    NULL && *why != NULL)
		goto out;
	if (s->all_day) {
		d0 = vf_to_date(ls);
		d1 = vf_to_date(le);
		if (d1 <= d0)
			d1 = d0 + FT_DAY;
		if (vf_check_date(st, a, ps, "DTSTART", d0, why) != 0 ||
		    vf_check_date(st, a, pe, "DTEND", d1, why) != 0)
			goto out;
	} else if (vf_check_local(st, a, ps, "DTSTART", ls,
	    vf_zone_has(&z) ? &z : NULL, why) != 0 ||
	    vf_check_local(st, a, pe, "DTEND", le, vf_zone_has(&z) ? &z : NULL,
	    why) != 0)
		goto out;
	if (check_rrule(a, ev, r, &z, ls, why) != 0 ||
	    check_exdates(st, a, ev, r, &z, why) != 0)
		goto out;

	/* The overrides that must follow: one per exception of the
	 * pattern; an embedded exception the pattern lacks may add one. */
	s->req = xreallocarray(NULL, r->nexcs + 1, sizeof *s->req);
	s->req_seen = xcalloc(r->nexcs + 1, 1);
	for (i = 0; i < r->nexcs; i++) {
		orig = recur_min_to_ft(r->excs[i].orig_start);
		s->req[s->nreq++] = s->all_day ? vf_clamp(vf_to_date(orig), 1) :
		    vf_clamp(orig, 0);
	}
	s->extra = xreallocarray(NULL, a->nexcs + 1, sizeof *s->extra);
	s->extra_seen = xcalloc(a->nexcs + 1, 1);
	for (i = 0; i < a->nexcs; i++) {
		e = &a->excs[i];
		if (e->item == NULL)
			continue;
		orig = e->replace_time != APPT_NOTIME ? e->replace_time :
		    e->item->replace_time;
		if (orig == APPT_NOTIME)
			continue;
		if (vf_zone_has(&z))
			orig = vf_zone_local(&z, orig);
		s->extra[s->nextra++] = s->all_day ?
		    vf_clamp(vf_to_date(orig), 1) : vf_clamp(orig, 0);
	}
	error = 0;
out:
	tz_zone_free(&z);
	return error;
}

void
vf_series_clear(struct vseries *s)
{
	free(s->uid);
	free(s->req);
	free(s->req_seen);
	free(s->extra);
	free(s->extra_seen);
	memset(s, 0, sizeof *s);
}

/* Every override the last master needs was there. */
int
vf_series_end(struct vstate *st, char **cause)
{
	struct vseries	*s = &st->ser;
	size_t		 i;
	char		 b1[32];

	for (i = 0; s->active && i < s->nreq; i++) {
		if (!s->req_seen[i]) {
			vf_ftstr(s->req[i], s->all_day, b1, sizeof b1);
			*cause = vf_fail(st->items[s->idx], "override with "
			    "RECURRENCE-ID %s: missing", b1);
			return -1;
		}
	}
	vf_series_clear(s);
	return 0;
}

int
vf_check_override(struct vstate *st, icalcomponent *ev, const char *uid,
    icalproperty *rid, char **cause)
{
	struct vseries		*s = &st->ser;
	const struct appt	*a;
	struct vtime		 vt;
	size_t			 i;
	char			*err = NULL, b1[32];

	st->noverrides++;
	if (!s->active || strcmp(s->uid, uid) != 0) {
		xasprintf(cause, "event %zu (UID %s): RECURRENCE-ID not right "
		    "after its master", st->nevents, uid);
		return -1;
	}
	a = st->items[s->idx];
	if (icalcomponent_count_properties(ev,
	    ICAL_RECURRENCEID_PROPERTY) > 1) {
		*cause = vf_fail(a, "override: two RECURRENCE-IDs");
		return -1;
	}
	if (vf_time_get(st, rid, &vt, &err) != 0) {
		*cause = vf_fail(a, "RECURRENCE-ID: %s", err);
		free(err);
		return -1;
	}
	if (icalcomponent_count_properties(ev, ICAL_DTSTART_PROPERTY) != 1 ||
	    icalcomponent_count_properties(ev, ICAL_RRULE_PROPERTY) != 0) {
		vf_ftstr(vt.ft, vt.is_date, b1, sizeof b1);
		*cause = vf_fail(a, "override %s: %s", b1,
		    icalcomponent_count_properties(ev, ICAL_RRULE_PROPERTY) ?
		    "has an RRULE" : "not one DTSTART");
		return -1;
	}
	for (i = 0; i < s->nreq; i++) {
		if (!s->req_seen[i] && s->req[i] == vt.ft &&
		    vt.is_date == s->all_day) {
			s->req_seen[i] = 1;
			return 0;
		}
	}
	for (i = 0; i < s->nextra; i++) {
		if (!s->extra_seen[i] && s->extra[i] == vt.ft &&
		    vt.is_date == s->all_day) {
			s->extra_seen[i] = 1;
			return 0;
		}
	}
	vf_ftstr(vt.ft, vt.is_date, b1, sizeof b1);
	*cause = vf_fail(a, "override with RECURRENCE-ID %s: not a modified "
	    "occurrence of the item%s", b1, s->nreq + s->nextra == 0 ?
	    " (written as one occurrence)" : " (or a second one)");
	return -1;
}
