/* verify_event.c: a master event against its item: SUMMARY, the
 * ATTENDEE addresses, and the times of an item written as one
 * occurrence (verify_series.c has those of a series). */
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "recur.h"
#include "tz.h"
#include "verify.h"
#include "verify_int.h"
#include "xmalloc.h"

/* Text as it must come back: CR LF and lone CR as LF, cleaned. */
static char *
vtext(const char *s)
{
	char	*t, *d;

	t = xstrdup(s);
	for (d = t; *s != '\0'; s++) {
		if (*s == '\r') {
			if (s[1] != '\n')
				*d++ = '\n';
			continue;
		}
		*d++ = *s;
	}
	*d = '\0';
	return appt_text_clean(t);
}

/* Without the spaces and tabs that end it. */
static void
vtrim_end(char *s)
{
	size_t	n = strlen(s);

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* A calendar address as it must come back. */
static char *
vaddress(const char *email)
{
	char	*t, *p, *s;
	size_t	 n;

	if (email == NULL)
		return xstrdup("invalid:nomail");
	t = vtext(email);
	for (p = t; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	}
	for (n = strlen(t); n > 0 && t[n - 1] == ' '; n--)
		t[n - 1] = '\0';
	for (p = t; *p == ' '; p++)
		;
	if (*p == '\0')
		s = xstrdup("invalid:nomail");
	else
		xasprintf(&s, "mailto:%s", p);
	free(t);
	return s;
}

static int
check_summary(const struct appt *a, icalcomponent *ev, char **why)
{
	icalproperty	*p;
	const char	*got;
	char		*want;
	int		 error = 0;

	if ((p = vf_only_prop(ev, ICAL_SUMMARY_PROPERTY, "SUMMARY", a, why)) ==
	    NULL && *why != NULL)
		return -1;
	want = a->subject != NULL ? vtext(a->subject) : xstrdup("");
	/* libical's parser drops the white space that ends a value; the
	 * file has it (the .ics reader puts it back). */
	vtrim_end(want);
	got = p != NULL ? icalproperty_get_summary(p) : NULL;
	if (got == NULL)
		got = "";
	if (strcmp(want, got) != 0 || (p != NULL && *want == '\0')) {
		*why = vf_fail(a, "SUMMARY: expected \"%s\", found %s%s%s",
		    want, p != NULL ? "\"" : "", p != NULL ? got : "none",
		    p != NULL ? "\"" : "");
		error = -1;
	}
	free(want);
	return error;
}

/* The recipients a meeting invites: not the organizer, not removed
 * from the meeting, not the organizer's own row (track status 1). */
static int
check_attendees(const struct appt *a, icalcomponent *ev, char **why)
{
	const struct appt_person	*r;
	icalproperty			*p;
	const char			*got;
	char				*want;
	size_t				 i, nwant = 0, ngot;
	int				 meeting;

	meeting = a->state != APPT_ABSENT && (a->state & APPT_STATE_MEETING);
	for (i = 0; meeting && i < a->nrcpts; i++) {
		r = &a->rcpts[i];
		if ((r->flags == APPT_ABSENT || !(r->flags &
		    (APPT_RCPT_EXC_DELETED | APPT_RCPT_ORGANIZER))) &&
		    r->track_status != 1)
			nwant++;
	}
	ngot = (size_t)icalcomponent_count_properties(ev,
	    ICAL_ATTENDEE_PROPERTY);
	if (ngot != nwant) {
		*why = vf_fail(a, "ATTENDEE: expected %zu, found %zu", nwant,
		    ngot);
		return -1;
	}
	p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
	for (i = 0; meeting && i < a->nrcpts; i++) {
		r = &a->rcpts[i];
		if ((r->flags != APPT_ABSENT && (r->flags &
		    (APPT_RCPT_EXC_DELETED | APPT_RCPT_ORGANIZER))) ||
		    r->track_status == 1)
			continue;
		want = vaddress(r->email);
		got = icalproperty_get_attendee(p);
		if (got == NULL || strcmp(want, got) != 0) {
			*why = vf_fail(a, "ATTENDEE: expected %s, found %s",
			    want, got != NULL ? got : "none");
			free(want);
			return -1;
		}
		free(want);
		p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY);
	}
	return 0;
}

static int
check_single(struct vstate *st, const struct appt *a, icalcomponent *ev,
    char **why)
{
	struct tz_zone	 zs;
	int64_t		 d0, d1;
	int		 error = -1;

	if (icalcomponent_count_properties(ev, ICAL_RRULE_PROPERTY) > 0) {
		*why = vf_fail(a, "RRULE: present on an item written as "
		    "one occurrence");
		return -1;
	}
	if (icalcomponent_count_properties(ev, ICAL_EXDATE_PROPERTY) > 0) {
		*why = vf_fail(a, "EXDATE: present on an item written as "
		    "one occurrence");
		return -1;
	}
	/* No start: neither time is written. */
	if (a->all_day != 1 || a->start == APPT_NOTIME)
		return vf_check_instant(st, a, ev, ICAL_DTSTART_PROPERTY,
		    "DTSTART", a->start, why) != 0 ||
		    vf_check_instant(st, a, ev, ICAL_DTEND_PROPERTY, "DTEND",
		    a->start == APPT_NOTIME ? APPT_NOTIME : a->end, why) != 0 ?
		    -1 : 0;

	/* All day: the dates the creator saw, in the start zone. */
	tz_zone_load(&zs, a->tzdef_start.data, a->tzdef_start.len,
	    a->tz_struct.data, a->tz_struct.len);
	d0 = vf_to_date(vf_zone_has(&zs) ? vf_zone_local(&zs, a->start) :
	    a->start);
	d1 = d0;
	if (a->end != APPT_NOTIME)
		d1 = vf_to_date(vf_zone_has(&zs) ? vf_zone_local(&zs, a->end) :
		    a->end);
	if (d1 <= d0)
		d1 = d0 + FT_DAY;
	if ((vf_only_prop(ev, ICAL_DTSTART_PROPERTY, "DTSTART", a, why) ==
	    NULL && *why != NULL) || vf_check_date(st, a,
	    icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY),
	    "DTSTART", d0, why) != 0)
		goto out;
	if ((vf_only_prop(ev, ICAL_DTEND_PROPERTY, "DTEND", a, why) ==
	    NULL && *why != NULL) || vf_check_date(st, a,
	    icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY),
	    "DTEND", d1, why) != 0)
		goto out;
	error = 0;
out:
	tz_zone_free(&zs);
	return error;
}

int
vf_check_master(struct vstate *st, size_t idx, icalcomponent *ev,
    const char *uid, char **why)
{
	const struct appt	*a = st->items[idx];
	struct vseries		 s;
	struct recur		 r;
	int			 series, error = -1;

	memset(&s, 0, sizeof s);
	*why = NULL;
	series = vf_written_as_series(a, &r);
	if (check_summary(a, ev, why) != 0 || check_attendees(a, ev, why) != 0)
		goto out;
	if (series) {
		if (vf_check_series(st, a, ev, &r, &s, why) != 0)
			goto out;
	} else if (check_single(st, a, ev, why) != 0)
		goto out;
	/* Passed: this master's overrides come next. */
	vf_series_clear(&st->ser);
	st->ser = s;
	memset(&s, 0, sizeof s);
	st->ser.active = 1;
	st->ser.idx = idx;
	st->ser.uid = xstrdup(uid);
	error = 0;
out:
	if (series)
		recur_free(&r);
	vf_series_clear(&s);
	return error;
}
