/* icsread_series.c: overrides (RECURRENCE-ID) joined to their series,
 * and the series' recurrence blob once all are known. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "icsread_int.h"
#include "model.h"
#include "recur.h"
#include "tz.h"
#include "xmalloc.h"

struct iseries *
ics_series_find(struct irs *rs, const char *uid)
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
void
ics_series_attach(struct irs *rs, struct iseries *s, struct appt *ov,
    int64_t rid)
{
	struct appt		*m = rs->items.v[s->idx];
	struct appt_exception	*e;
	const struct tz_rule	*r = s->has_rule ? &s->rule : NULL;
	size_t			 i;

	for (i = 0; i < m->nexcs; i++) {
		if (m->excs[i].replace_time == rid) {
			ics_skip_add(rs, ov->subject, s->uid, 0, "a second "
			    "override of one occurrence of the series");
			appt_free(ov);
			return;
		}
	}
	ov->replace_time = rid;
	m->excs = xreallocarray(m->excs, m->nexcs + 1, sizeof *m->excs);
	e = &m->excs[m->nexcs++];
	e->replace_time = rid;
	e->att_replace_time = ics_to_local(r, rid);
	e->att_start = ics_to_local(r, ov->start);
	e->att_end = ics_to_local(r, ov->end);
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
int
ics_series_blob(struct irs *rs, struct iseries *s, char **why)
{
	struct appt		*m = rs->items.v[s->idx], *ov;
	const struct tz_rule	*rl = s->has_rule ? &s->rule : NULL;
	struct recur		 r = s->pat;
	struct recur_exception	*re;
	uint8_t			*blob;
	size_t			 len, i;
	int			 rv;

	recur_exc_alloc(&r, s->nexdel, m->nexcs);
	for (i = 0; i < s->nexdel; i++)
		r.deleted[i] = s->exdel[i];
	for (i = 0; i < m->nexcs; i++) {
		ov = m->excs[i].item;
		re = &r.excs[i];
		re->orig_start = recur_ft_to_min(m->excs[i].att_replace_time);
		re->start = recur_ft_to_min(ics_to_local(rl, ov->start));
		re->end = recur_ft_to_min(ics_to_local(rl, ov->end));
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
	recur_exc_dates(&r, s->nexdel);
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
	recur_exc_free(&r);
	if (rv != 0)
		return -1;
	free(m->recur.data);
	m->recur.data = blob;
	m->recur.len = len;
	return 0;
}
