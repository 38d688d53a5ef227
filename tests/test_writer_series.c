/* test_writer_series.c: the writer on series: RRULE/EXDATE,
 * overrides matched to their master, undecodable and odd patterns. */
#include <criterion/criterion.h>
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft.h"
#include "model.h"
#include "recur.h"
#include "rtf.h"
#include "testutil.h"
#include "writer_util.h"
#include "tz.h"
#include "writer.h"
#include "xmalloc.h"

/* Expand a parsed calendar's series (by UID) over five years after
 * its start, applying EXDATE and RECURRENCE-ID overrides: the instance
 * starts in Unix seconds, sorted. */
static size_t
expand(icalcomponent *cal, int64_t *out, size_t max)
{
	icalcomponent		*m = NULL, *e;
	icalproperty		*p;
	icalrecur_iterator	*it;
	struct icalrecurrencetype rt;
	struct icaltimetype	 s, t, x;
	int64_t			 exd[64], rid[64], v, limit;
	size_t			 nexd = 0, nrid = 0, n = 0, i, j;
	int			 skip;

	for (e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    e != NULL;
	    e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		if (icalcomponent_get_first_property(e, ICAL_RRULE_PROPERTY))
			m = e;
	}
	cr_assert_not_null(m);
	s = icalcomponent_get_dtstart(m);
	for (p = icalcomponent_get_first_property(m, ICAL_EXDATE_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(m, ICAL_EXDATE_PROPERTY)) {
		x = icalproperty_get_exdate(p);
		if (!x.is_date)
			x.zone = s.zone;
		cr_assert_lt(nexd, 64);
		exd[nexd++] = tu_utc_of(x);
	}
	for (e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    e != NULL;
	    e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		if (icalcomponent_get_first_property(e,
		    ICAL_RECURRENCEID_PROPERTY) == NULL)
			continue;
		x = icalcomponent_get_recurrenceid(e);
		if (!x.is_date)
			x.zone = s.zone;
		rid[nrid++] = tu_utc_of(x);
		out[n++] = tu_utc_of(icalcomponent_get_dtstart(e));
	}
	rt = icalproperty_get_rrule(icalcomponent_get_first_property(m,
	    ICAL_RRULE_PROPERTY));
	it = icalrecur_iterator_new(rt, s);
	cr_assert_not_null(it);
	limit = tu_utc_of(s) + 5 * 366 * 86400LL;
	for (t = icalrecur_iterator_next(it); !icaltime_is_null_time(t);
	    t = icalrecur_iterator_next(it)) {
		t.zone = s.zone;
		v = tu_utc_of(t);
		if (v > limit)
			break;
		skip = 0;
		for (i = 0; i < nexd; i++)
			skip |= exd[i] == v;
		for (i = 0; i < nrid; i++)
			skip |= rid[i] == v;
		if (skip)
			continue;
		cr_assert_lt(n, max);
		out[n++] = v;
	}
	icalrecur_iterator_free(it);
	for (i = 1; i < n; i++) {
		for (j = i; j > 0 && out[j - 1] > out[j]; j--) {
			v = out[j];
			out[j] = out[j - 1];
			out[j - 1] = v;
		}
	}
	return n;
}

Test(writer, weekly_series_with_exdate_and_override)
{
	struct appt	*a = weekly_series();
	struct warns	 w = { 0 };
	icalcomponent	*cal, *m, *x;
	int64_t		 got[64], want[64];
	size_t		 n, nw = 0;
	int		 d;
	char		*out;

	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	cr_assert_eq(nevents(cal), 2, "%s", out);
	m = event(cal, 0);
	x = event(cal, 1);
	cr_assert(has(out, "DTSTART;TZID=W. Europe Standard Time:"
	    "20240102T100000\r\n"), "%s", out);
	cr_assert(has(out, "DTEND;TZID=W. Europe Standard Time:"
	    "20240102T103000\r\n"));
	cr_assert(has(out, "EXDATE;TZID=W. Europe Standard Time:"
	    "20240116T100000\r\n"));
	cr_assert(!has(out, "EXDATE;TZID=W. Europe Standard Time:"
	    "20240123T100000"));
	cr_assert(has(out, "RECURRENCE-ID;TZID=W. Europe Standard Time:"
	    "20240123T100000\r\n"));
	cr_assert(has(out, "DTSTART;TZID=W. Europe Standard Time:"
	    "20240124T110000\r\n"));
	cr_assert_str_eq(icalproperty_get_uid(icalcomponent_get_first_property(
	    m, ICAL_UID_PROPERTY)), goid_clean_hex);
	cr_assert_str_eq(icalproperty_get_uid(icalcomponent_get_first_property(
	    x, ICAL_UID_PROPERTY)), goid_clean_hex);
	/* Overrides: ExceptionInfo then the embedded message. */
	cr_assert_str_eq(icalcomponent_get_summary(x), "Standup (moved)");
	cr_assert_str_eq(icalcomponent_get_location(x), "Room 2");
	cr_assert_str_eq(icalcomponent_get_description(x),
	    "Moved because of the offsite");
	cr_assert_str_eq(icalcomponent_get_summary(m), "Standup");
	cr_assert_null(icalcomponent_get_first_property(m,
	    ICAL_DESCRIPTION_PROPERTY));
	/* Inherited from the master. */
	cr_assert_str_eq(xprop(x, "X-MICROSOFT-CDO-BUSYSTATUS"), "BUSY");
	cr_assert_not_null(icalcomponent_get_first_component(x,
	    ICAL_VALARM_COMPONENT));

	/* Every Tuesday Jan 2 .. Apr 30 but Jan 16; Jan 23 moved to
	 * Jan 24 11:00; 10:00 Berlin is 09:00Z until March 31, then 08:00Z. */
	for (d = 0; d < 18 * 7; d += 7) {
		if (d == 14)
			continue;
		if (d == 21) {
			want[nw++] = unix_of(2024, 1, 24, 10, 0);
			continue;
		}
		want[nw++] = unix_of(2024, 1, 2, 9, 0) + d * 86400LL -
		    (d >= 90 ? 3600 : 0);
	}
	n = expand(cal, got, 64);
	cr_assert_eq(n, nw, "%zu instances, want %zu\n%s", n, nw, out);
	for (d = 0; d < (int)n; d++)
		cr_assert_eq(got[d], want[d], "instance %d: %lld != %lld", d,
		    (long long)got[d], (long long)want[d]);
	check_tzids(cal);
	check_restrictions(out);
	check_controls(out);
	release(cal, out, a);
}

Test(writer, monthly_nth_series_southern_zone)
{
	struct appt	*a;
	struct recur	 r;
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	int64_t		 got[16];
	static const int want[6][3] = {
		{ 1, 10, 0 }, { 2, 14, 0 }, { 3, 13, 0 }, { 4, 10, 1 },
		{ 5, 8, 1 }, { 6, 12, 1 }
	};
	size_t		 n, i;
	char		*out;

	/* Second Wednesday, 09:00 Adelaide, six times from January 2024:
	 * +10:30 until April 7, then +9:30. */
	a = mk("Board", tu_ft(2024, 1, 9, 22, 30), tu_ft(2024, 1, 9, 23, 30));
	set_def(&a->tzdef_recur, "Cen. Australia Standard Time", r_adelaide());
	r = (struct recur){ .freq = RECUR_FREQ_MONTHLY,
	    .pattern = RECUR_PAT_MONTHNTH, .period = 1, .day_mask = 0x08,
	    .nth = 2, .end_type = RECUR_END_COUNT, .count = 6,
	    .start_date = mins(2024, 1, 10, 0, 0),
	    .end_date = mins(2024, 6, 12, 0, 0), .writer_version2 = 0x3009,
	    .start_offset = 540, .end_offset = 600 };
	set_recur(a, &r);
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	cr_assert(has(out, "DTSTART;TZID=Cen. Australia Standard Time:"
	    "20240110T090000\r\n"), "%s", out);
	n = expand(cal, got, 16);
	cr_assert_eq(n, 6, "%s", out);
	for (i = 0; i < n; i++)
		cr_assert_eq(got[i], unix_of(2024, want[i][0], want[i][1], 9,
		    0) - (want[i][2] ? 9 * 3600 + 1800 : 10 * 3600 + 1800),
		    "instance %zu", i);
	check_tzids(cal);
	release(cal, out, a);
}

Test(writer, all_day_yearly_series)
{
	struct appt	*a;
	struct recur	 r;
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	int64_t		 got[16];
	size_t		 n, i;
	char		*out;

	/* Birthday, all day, every March 15 from 2024 (Mountain), until
	 * 2026: DATE values throughout, UNTIL as a DATE. */
	a = mk("Birthday", tu_ft(2024, 3, 15, 6, 0), tu_ft(2024, 3, 16, 6, 0));
	a->all_day = 1;
	set_def(&a->tzdef_recur, "Mountain Standard Time", r_mountain());
	r = (struct recur){ .freq = RECUR_FREQ_YEARLY,
	    .pattern = RECUR_PAT_MONTH, .period = 12, .day_of_month = 15,
	    .end_type = RECUR_END_DATE, .count = 3,
	    .start_date = mins(2024, 3, 15, 0, 0),
	    .end_date = mins(2026, 3, 15, 0, 0),
	    .deleted = (uint32_t[]){ mins(2025, 3, 15, 0, 0) }, .ndeleted = 1,
	    .writer_version2 = 0x3009, .start_offset = 0, .end_offset = 1440 };
	set_recur(a, &r);
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	cr_assert(has(out, "DTSTART;VALUE=DATE:20240315\r\n"), "%s", out);
	cr_assert(has(out, "DTEND;VALUE=DATE:20240316\r\n"));
	cr_assert(has(out, "EXDATE;VALUE=DATE:20250315\r\n"));
	cr_assert(has(out, "UNTIL=20260315;"), "%s", out);
	n = expand(cal, got, 16);
	cr_assert_eq(n, 2);
	for (i = 0; i < n; i++)
		cr_assert_eq(got[i],
		    unix_of(i == 0 ? 2024 : 2026, 3, 15, 0, 0));
	cr_assert_eq(icalcomponent_count_components(cal,
	    ICAL_VTIMEZONE_COMPONENT), 0);
	release(cal, out, a);
}

Test(writer, undecodable_series_written_once_with_warning)
{
	static const uint8_t junk[] = { 0x04, 0x30, 0x04, 0x30, 0x0b };
	struct appt	*a = mk("Broken", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	appt_blob_set(&a->recur, junk, sizeof junk);
	a->recurring = 1;
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 1);
	cr_assert(has(w.last, "written as single occurrence"), "%s", w.last);
	cr_assert_eq(nevents(cal), 1);
	cr_assert_null(icalcomponent_get_first_property(event(cal, 0),
	    ICAL_RRULE_PROPERTY));
	cr_assert(has(out, "DTSTART:20240315T090000Z\r\n"));
	release(cal, out, a);
}

Test(writer, daily_series_every_two_days)
{
	struct appt	*a;
	struct recur	 r;
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	int64_t		 got[16];
	size_t		 n, i;
	char		*out;

	/* Every other day, 07:30 India time, five times. */
	a = mk("Yoga", tu_ft(2024, 2, 27, 2, 0), tu_ft(2024, 2, 27, 3, 0));
	set_reg(&a->tz_struct, r_india());
	a->tz_desc = xstrdup("(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi");
	r = (struct recur){ .freq = RECUR_FREQ_DAILY, .pattern = RECUR_PAT_DAY,
	    .period = 2880, .end_type = RECUR_END_COUNT, .count = 5,
	    .start_date = mins(2024, 2, 27, 0, 0),
	    .end_date = mins(2024, 3, 6, 0, 0), .writer_version2 = 0x3009,
	    .start_offset = 450, .end_offset = 510 };
	set_recur(a, &r);
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	/* TZID from the description, quoted since it holds commas. */
	cr_assert(has(out, "DTSTART;TZID=\"(UTC+05:30) Chennai, Kolkata, "
	    "Mumbai, New Delhi\":20240227T073000\r\n"), "%s", out);
	n = expand(cal, got, 16);
	cr_assert_eq(n, 5);
	for (i = 0; i < n; i++)
		cr_assert_eq(got[i], unix_of(2024, 2, 27, 2, 0) +
		    (int64_t)i * 2 * 86400, "instance %zu", i);
	check_tzids(cal);
	release(cal, out, a);
}

Test(writer, series_rule_for_its_start_year)
{
	struct appt	*a;
	struct recur	 r;
	struct warns	 w = { 0 };
	struct tz	 tz;
	struct tz_rule	 rules[2];
	icalcomponent	*cal;
	int64_t		 got[8];
	uint8_t		*p;
	size_t		 len;
	char		*out, *cause = NULL;

	/* Mountain with its 2006 (April/October) and 2007 rules. */
	rules[0] = rule(420, -60, 10, 5, 2, 4, 1, 2);
	rules[0].year = 2006;
	rules[1] = r_mountain();
	rules[1].year = 2007;
	tz.keyname = xstrdup("Mountain Standard Time");
	tz.rules = rules;
	tz.nrules = 2;
	cr_assert_eq(tz_encode_def(&tz, &p, &len, &cause), 0);
	free(tz.keyname);
	/* Weekly Monday 09:00 from 2010-03-08 (still MST), three times. */
	a = mk("Sync", tu_ft(2010, 3, 8, 16, 0), tu_ft(2010, 3, 8, 17, 0));
	appt_blob_set(&a->tzdef_recur, p, len);
	free(p);
	r = (struct recur){ .freq = RECUR_FREQ_WEEKLY,
	    .pattern = RECUR_PAT_WEEK, .period = 1, .day_mask = 0x02,
	    .end_type = RECUR_END_COUNT, .count = 3,
	    .start_date = mins(2010, 3, 8, 0, 0),
	    .end_date = mins(2010, 3, 22, 0, 0), .writer_version2 = 0x3009,
	    .start_offset = 540, .end_offset = 600 };
	set_recur(a, &r);
	out = render_cal(&a, 1, &w, &cal);
	cr_assert(has(out, "RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3\r\n"), "%s",
	    out);
	cr_assert(has(out, "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11\r\n"));
	cr_assert_eq(icalcomponent_count_components(cal,
	    ICAL_VTIMEZONE_COMPONENT), 1);
	/* March 8 is MST (-7), March 15 and 22 are MDT (-6). */
	cr_assert_eq(expand(cal, got, 8), 3);
	cr_assert_eq(got[0], unix_of(2010, 3, 8, 16, 0));
	cr_assert_eq(got[1], unix_of(2010, 3, 15, 15, 0));
	cr_assert_eq(got[2], unix_of(2010, 3, 22, 15, 0));
	release(cal, out, a);
}

Test(writer, exception_matched_by_start_and_own_attendees)
{
	struct appt	*a = weekly_series();
	struct appt	*emb = a->excs[0].item;
	struct warns	 w = { 0 };
	icalcomponent	*cal, *x;
	char		*out;

	/* No replace time anywhere: the match falls back to the start. */
	a->excs[0].replace_time = APPT_NOTIME;
	emb->replace_time = APPT_NOTIME;
	emb->subject = xstrdup("Own subject");
	a->state = APPT_STATE_MEETING;
	a->org_name = xstrdup("Olga");
	a->org_email = xstrdup("olga@example.com");
	emb->nrcpts = 1;
	emb->rcpts = xcalloc(1, sizeof *emb->rcpts);
	emb->rcpts[0].name = xstrdup("Guest");
	emb->rcpts[0].email = xstrdup("guest@example.com");
	emb->rcpts[0].type = 2;
	emb->rcpts[0].flags = 1;
	emb->rcpts[0].track_status = 0;
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	cr_assert_eq(nevents(cal), 2);
	x = event(cal, 1);
	cr_assert_str_eq(icalcomponent_get_summary(x), "Own subject");
	cr_assert_str_eq(icalcomponent_get_description(x),
	    "Moved because of the offsite");
	cr_assert_eq(icalcomponent_count_properties(x,
	    ICAL_ATTENDEE_PROPERTY), 1);
	cr_assert(has(out, "ATTENDEE;CN=Guest;ROLE=OPT-PARTICIPANT;"
	    "PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:guest@example.com"));
	cr_assert(has(out, "ORGANIZER;CN=Olga:mailto:olga@example.com"));
	cr_assert_eq(icalcomponent_count_properties(event(cal, 0),
	    ICAL_ATTENDEE_PROPERTY), 0);
	release(cal, out, a);
}

Test(writer, unmatched_exception_message_kept_with_warning)
{
	struct appt	*a = weekly_series();
	struct appt	*emb;
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	/* A second embedded message for Feb 6 that the blob does not list. */
	a->excs = xreallocarray(a->excs, 2, sizeof *a->excs);
	a->nexcs = 2;
	emb = appt_new();
	emb->start = tu_ft(2024, 2, 6, 13, 0);
	emb->end = tu_ft(2024, 2, 6, 14, 0);
	emb->subject = xstrdup("Afternoon");
	memset(&a->excs[1], 0, sizeof a->excs[1]);
	a->excs[1].replace_time = tu_ft(2024, 2, 6, 9, 0);
	a->excs[1].att_replace_time = APPT_NOTIME;
	a->excs[1].att_start = a->excs[1].att_end = APPT_NOTIME;
	a->excs[1].item = emb;
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 1);
	cr_assert(has(w.last, "matches no exception"), "%s", w.last);
	cr_assert_eq(nevents(cal), 3);
	cr_assert(has(out, "RECURRENCE-ID;TZID=W. Europe Standard Time:"
	    "20240206T100000\r\n"));
	cr_assert(has(out, "DTSTART;TZID=W. Europe Standard Time:"
	    "20240206T140000\r\n"));
	cr_assert_str_eq(icalcomponent_get_summary(event(cal, 2)),
	    "Afternoon");
	release(cal, out, a);
}

