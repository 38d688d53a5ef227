/* test_mkpst_text.c: mkpst fixtures compared with readpst's
 * summaries, and mkpst's errors on bad text and bad paths. */
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <libpff.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ft.h"
#include "le.h"
#include "model.h"
#include "recur.h"
#include "rtf.h"
#include "testutil.h"
#include "mkpst_util.h"
#include "text.h"
#include "tz.h"

/* Parameters are copied into each test process: no pointers. */
struct rp_case {
	char		 fixture[32];
	int		 events;
	char		 lines[8][64];
};

static const struct rp_case rp_cases[] = {
	{ "singles.ics", 4, { "SUMMARY:Dentist\n",
	    "DTSTART;VALUE=DATE-TIME:20240312T083000Z",
	    "DTSTART;VALUE=DATE-TIME:20240710T120000Z",
	    "DTSTART;VALUE=DATE-TIME:20241002T220000Z" } },
	{ "meetings.ics", 2, { "SUMMARY:Design review",
	    "DTSTART;VALUE=DATE-TIME:20240415T140000Z" } },
	{ "recurring.ics", 11, { "RRULE:FREQ=DAILY;COUNT=10;INTERVAL=2",
	    "BYDAY=MO;TU;WE;TH;FR", "RRULE:FREQ=WEEKLY;BYDAY=MO;WE;FR",
	    "INTERVAL=2;BYDAY=FR", "BYMONTHDAY=15", "FREQ=YEARLY" } },
	{ "exceptions.ics", 1, { "SUMMARY:Weekly team meeting",
	    "DTSTART;VALUE=DATE-TIME:20240305T090000Z",
	    "RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=TU" } },
	{ "duplicates.ics", 5, { "SUMMARY:Vendor demo", "SUMMARY:Lunch with "
	    "Sam", "DTSTART;VALUE=DATE-TIME:20240529T110000Z" } },
	/* Deleted Items and the Inbox are not calendars for readpst. */
	{ "folders.ics", 3, { "SUMMARY:In a sub-calendar",
	    "SUMMARY:Ana's birthday" } },
	{ "traps.ics", 6, { "SUMMARY:Explicit GOIDs that disagree" } },
};

ParameterizedTestParameters(mkpst, readers)
{
	return cr_make_param_array(struct rp_case, rp_cases,
	    sizeof rp_cases / sizeof rp_cases[0]);
}

ParameterizedTest(const struct rp_case *c, mkpst, readers)
{
	char *dir = tu_tmpdir(), *out = tu_path(dir, "out.pst"), *text;
	size_t i;

	tu_mkpst(c->fixture, out);
	pffinfo_ok(out);
	text = readpst_text(out, dir);
	cr_expect_eq(tu_count(text, "BEGIN:VEVENT"), c->events, "%s: %d events",
	    c->fixture, tu_count(text, "BEGIN:VEVENT"));
	for (i = 0; i < 8 && c->lines[i][0] != '\0'; i++)
		cr_expect_not_null(strstr(text, c->lines[i]), "%s: no \"%s\"",
		    c->fixture, c->lines[i]);
	free(text);
	free(out);
	tu_rmdir(dir);
	free(dir);
}

/* The "Weekly team meeting" of recurring.ics, in readpst's words. */
Test(mkpst, readpst_summaries_match_text)
{
	static const char *const subjects[] = {
		"Every other day", "Every weekday", "Gym", "Payroll check",
		"Rent", "Month-end close", "Board meeting",
		"Last-Friday drinks", "Anniversary dinner",
		"Thanksgiving call", "Bin day"
	};
	char *dir = tu_tmpdir(), *out = tu_path(dir, "out.pst"), *text;
	char line[128];
	size_t i;

	tu_mkpst("recurring.ics", out);
	text = readpst_text(out, dir);
	for (i = 0; i < sizeof subjects / sizeof subjects[0]; i++) {
		snprintf(line, sizeof line, "SUMMARY:%s\n", subjects[i]);
		cr_expect_eq(tu_count(text, line), 1, "%s", subjects[i]);
	}
	cr_expect_eq(tu_count(text, "RRULE:"), 11);
	free(text);
	free(out);
	tu_rmdir(dir);
	free(dir);
}

