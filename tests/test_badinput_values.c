/* test_badinput_values.c: hostile values in valid files: times,
 * FILETIME extremes, broken blobs, huge and bad text, full disks. */
#include <sys/resource.h>
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <libical/ical.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft.h"
#include "le.h"
#include "pstwrite.h"
#include "testutil.h"
#include "badinput_util.h"


/* 2024-03-04T09:00:00Z as FILETIME. */
#define FT_2024		(13352029200LL * FT_SEC)

/* The members of the array whose key is true. */
static size_t
count_true(const json_t *arr, const char *key)
{
	const json_t	*v;
	size_t		 i, n = 0;

	json_array_foreach(arr, i, v)
		n += tu_json_bool(v, key);
	return n;
}

/* An appointment; the subject is raw UTF-16LE bytes when sublen > 0. */
static struct pstw_msg *
appt_new(struct pstw *w, const char *subject, int64_t start, int64_t end)
{
	struct pstw_msg		*m = pstw_msg_new("IPM.Appointment");
	struct pstw_props	*p = pstw_msg_props(m);

	if (subject != NULL)
		pstw_set_str(p, 0x0037, subject);
	pstw_set_time(p, pstw_named_lid(w, pstw_psetid_appointment, 0x820D),
	    start);
	pstw_set_time(p, pstw_named_lid(w, pstw_psetid_appointment, 0x820E),
	    end);
	pstw_set_time(p, 0x0060, start);
	pstw_set_time(p, 0x0061, end);
	return m;
}

/* run_in() on a dir/in.pst of one good item: status 0, that item kept
 * and written; its VEVENT, in *cal (the caller frees *cal). */
static icalcomponent *
run_one(struct tu_run *r, const char *dir, icalcomponent **cal)
{
	struct totals	 t;

	run_in(r, dir);
	cr_assert_eq(r->status, 0, "%s", r->err);
	check_totals(dir, "r.json", &t);
	cr_assert_eq(t.kept, 1);
	cr_assert_eq(check_ics(dir, "o.ics", cal), 1);
	return icalcomponent_get_first_component(*cal, ICAL_VEVENT_COMPONENT);
}

/* ---- bad values in good files --------------------------------------- */

Test(badinput, missing_and_backwards_times)
{
	icalcomponent	*cal;
	struct tu_run	 r;
	struct totals	 t;
	json_t		*json;
	char		*dir, *pst;

	dir = in_pst_dir(&pst);
	tu_mkpst("bad-times.ics", pst);
	run_in(&r, dir);
	cr_assert_eq(r.status, 3, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "\"No times at all\": skipped: "
	    "no start time\n"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "\"Start only\": skipped: no end "
	    "time\n"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "\"End only\": skipped: no start "
	    "time\n"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "\"Ends before it starts\": "
	    "skipped: end before start\n"), "%s", r.err);
	check_totals(dir, "r.json", &t);
	cr_assert_eq(t.read, 6);
	cr_assert_eq(t.kept, 2);
	cr_assert_eq(t.skipped, 4);
	json = report(dir, "r.json");
	cr_assert_eq(count_true(tu_json_arr(json, "skipped"), "damaged"), 4);
	cr_assert_eq(check_ics(dir, "o.ics", &cal), 2);
	cr_assert_not_null(tu_ics_event_if(cal, "Fine", -1));
	cr_assert_not_null(tu_ics_event_if(cal, "Also fine", -1));
	icalcomponent_free(cal);
	json_decref(json);
	tu_run_done(&r, dir, pst);
}

