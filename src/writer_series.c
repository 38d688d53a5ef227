/* writer_series.c: an item's times: one occurrence in its display
 * zones, or a series: the master with RRULE and EXDATEs, then each
 * modified occurrence as an override with RECURRENCE-ID. */
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "recur.h"
#include "tz.h"
#include "writer.h"
#include "writer_int.h"
#include "xmalloc.h"

/* DTSTART/DTEND of an all-day span of local times. */
static void
allday_times(struct wtimes *tm, int64_t lstart, int64_t lend, int has_end)
{
	int64_t	d0, d1;

	d0 = wr_round_date(lstart);
	d1 = has_end ? wr_round_date(lend) : d0;
	if (d1 <= d0)
		d1 = wr_ft_add(d0, FT_DAY);
	tm->dtstart = wr_local_time(ICAL_DTSTART_PROPERTY, d0, 1, NULL);
	tm->dtend = wr_local_time(ICAL_DTEND_PROPERTY, d1, 1, NULL);
}

/* Intern a zone for an item whose times fall in the year of utc. */
static const char *
zone_for(struct wstate *st, const struct izone *z, int64_t utc)
{
	return wr_zone_intern(st, wr_izone_name(z), wr_izone_rule_at(z, utc));
}

/* An item written as one occurrence: display zones, else UTC. */
void
wr_render_single(struct wstate *st, const struct appt *a, const char *uid)
{
	struct izone	 zs, ze;
	struct wtimes	 tm;
	const char	*tzs = NULL, *tze = NULL;
	int		 hs, he, has_end = a->end != APPT_NOTIME;

	memset(&tm, 0, sizeof tm);
	hs = wr_izone_load(&zs, &a->tzdef_start, &a->tz_struct, a->tz_desc);
	he = wr_izone_load(&ze, &a->tzdef_end, NULL, NULL);
	if (a->start == APPT_NOTIME)
		wr_warn(st, a, "no start time");
	else if (a->all_day == 1) {
		/* Dates are what the creator saw: through the start zone. */
		allday_times(&tm,
		    hs ? wr_izone_to_local(&zs, a->start) : a->start,
		    has_end ? (hs ? wr_izone_to_local(&zs, a->end) : a->end) :
		    0, has_end);
	} else {
		if (hs)
			tzs = zone_for(st, &zs, a->start);
		tm.dtstart = wr_local_time(ICAL_DTSTART_PROPERTY,
		    hs ? wr_izone_to_local(&zs, a->start) : a->start, 0, tzs);
		if (has_end) {
			if (he)
				tze = zone_for(st, &ze, a->end);
			else if (hs)
				tze = zone_for(st, &zs, a->end);
			tm.dtend = wr_local_time(ICAL_DTEND_PROPERTY,
			    he ? wr_izone_to_local(&ze, a->end) :
			    hs ? wr_izone_to_local(&zs, a->end) : a->end, 0,
			    tze);
		}
	}
	wr_vevent(st, a, uid, &tm);
	wr_izone_free(&zs);
	wr_izone_free(&ze);
}

struct series {
	const struct appt	*a;
	const char		*uid;
	struct recur		*r;
	struct izone		*z;		/* NULL: minutes are UTC */
	const struct tz_rule	*rule;		/* of the first instance */
	const char		*tzid;		/* once interned */
	int			 all_day;
	char			*used;		/* per a->excs */
};

static int64_t
series_to_utc(const struct series *s, int64_t local)
{
	return s->z != NULL ? wr_izone_to_utc(s->z, local) : local;
}

static int64_t
series_to_local(const struct series *s, int64_t utc)
{
	return s->z != NULL ? wr_izone_to_local(s->z, utc) : utc;
}

/* The series' TZID, interned on first use: an all-day series needs
 * one only for an exception that is not all-day. NULL means UTC. */
static const char *
series_tzid(struct wstate *st, struct series *s)
{
	if (s->tzid == NULL && s->z != NULL)
		s->tzid = wr_zone_intern(st, wr_izone_name(s->z), s->rule);
	return s->tzid;
}

static int
same_minute(int64_t a, int64_t b)
{
	return a != APPT_NOTIME && b != APPT_NOTIME &&
	    wr_floordiv(a, FT_MINUTE) == wr_floordiv(b, FT_MINUTE);
}

/* The embedded message of an ExceptionInfo: by original start, then by
 * new start. */
static const struct appt_exception *
exc_match(struct series *s, const struct recur_exception *re)
{
	const struct appt_exception	*e;
	int64_t				 orig, start, rt;
	size_t				 i;

	orig = series_to_utc(s, recur_min_to_ft(re->orig_start));
	start = recur_min_to_ft(re->start);
	for (i = 0; i < s->a->nexcs; i++) {
		e = &s->a->excs[i];
		if (s->used[i] || e->item == NULL)
			continue;
		rt = e->replace_time != APPT_NOTIME ? e->replace_time :
		    e->item->replace_time;
		if (same_minute(rt, orig)) {
			s->used[i] = 1;
			return e;
		}
	}
	for (i = 0; i < s->a->nexcs; i++) {
		e = &s->a->excs[i];
		if (s->used[i] || e->item == NULL)
			continue;
		if (same_minute(e->item->start, series_to_utc(s, start)) ||
		    same_minute(e->att_start, start)) {
			s->used[i] = 1;
			return e;
		}
	}
	return NULL;
}