/* ---- errors ---------------------------------------------------------- */

struct bad_case {
	char		 text[512];
	int		 line;
	char		 what[64];
};

static const struct bad_case bad_cases[] = {
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nDTSTART:2024-01-01\n"
	    "END:VEVENT\nEND:VCALENDAR\n", 4, "DTSTART" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;TZID=Mars Standard Time:"
	    "20240101T100000\nEND:VEVENT\nEND:VCALENDAR\n", 3, "Mars" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "X-PST-FOLDR:Calendar\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "X-PST-FOLDR" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "END:VTODO\nEND:VCALENDAR\n", 4, "END" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "RRULE:FREQ=DAILY;BYHOUR=9,17\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "RRULE" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n"
	    "DTSTART:20240101T100000Z\nEND:VEVENT\nBEGIN:VEVENT\nUID:a\n"
	    "RECURRENCE-ID:20240102T100000Z\nDTSTART:20240102T110000Z\n"
	    "END:VEVENT\nEND:VCALENDAR\n", 6, "RECURRENCE-ID" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "X-PST-PROP:0x3FDE:I4:lots\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "X-PST-PROP" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "this is not a content line\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "bad content line" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "DESCRIPTION:x\nX-PST-RTF:text-onlyish\nEND:VEVENT\n"
	    "END:VCALENDAR\n", 5, "html-only or text-only" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "X-PST-RTF:htm\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "html-only or text-only" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "X-MICROSOFT-DISALLOW-COUNTER:maybe\nEND:VEVENT\nEND:VCALENDAR\n",
	    4, "TRUE or FALSE" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "X-MS-OLK-CONFTYPE:netmeeting\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "X-MS-OLK-CONFTYPE" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "X-MS-OLK-APPTSEQTIME:yesterday\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "date-time" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "END:VEVENT\n", 1, "never closed" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:no start\nEND:VEVENT\n"
	    "END:VCALENDAR\n", 2, "no DTSTART" },
	{ "BEGIN:VCALENDAR\nX-PST-FORMAT:OST\nBEGIN:VEVENT\n"
	    "DTSTART:20240101T100000Z\nEND:VEVENT\nEND:VCALENDAR\n", 2,
	    "X-PST-FORMAT" },
	{ "BEGIN:VCALENDAR\nX-PST-CRYPT:ROT13\nBEGIN:VEVENT\n"
	    "DTSTART:20240101T100000Z\nEND:VEVENT\nEND:VCALENDAR\n", 2,
	    "X-PST-CRYPT" },
	{ "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20240101T100000Z\n"
	    "X-PST-ATTACH-COUNT:many\nEND:VEVENT\nEND:VCALENDAR\n", 4,
	    "X-PST-ATTACH-COUNT" },
	/* Zones go through icsread's reader: its strict rules, our line. */
	{ "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:Two\nBEGIN:STANDARD\n"
	    "DTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
	    "END:STANDARD\nBEGIN:STANDARD\nDTSTART:16010101T030000\n"
	    "TZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nEND:STANDARD\n"
	    "END:VTIMEZONE\nEND:VCALENDAR\n", 2,
	    "VTIMEZONE: not one STANDARD and at most one DAYLIGHT" },
	{ "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:Z\nBEGIN:STANDARD\n"
	    "DTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\n"
	    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\n"
	    "BEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:+0100\n"
	    "TZOFFSETTO:+0200\nEND:DAYLIGHT\nEND:VTIMEZONE\n"
	    "END:VCALENDAR\n", 2, "both with RRULE" },
	{ "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nBEGIN:STANDARD\n"
	    "DTSTART:16010101T030000\nTZOFFSETTO:+0100\nEND:STANDARD\n"
	    "END:VTIMEZONE\nEND:VCALENDAR\n", 2, "VTIMEZONE: no TZID" },
	{ "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:Z\nBEGIN:STANDARD\n"
	    "DTSTART:16010101T030000\nTZOFFSETTO:+0100\nEND:STANDARD\n"
	    "END:VTIMEZONE\nBEGIN:VTIMEZONE\nTZID:Z\nBEGIN:STANDARD\n"
	    "DTSTART:16010101T030000\nTZOFFSETTO:+0100\nEND:STANDARD\n"
	    "END:VTIMEZONE\nEND:VCALENDAR\n", 10, "defined twice" },
};