Test(writer, series_without_zone_in_utc)
{
	struct appt	*a;
	struct recur	 r;
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	int64_t		 got[8];
	char		*out;

	a = mk("UTC weekly", tu_ft(2024, 5, 6, 12, 0),
	    tu_ft(2024, 5, 6, 13, 0));
	r = (struct recur){ .freq = RECUR_FREQ_WEEKLY,
	    .pattern = RECUR_PAT_WEEK, .period = 2, .day_mask = 0x02,
	    .end_type = RECUR_END_COUNT, .count = 3,
	    .start_date = mins(2024, 5, 6, 0, 0),
	    .end_date = mins(2024, 6, 3, 0, 0),
	    .deleted = (uint32_t[]){ mins(2024, 5, 20, 0, 0) }, .ndeleted = 1,
	    .writer_version2 = 0x3009, .start_offset = 720,
	    .end_offset = 780 };
	set_recur(a, &r);
	out = render_cal(&a, 1, &w, &cal);
	cr_assert(has(out, "DTSTART:20240506T120000Z\r\n"), "%s", out);
	cr_assert(has(out, "EXDATE:20240520T120000Z\r\n"));
	cr_assert_eq(expand(cal, got, 8), 2);
	cr_assert_eq(got[0], unix_of(2024, 5, 6, 12, 0));
	cr_assert_eq(got[1], unix_of(2024, 6, 3, 12, 0));
	release(cal, out, a);
}