/* Master -> ExceptionInfo -> embedded message. The view borrows all. */
static void
exc_view(struct appt *v, const struct appt *m,
    const struct recur_exception *re, const struct appt *emb)
{
	*v = *m;
	v->excs = NULL;
	v->nexcs = 0;
	if (re != NULL) {
		if ((re->flags & RECUR_ARO_SUBJECT) && re->subject != NULL)
			v->subject = re->subject;
		if ((re->flags & RECUR_ARO_LOCATION) && re->location != NULL)
			v->location = re->location;
		if (re->flags & RECUR_ARO_BUSYSTATUS)
			v->busy = re->busy;
		if (re->flags & RECUR_ARO_REMINDER)
			v->reminder_set = re->reminder_set != 0;
		if (re->flags & RECUR_ARO_REMINDERDELTA)
			v->reminder_min = re->reminder_delta;
		if (re->flags & RECUR_ARO_SUBTYPE)
			v->all_day = re->subtype != 0;
	}
	if (emb == NULL)
		return;
	if (emb->subject != NULL)
		v->subject = emb->subject;
	if (emb->location != NULL)
		v->location = emb->location;
	if (emb->busy != APPT_ABSENT)
		v->busy = emb->busy;
	if (emb->intended_busy != APPT_ABSENT)
		v->intended_busy = emb->intended_busy;
	if (emb->importance != APPT_ABSENT)
		v->importance = emb->importance;
	if (emb->reminder_set != APPT_ABSENT)
		v->reminder_set = emb->reminder_set;
	if (emb->reminder_min != APPT_ABSENT)
		v->reminder_min = emb->reminder_min;
	if (emb->all_day != APPT_ABSENT)
		v->all_day = emb->all_day;
	if (emb->sequence != APPT_ABSENT)
		v->sequence = emb->sequence;
	if (emb->created != APPT_NOTIME)
		v->created = emb->created;
	if (emb->modified != APPT_NOTIME)
		v->modified = emb->modified;
	if (emb->crit_change != APPT_NOTIME)
		v->crit_change = emb->crit_change;
	if (emb->state != APPT_ABSENT)
		v->state = emb->state;
	if (emb->has_owner_appt_id) {
		v->has_owner_appt_id = 1;
		v->owner_appt_id = emb->owner_appt_id;
	}
	if (emb->no_counter != APPT_ABSENT)
		v->no_counter = emb->no_counter;
	if (emb->seq_time != APPT_NOTIME)
		v->seq_time = emb->seq_time;
	if (emb->last_sequence != APPT_ABSENT)
		v->last_sequence = emb->last_sequence;
	if (emb->conf_type != APPT_ABSENT)
		v->conf_type = emb->conf_type;
	if (emb->autofill_loc != APPT_ABSENT)
		v->autofill_loc = emb->autofill_loc;
	if (emb->extern_check != APPT_ABSENT)
		v->extern_check = emb->extern_check;
	if (emb->exc_body == 1) {
		v->body = emb->body;
		v->html = emb->html;
		v->rtf = emb->rtf;
	}
	if (emb->nrcpts > 0) {
		v->rcpts = emb->rcpts;
		v->nrcpts = emb->nrcpts;
	}
	/* The occurrence's attachments are its embedded message's own
	 * (ExceptionInfo's Attachment field says whether it has any). */
	v->attachs = emb->attachs;
	v->nattach = emb->nattach;
}

/* One modified occurrence as a VEVENT with RECURRENCE-ID. */
static void
render_exception(struct wstate *st, struct series *s,
    const struct recur_exception *re, const struct appt_exception *e,
    int64_t orig_local)
{
	const struct appt	*emb = e != NULL ? e->item : NULL;
	struct appt		 v;
	struct wtimes		 tm;
	int64_t			 ls, le;
	int			 has_end = 1;

	exc_view(&v, s->a, re, emb);
	memset(&tm, 0, sizeof tm);
	if (emb != NULL && emb->start != APPT_NOTIME) {
		ls = series_to_local(s, emb->start);
		if (emb->end != APPT_NOTIME)
			le = series_to_local(s, emb->end);
		else if (re != NULL)
			le = ls + recur_min_to_ft(re->end) -
			    recur_min_to_ft(re->start);
		else {
			has_end = 0;
			le = ls;
		}
	} else if (re != NULL) {
		ls = recur_min_to_ft(re->start);
		le = recur_min_to_ft(re->end);
	} else {
		ls = orig_local;
		le = ls + recur_min_to_ft(s->r->end_offset) -
		    recur_min_to_ft(s->r->start_offset);
	}
	if (v.all_day == 1)
		allday_times(&tm, ls, le, has_end);
	else {
		tm.dtstart = wr_local_time(ICAL_DTSTART_PROPERTY, ls, 0,
		    series_tzid(st, s));
		if (has_end)
			tm.dtend = wr_local_time(ICAL_DTEND_PROPERTY, le, 0,
			    series_tzid(st, s));
	}
	if (s->all_day)
		tm.rid = wr_local_time(ICAL_RECURRENCEID_PROPERTY,
		    wr_round_date(orig_local), 1, NULL);
	else
		tm.rid = wr_local_time(ICAL_RECURRENCEID_PROPERTY, orig_local,
		    0, series_tzid(st, s));
	st->inherited = emb == NULL;
	wr_vevent(st, &v, s->uid, &tm);
	st->inherited = 0;
}