ParameterizedTestParameters(mkpst, bad_text)
{
	return cr_make_param_array(struct bad_case, bad_cases,
	    sizeof bad_cases / sizeof bad_cases[0]);
}

ParameterizedTest(const struct bad_case *c, mkpst, bad_text)
{
	const char *mkpst = tu_env("MKPST");
	char *dir, *in, *out, *want;
	struct tu_run r;

	if (mkpst == NULL)
		cr_skip_test("MKPST not set");
	dir = tu_tmpdir();
	in = tu_path(dir, "bad.ics");
	out = tu_path(dir, "bad.pst");
	tu_spit(in, c->text, strlen(c->text));
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"-o", out,
	    in, NULL });
	cr_expect_eq(r.status, 65, "status %d: %s", r.status, r.err);
	cr_assert_neq(asprintf(&want, "mkpst: %s:%d: ", in, c->line), -1);
	cr_expect_eq(strncmp(r.err, want, strlen(want)), 0,
	    "stderr \"%s\", want prefix \"%s\"", r.err, want);
	cr_expect_not_null(strstr(r.err, c->what), "stderr \"%s\"", r.err);
	cr_expect_eq(tu_count_entries(dir), 1, "partial output left");
	free(want);
	tu_run_free(&r);
	free(in);
	free(out);
	tu_rmdir(dir);
	free(dir);
}

Test(mkpst, unwritable_output)
{
	const char *mkpst = tu_env("MKPST"), *src = tu_env("TEST_SRCDIR");
	char *in, *d;
	struct tu_run r;

	if (mkpst == NULL || src == NULL)
		cr_skip_test("MKPST or TEST_SRCDIR not set");
	d = tu_path(src, "data");
	in = tu_path(d, "singles.ics");
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"-o",
	    (char *)"/nonexistent-dir/x.pst", in, NULL });
	cr_expect_eq(r.status, 73, "status %d: %s", r.status, r.err);
	cr_expect_not_null(strstr(r.err, "/nonexistent-dir/x.pst"));
	tu_run_free(&r);
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"--synth",
	    (char *)"10", (char *)"-o", (char *)"/nonexistent-dir/y.pst",
	    NULL });
	cr_expect_eq(r.status, 73, "status %d: %s", r.status, r.err);
	cr_expect_not_null(strstr(r.err, "/nonexistent-dir/y.pst"));
	tu_run_free(&r);
	free(in);
	free(d);
}

Test(mkpst, missing_input)
{
	const char *mkpst = tu_env("MKPST");
	char *dir, *out;
	struct tu_run r;

	if (mkpst == NULL)
		cr_skip_test("MKPST not set");
	dir = tu_tmpdir();
	out = tu_path(dir, "x.pst");
	tu_run(&r, NULL, (char *const[]){ (char *)mkpst, (char *)"-o", out,
	    (char *)"/nonexistent-dir/none.ics", NULL });
	cr_expect_eq(r.status, 66, "status %d: %s", r.status, r.err);
	cr_expect_not_null(strstr(r.err, "none.ics"));
	cr_expect_eq(tu_count_entries(dir), 0);
	tu_run_free(&r);
	free(out);
	tu_rmdir(dir);
	free(dir);
}