Test(writer, recurring_without_pattern_warns)
{
	struct appt	*a = mk("No blob", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	a->recurring = 1;
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 1);
	cr_assert(has(w.last, "recurrence written as single "
	    "occurrence: no recurrence pattern stored"), "%s", w.last);
	cr_assert_eq(nevents(cal), 1);
	release(cal, out, a);
}

Test(writer, non_gregorian_series_written_once_with_warning)
{
	struct appt	*a;
	struct recur	 r;
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	a = mk("Hijri monthly", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	r = (struct recur){ .freq = RECUR_FREQ_MONTHLY,
	    .pattern = RECUR_PAT_MONTH, .period = 1, .day_of_month = 15,
	    .end_type = RECUR_END_COUNT, .count = 3,
	    .start_date = mins(2024, 3, 15, 0, 0),
	    .end_date = mins(2024, 5, 15, 0, 0), .writer_version2 = 0x3009,
	    .start_offset = 540, .end_offset = 600 };
	set_recur(a, &r);
	/* Rewrite it as a Hijri-calendar month pattern. */
	a->recur.data[6] = RECUR_PAT_HJMONTH;
	a->recur.data[8] = 6;
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 1);
	cr_assert(has(w.last, "written as single occurrence: calendar type 6"),
	    "%s", w.last);
	cr_assert_eq(nevents(cal), 1);
	cr_assert_null(icalcomponent_get_first_property(event(cal, 0),
	    ICAL_RRULE_PROPERTY));
	cr_assert(has(out, "DTSTART:20240315T090000Z\r\n"));
	release(cal, out, a);
}