/* A recurring item: RRULE/EXDATE master plus its overrides. 0, or -1
 * with *why when it must be written as a single occurrence. */
int
wr_render_series(struct wstate *st, const struct appt *a, const char *uid,
    char **why)
{
	struct recur		 r;
	struct izone		 z;
	struct series		 s;
	struct wtimes		 tm;
	struct icalrecurrencetype rt;
	const struct tz_rule	*rule = NULL;
	const struct appt_exception *e;
	uint32_t		*ex;
	size_t			 nex, i;
	int64_t			 ls, le, orig;
	char			*rrule, *cause = NULL;

	if (a->recur.data == NULL) {
		*why = xstrdup("no recurrence pattern stored");
		return -1;
	}
	memset(&r, 0, sizeof r);
	if (recur_decode(a->recur.data, a->recur.len, &r, &cause) != 0) {
		xasprintf(why, "pattern not decoded: %s", cause);
		free(cause);
		return -1;
	}
	if (!recur_is_gregorian(&r)) {
		xasprintf(why, "calendar type %u / pattern type 0x%x has no "
		    "RRULE", r.cal_type, r.pattern);
		recur_free(&r);
		return -1;
	}
	memset(&s, 0, sizeof s);
	s.a = a;
	s.uid = uid;
	s.r = &r;
	s.all_day = a->all_day == 1;
	ls = recur_min_to_ft(r.start_date + r.start_offset);
	le = recur_min_to_ft(r.start_date) + recur_min_to_ft(r.end_offset);
	if (wr_izone_load(&z, &a->tzdef_recur, &a->tz_struct, a->tz_desc)) {
		s.z = &z;
		rule = tz_zone_rule(&z.tz, wr_ft_year(ls));
	}
	if (recur_rrule(&r, rule, s.all_day, &rrule, &cause) != 0) {
		xasprintf(why, "%s", cause);
		free(cause);
		goto fail;
	}
	rt = icalrecurrencetype_from_string(rrule);
	if (rt.freq == ICAL_NO_RECURRENCE) {
		xasprintf(why, "RRULE %s not accepted by libical", rrule);
		free(rrule);
		goto fail;
	}
	free(rrule);
	s.rule = rule;
	if (!s.all_day)
		series_tzid(st, &s);

	memset(&tm, 0, sizeof tm);
	if (s.all_day)
		allday_times(&tm, ls, le, 1);
	else {
		tm.dtstart = wr_local_time(ICAL_DTSTART_PROPERTY, ls, 0,
		    s.tzid);
		tm.dtend = wr_local_time(ICAL_DTEND_PROPERTY, le, 0, s.tzid);
	}
	tm.rrule = icalproperty_new_rrule(rt);
	ex = recur_exdates(&r, &nex);
	tm.exdates = xreallocarray(NULL, nex, sizeof *tm.exdates);
	for (i = 0; i < nex; i++) {
		orig = recur_min_to_ft(ex[i]);
		tm.exdates[i] = wr_local_time(ICAL_EXDATE_PROPERTY,
		    s.all_day ? wr_round_date(orig) : orig, s.all_day, s.tzid);
	}
	tm.nexdates = nex;
	free(ex);
	wr_vevent(st, a, uid, &tm);
	free(tm.exdates);

	s.used = xcalloc(a->nexcs + 1, 1);
	for (i = 0; i < r.nexcs; i++) {
		e = exc_match(&s, &r.excs[i]);
		render_exception(st, &s, &r.excs[i], e,
		    recur_min_to_ft(r.excs[i].orig_start));
	}
	for (i = 0; i < a->nexcs; i++) {
		e = &a->excs[i];
		if (s.used[i] || e->item == NULL)
			continue;
		orig = e->replace_time != APPT_NOTIME ? e->replace_time :
		    e->item->replace_time;
		if (orig == APPT_NOTIME) {
			wr_warn(st, a, "modified occurrence %zu has no "
			    "original start and matches no exception: not "
			    "written", i);
			continue;
		}
		wr_warn(st, a, "modified occurrence %zu matches no exception "
		    "in the pattern: written from its own properties", i);
		render_exception(st, &s, NULL, e, series_to_local(&s, orig));
	}
	free(s.used);
	if (s.z != NULL)
		wr_izone_free(&z);
	recur_free(&r);
	return 0;

fail:
	if (s.z != NULL)
		wr_izone_free(&z);
	recur_free(&r);
	return -1;
}