/* Every event has a DTSTART and a DTEND not before it. */
static void
check_event_times(icalcomponent *cal)
{
	struct icaltimetype	 s, e;
	icalcomponent		*ev;

	for (ev = icalcomponent_get_first_component(cal,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(cal,
	    ICAL_VEVENT_COMPONENT)) {
		s = icalcomponent_get_dtstart(ev);
		e = icalcomponent_get_dtend(ev);
		cr_assert(!icaltime_is_null_time(s), "%s: no DTSTART",
		    icalcomponent_get_summary(ev));
		cr_assert(!icaltime_is_null_time(e), "%s: no DTEND",
		    icalcomponent_get_summary(ev));
		cr_assert_geq(icaltime_compare(e, s), 0, "%s: ends before "
		    "it starts", icalcomponent_get_summary(ev));
	}
}

Test(badinput, filetime_extremes_from_fixture)
{
	icalcomponent	*cal;
	struct tu_run	 r;
	struct totals	 t;
	char		*dir, *pst, *path, *text;
	int		 n;

	dir = in_pst_dir(&pst);
	tu_mkpst("bad-extremes.ics", pst);
	run_in(&r, dir);
	cr_assert(r.status == 0 || r.status == 3, "%d: %s", r.status, r.err);
	check_totals(dir, "r.json", &t);
	cr_assert_eq(t.read, 6);
	n = check_ics(dir, "o.ics", &cal);
	cr_assert_eq(n, t.kept);
	check_event_times(cal);
	icalcomponent_free(cal);
	/* libical writes a year it cannot hold as zeros. */
	path = tu_path(dir, "o.ics");
	text = tu_slurp(path, NULL);
	cr_assert_null(strstr(text, "00000000T"), "%s", text);
	cr_assert_not_null(strstr(text, "DTSTART:16010101T000000Z\r\n"),
	    "%s", text);
	free(text);
	free(path);
	tu_run_done(&r, dir, pst);
}

Test(badinput, filetime_extremes_raw)
{
	const int64_t	 max = INT64_MAX, y30828 = 910692730085477580LL;
	icalcomponent	*cal;
	struct tu_run	 r;
	struct totals	 t;
	struct pstw	*w;
	uint32_t	 folder;
	char		*dir, *pst, *path, *text;

	dir = in_pst_dir(&pst);
	w = tu_pstw_open(pst, "Bad input", &folder);
	tu_pstw_write(w, folder, appt_new(w, "Zero to max", 0, max));
	tu_pstw_write(w, folder, appt_new(w, "Max to max", max, max));
	tu_pstw_write(w, folder, appt_new(w, "Year 30828", y30828, y30828 +
	    3600 * FT_SEC));
	tu_pstw_write(w, folder, appt_new(w, "Negative", -FT_SEC, FT_2024));
	tu_pstw_write(w, folder, appt_new(w, "Normal", FT_2024, FT_2024 +
	    1800 * FT_SEC));
	tu_pstw_close(w);
	run_in(&r, dir);
	cr_assert(r.status == 0 || r.status == 3, "%d: %s", r.status, r.err);
	check_totals(dir, "r.json", &t);
	cr_assert_eq(t.read, 5);
	cr_assert_eq(check_ics(dir, "o.ics", &cal), t.kept);
	cr_assert_not_null(tu_ics_event_if(cal, "Normal", -1));
	check_event_times(cal);
	/* A year moved to fit is a degraded item, listed, status 3. */
	if (tu_ics_event_if(cal, "Year 30828", -1) != NULL) {
		cr_assert_not_null(strstr(r.err, "\"Year 30828\": degraded: a "
		    "date outside the years 0 to 3000"), "%s", r.err);
		cr_assert_eq(r.status, 3);
	}
	icalcomponent_free(cal);
	path = tu_path(dir, "o.ics");
	text = tu_slurp(path, NULL);
	cr_assert_null(strstr(text, "00000000T"), "%s", text);
	free(text);
	free(path);
	tu_run_done(&r, dir, pst);
}

Test(badinput, broken_recurrence_and_zone_blobs)
{
	const char	*series[] = { "Recur truncated", "Recur count lie",
	    "Everything broken", "Period zero", "No weekday",
	    "Month day zero", "Empty blob", "Garbage blob" };
	icalcomponent	*cal, *ev;
	struct tu_run	 r;
	struct totals	 t;
	char		*dir, *pst, *want;
	size_t		 i;

	dir = in_pst_dir(&pst);
	tu_mkpst("bad-blobs.ics", pst);
	run_in(&r, dir);
	/* Series written as one occurrence are degraded: partial. */
	cr_assert_eq(r.status, 3, "%d: %s", r.status, r.err);
	check_totals(dir, "r.json", &t);
	cr_assert_eq(t.read, 13);
	cr_assert_eq(check_ics(dir, "o.ics", &cal), t.kept);
	cr_assert_not_null(tu_ics_event_if(cal, "Control", -1));
	/* Undecodable patterns: the first occurrence, with a warning. */
	for (i = 0; i < sizeof series / sizeof series[0]; i++) {
		if ((ev = tu_ics_event_if(cal, series[i], -1)) == NULL) {
			cr_assert_not_null(strstr(r.err, series[i]),
			    "%s neither written nor reported", series[i]);
			continue;
		}
		cr_assert_null(icalcomponent_get_first_property(ev,
		    ICAL_RRULE_PROPERTY), "%s", series[i]);
		cr_assert_gt(asprintf(&want, "\"%s\": degraded: recurrence",
		    series[i]), 0);
		cr_assert_not_null(strstr(r.err, want), "no warning for %s: %s",
		    series[i], r.err);
		free(want);
	}
	/* What decodes stays a series, however absurd its count. */
	cr_assert_not_null(ev = tu_ics_event_if(cal, "Count 999999999", -1));
	cr_assert_not_null(icalcomponent_get_first_property(ev,
	    ICAL_RRULE_PROPERTY));
	cr_assert_not_null(ev = tu_ics_event_if(cal, "Never ending daily", -1));
	cr_assert_not_null(icalcomponent_get_first_property(ev,
	    ICAL_RRULE_PROPERTY));
	cr_assert_not_null(tu_ics_event_if(cal, "Zone truncated", -1));
	cr_assert_not_null(tu_ics_event_if(cal, "GOID truncated", -1));
	check_event_times(cal);
	icalcomponent_free(cal);
	tu_run_done(&r, dir, pst);
}

/* ---- big and strange text ------------------------------------------- */

/* Words of 63 letters; the last is not a space, which libical's parser
 * would strip. */
static char
body_char(size_t i)
{
	return i % 64 == 62 ? ' ' : "abcdefghijklmnopqrstuvwxyz"[i % 26];
}

Test(badinput, huge_subject_and_body)
{
	const size_t	 slen = 100 * 1024, blen = 10 * 1024 * 1024;
	icalcomponent	*cal, *ev;
	struct tu_run	 r;
	const char	*head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//pstdedup//test_badinput//EN\r\nBEGIN:VEVENT\r\n"
	    "UID:huge@example.com\r\nDTSTART:20240304T090000Z\r\n"
	    "DTEND:20240304T100000Z\r\nSUMMARY:";
	const char	*tail = "END:VEVENT\r\nEND:VCALENDAR\r\n";
	char		*text, *p, *dir, *pst;
	const char	*s;
	size_t		 i;

	tu_pstdedup();
	text = malloc(strlen(head) + slen + blen + 64 + strlen(tail));
	cr_assert_not_null(text);
	p = text + sprintf(text, "%s", head);
	for (i = 0; i < slen; i++)
		*p++ = "Quarterly planning "[i % 19];
	p += sprintf(p, "\r\nDESCRIPTION:");
	for (i = 0; i < blen; i++)
		*p++ = body_char(i);
	p += sprintf(p, "\r\n%s", tail);
	dir = tu_tmpdir();
	pst = tu_mkpst_text(dir, text, (size_t)(p - text));
	free(text);
	ev = run_one(&r, dir, &cal);
	s = icalcomponent_get_summary(ev);
	cr_assert_not_null(s);
	cr_assert_eq(strlen(s), slen);
	cr_assert_eq(strncmp(s, "Quarterly planning Quarterly", 28), 0);
	s = icalcomponent_get_description(ev);
	cr_assert_not_null(s);
	cr_assert_eq(strlen(s), blen);
	for (i = 0; i < blen; i++)
		cr_assert_eq(s[i], body_char(i), "body differs at %zu", i);
	icalcomponent_free(cal);
	tu_run_done(&r, dir, pst);
}

/* UTF-16LE bytes from 16-bit units. */
static uint8_t *
utf16(const uint16_t *u, size_t n, size_t *len)
{
	uint8_t	*b = malloc(2 * n);
	size_t	 i;

	cr_assert_not_null(b);
	for (i = 0; i < n; i++) {
		b[2 * i] = u[i] & 0xFF;
		b[2 * i + 1] = u[i] >> 8;
	}
	*len = 2 * n;
	return b;
}

Test(badinput, lone_surrogates_and_control_characters)
{
	/* Lone high and low surrogates, C0 controls and DEL. */
	const uint16_t	 subj[] = { 'A', 0xD800, 'B', 0x07, 'C' };
	const uint16_t	 loc[] = { 0xDC00, 'R', 'o', 'o', 'm', 0x1B };
	const uint16_t	 body[] = { 'x', 0x01, '\r', '\n', 'y', 0x0B, 0x7F,
	    'z', 0xDBFF };
	icalcomponent	*cal, *ev;
	struct tu_run	 r;
	struct pstw	*w;
	struct pstw_msg	*m;
	struct pstw_props *p;
	uint32_t	 folder;
	uint8_t		*b;
	size_t		 len;
	char		*dir, *pst;
	const char	*s;

	dir = in_pst_dir(&pst);
	w = tu_pstw_open(pst, "Bad input", &folder);
	m = appt_new(w, NULL, FT_2024, FT_2024 + 3600 * FT_SEC);
	p = pstw_msg_props(m);
	b = utf16(subj, sizeof subj / sizeof subj[0], &len);
	pstw_set_raw(p, 0x0037, PSTW_UNICODE, b, len);
	free(b);
	b = utf16(loc, sizeof loc / sizeof loc[0], &len);
	pstw_set_raw(p, pstw_named_lid(w, pstw_psetid_appointment, 0x8208),
	    PSTW_UNICODE, b, len);
	free(b);
	b = utf16(body, sizeof body / sizeof body[0], &len);
	pstw_set_raw(p, 0x1000, PSTW_UNICODE, b, len);
	free(b);
	tu_pstw_write(w, folder, m);
	tu_pstw_close(w);

	ev = run_one(&r, dir, &cal);
	s = icalcomponent_get_summary(ev);
	cr_assert_not_null(s);
	cr_assert_eq(strncmp(s, "A\xEF\xBF\xBD" "B", 5), 0, "%s", s);
	cr_assert_not_null(strchr(s, 'C'));
	s = icalcomponent_get_location(ev);
	cr_assert_not_null(s);
	cr_assert_eq(strncmp(s, "\xEF\xBF\xBDRoom", 7), 0, "%s", s);
	s = icalcomponent_get_description(ev);
	cr_assert_not_null(s);
	cr_assert_not_null(strstr(s, "z\xEF\xBF\xBD"), "%s", s);
	cr_assert_not_null(strchr(s, 'y'));
	icalcomponent_free(cal);
	tu_run_done(&r, dir, pst);
}

Test(badinput, thousands_of_copies_in_one_group)
{
	const int	 copies = 3000;
	struct tu_run	 r;
	struct totals	 t;
	const json_t	*g, *c;
	json_t		*json;
	char		*text, *p, *dir, *pst;
	size_t		 cap, k, l;
	int		 i, ndup = 0;

	tu_pstdedup();
	cap = 64 + (size_t)copies * 400;
	text = malloc(cap);
	cr_assert_not_null(text);
	p = text + sprintf(text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//pstdedup//test_badinput//EN\r\n");
	for (i = 0; i < copies; i++)
		p += sprintf(p, "BEGIN:VEVENT\r\nUID:storm@example.com\r\n"
		    "SUMMARY:All hands\r\nDTSTART:20240304T090000Z\r\n"
		    "DTEND:20240304T100000Z\r\nX-PST-CREATOR:%s %d\r\n"
		    "X-PST-CREATED:20240301T%02d%02d%02dZ\r\nEND:VEVENT\r\n",
		    i % 2 ? "Calendar Repair Assistant" : "Sync Agent", i,
		    i / 3600 % 24, i / 60 % 60, i % 60);
	p += sprintf(p, "END:VCALENDAR\r\n");
	cr_assert_lt((size_t)(p - text), cap);
	dir = tu_tmpdir();
	pst = tu_mkpst_text(dir, text, (size_t)(p - text));
	free(text);
	tu_pstdedup_run(&r, dir, "-q", "-o", "o.ics", "-R", "r.json", "in.pst",
	    NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_empty(r.err);
	check_totals(dir, "r.json", &t);
	cr_assert_eq(t.read, copies);
	cr_assert_eq(t.kept, 1);
	cr_assert_eq(t.removed, copies - 1);
	json = report(dir, "r.json");
	cr_assert_eq(tu_json_total(json, "groups"), 1);
	json_array_foreach(tu_json_arr(json, "groups"), k, g)
		json_array_foreach(tu_json_arr(g, "removed"), l, c)
			ndup += json_is_string(json_object_get(c,
			    "duplicate_of"));
	cr_assert_eq(ndup, copies - 1);
	cr_assert_eq(check_ics(dir, "o.ics", NULL), 1);
	json_decref(json);
	tu_run_done(&r, dir, pst);
}

/* Attachment bytes wait in a scratch file beside the output: no room
 * for it is a clean failure naming where, with nothing left behind. */
Test(badinput, no_room_for_the_scratch_file)
{
	static const char	 head[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
	    "PRODID:-//pstdedup//test_badinput//EN\r\nBEGIN:VEVENT\r\n"
	    "UID:big@example.com\r\nSUMMARY:Scans\r\n"
	    "DTSTART:20240304T090000Z\r\nDTEND:20240304T100000Z\r\n"
	    "X-PST-ATTACH;FILENAME=scan.txt:";
	static const char	 tail[] = "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
	struct rlimit		 rl;
	struct tu_run		 r;
	char			*text, *dir, *pst, *missing, *want;
	size_t			 nbig = 200000, len;

	tu_pstdedup();
	len = sizeof head - 1 + nbig + sizeof tail - 1;
	text = malloc(len + 1);
	cr_assert_not_null(text);
	memcpy(text, head, sizeof head - 1);
	memset(text + sizeof head - 1, 'x', nbig);
	memcpy(text + sizeof head - 1 + nbig, tail, sizeof tail);
	dir = tu_tmpdir();
	pst = tu_mkpst_text(dir, text, len);
	free(text);

	/* No scratch directory at all. */
	missing = tu_path(dir, "missing");
	cr_assert_eq(setenv("TMPDIR", missing, 1), 0);
	tu_pstdedup_run(&r, dir, "-n", "in.pst", NULL);
	cr_assert_eq(r.status, 73, "%s", r.err);
	cr_assert(asprintf(&want, "pstdedup: %s: cannot create a scratch "
	    "file: No such file or directory\n", missing) > 0);
	cr_assert_str_eq(r.err, want);
	free(want);
	tu_run_free(&r);

	/* Room for less than the attachment: EFBIG, as ENOSPC would be. */
	signal(SIGXFSZ, SIG_IGN);
	rl.rlim_cur = rl.rlim_max = 65536;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	tu_pstdedup_run(&r, dir, "-o", "o.ics", "in.pst", NULL);
	cr_assert_eq(r.status, 74, "%s", r.err);
	cr_assert_str_eq(r.err, "pstdedup: o.ics: cannot write the scratch "
	    "file: File too large\n");
	cr_assert_eq(tu_count_entries(dir), 1);	/* in.pst alone */
	tu_run_free(&r);
	tu_rmdir(dir);
	free(missing);
	free(pst);
	free(dir);
}