Test(writer, all_day_series_with_timed_exception)
{
	struct appt		*a, *emb;
	struct recur		 r;
	struct recur_exception	 x;
	struct warns		 w = { 0 };
	icalcomponent		*cal, *ev;
	char			*out;

	/* Daily all-day in Mountain time, 3 days; the 2nd became 14-15h. */
	a = mk("Conference", tu_ft(2024, 5, 6, 6, 0), tu_ft(2024, 5, 7, 6, 0));
	a->all_day = 1;
	set_def(&a->tzdef_recur, "Mountain Standard Time", r_mountain());
	r = (struct recur){ .freq = RECUR_FREQ_DAILY, .pattern = RECUR_PAT_DAY,
	    .period = 1440, .end_type = RECUR_END_COUNT, .count = 3,
	    .deleted = (uint32_t[]){ mins(2024, 5, 7, 0, 0) }, .ndeleted = 1,
	    .modified = (uint32_t[]){ mins(2024, 5, 7, 0, 0) }, .nmodified = 1,
	    .start_date = mins(2024, 5, 6, 0, 0),
	    .end_date = mins(2024, 5, 8, 0, 0), .writer_version2 = 0x3009,
	    .start_offset = 0, .end_offset = 1440 };
	memset(&x, 0, sizeof x);
	x.start = mins(2024, 5, 7, 14, 0);
	x.end = mins(2024, 5, 7, 15, 0);
	x.orig_start = mins(2024, 5, 7, 0, 0);
	x.flags = RECUR_ARO_SUBTYPE;
	x.subtype = 0;
	r.excs = &x;
	r.nexcs = 1;
	set_recur(a, &r);
	emb = appt_new();
	emb->start = tu_ft(2024, 5, 7, 20, 0);
	emb->end = tu_ft(2024, 5, 7, 21, 0);
	emb->replace_time = tu_ft(2024, 5, 7, 6, 0);
	emb->all_day = 0;
	a->excs = xcalloc(1, sizeof *a->excs);
	a->nexcs = 1;
	a->excs[0].replace_time = APPT_NOTIME;
	a->excs[0].att_replace_time = APPT_NOTIME;
	a->excs[0].att_start = a->excs[0].att_end = APPT_NOTIME;
	a->excs[0].item = emb;
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	cr_assert_eq(nevents(cal), 2);
	cr_assert(has(out, "DTSTART;VALUE=DATE:20240506\r\n"), "%s", out);
	cr_assert(has(out, "RECURRENCE-ID;VALUE=DATE:20240507\r\n"));
	cr_assert(has(out, "DTSTART;TZID=Mountain Standard Time:"
	    "20240507T140000\r\n"));
	ev = event(cal, 1);
	cr_assert_null(xprop(ev, "X-MICROSOFT-CDO-ALLDAYEVENT"));
	cr_assert_eq(tu_utc_of(icalcomponent_get_dtstart(ev)),
	    unix_of(2024, 5, 7, 20, 0));
	check_tzids(cal);
	release(cal, out, a);
}

Test(writer, exception_warning_names_the_master)
{
	struct appt	*a = weekly_series();
	struct warns	 w = { 0 };
	char		*out;

	attach(a->excs[0].item, "Fwd: notes", NULL, NULL, 0, 1);
	out = render(&a, 1, &w);
	cr_assert_eq(w.n, 1, "%s", w.last);
	cr_assert(has(w.last, "embedded message"), "%s", w.last);
	/* Not the occurrence's short-lived view: the item rendered. */
	cr_assert_eq(w.item, a);
	free(out);
	appt_free(a);
}
