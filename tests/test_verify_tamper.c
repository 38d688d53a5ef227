/* test_verify_tamper.c: the verifier catches every kind of
 * tampering with a written calendar. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dedup.h"
#include "outfile.h"
#include "reader.h"
#include "testutil.h"
#include "verify_util.h"
#include "verify.h"
#include "writer.h"

/* ---- tampering: the writer's text changed after the fact ------------ */

/* The start of the n-th (0-based) line beginning with prefix after from. */
static char *
find_line(char *text, const char *from, const char *prefix, int n)
{
	char *p = text, *q;
	size_t len = strlen(prefix);

	if (from != NULL) {
		cr_assert_not_null(p = strstr(text, from), "no %s", from);
	}
	for (; (q = strstr(p, "\r\n")) != NULL; p = q + 2) {
		if (strncmp(q + 2, prefix, len) == 0 && n-- == 0)
			return q + 2;
	}
	cr_assert_fail("no line %s", prefix);
	return NULL;
}

/* The end of the logical line at p (past its continuation lines). */
static char *
line_end(char *p)
{
	char *q;

	for (q = strstr(p, "\r\n"); q != NULL && (q[2] == ' ' || q[2] == '\t');
	    q = strstr(q + 2, "\r\n"))
		;
	cr_assert_not_null(q);
	return q + 2;
}

/* text with [a, b) replaced by ins. */
static char *
splice(const char *text, const char *a, const char *b, const char *ins,
    size_t inslen)
{
	size_t pre = (size_t)(a - text), post = strlen(b);
	char *s = malloc(pre + inslen + post + 1);

	cr_assert_not_null(s);
	memcpy(s, text, pre);
	memcpy(s + pre, ins, inslen);
	memcpy(s + pre + inslen, b, post + 1);
	return s;
}

/* The tampered calendar must fail, naming want. */
static void
assert_fails(struct vrun *r, char *text, const char *want)
{
	char *cause;

	cr_assert_neq(check_text(text, strlen(text), r->kept, r->nkept, 1,
	    NULL, &cause), 0, "tampered text (%s) passed", want);
	cr_assert_not_null(strstr(cause, want), "cause \"%s\" lacks \"%s\"",
	    cause, want);
	free(cause);
	free(text);
}

/* Fixture name's calendar without its first line that starts with
 * prefix after one that starts with after must fail, naming want. */
static void
assert_drop_fails(const char *name, const char *after, const char *prefix,
    const char *want)
{
	struct vrun r;
	char *a;

	load_tamper(&r, name);
	a = find_line(r.cal, after, prefix, 0);
	assert_fails(&r, splice(r.cal, a, line_end(a), "", 0), want);
	vrun_free(&r);
}

Test(tamper, untouched_passes)
{
	struct vrun r;
	char *cause;

	load_tamper(&r, "exceptions.ics");
	cr_assert_eq(check_text(r.cal, r.callen, r.kept, r.nkept, 0, NULL,
	    &cause), 0, "%s", cause);
	vrun_free(&r);
}

Test(tamper, changed_dtstart)
{
	struct vrun r;
	char *p, *colon;

	load_tamper(&r, "singles.ics");
	p = find_line(r.cal, "BEGIN:VEVENT", "DTSTART", 0);
	cr_assert_not_null(colon = strchr(p, ':'));
	/* The day's last digit, off by one. */
	colon[8] = colon[8] == '1' ? '2' : '1';
	assert_fails(&r, strdup(r.cal), "DTSTART: expected");
	vrun_free(&r);
}

Test(tamper, missing_event)
{
	struct vrun r;
	char *a, *b;

	load_tamper(&r, "singles.ics");
	a = find_line(r.cal, NULL, "BEGIN:VEVENT", 1);
	cr_assert_not_null(b = strstr(a, "END:VEVENT\r\n"));
	assert_fails(&r, splice(r.cal, a, b + 12, "", 0),
	    "no event in the file");
	vrun_free(&r);
}

Test(tamper, duplicated_master)
{
	struct vrun r;
	char *a, *b;

	load_tamper(&r, "singles.ics");
	a = find_line(r.cal, NULL, "BEGIN:VEVENT", 0);
	cr_assert_not_null(b = strstr(a, "END:VEVENT\r\n"));
	b += 12;
	/* The event once more right after itself. */
	assert_fails(&r, splice(r.cal, b, b, a, (size_t)(b - a)),
	    "a second master event");
	vrun_free(&r);
}

Test(tamper, dropped_exdate)
{
	assert_drop_fails("exceptions.ics", "BEGIN:VEVENT", "EXDATE", "EXDATE");
}

Test(tamper, dropped_override)
{
	struct vrun r;
	char *a, *b;

	load_tamper(&r, "exceptions.ics");
	b = find_line(r.cal, "BEGIN:VEVENT", "RECURRENCE-ID", 0);
	/* Back to the BEGIN:VEVENT of the override. */
	for (a = b; strncmp(a, "BEGIN:VEVENT\r\n", 14) != 0; a--)
		;
	cr_assert_not_null(b = strstr(a, "END:VEVENT\r\n"));
	assert_fails(&r, splice(r.cal, a, b + 12, "", 0),
	    "RECURRENCE-ID");
	vrun_free(&r);
}

Test(tamper, dropped_attendee)
{
	assert_drop_fails("meetings.ics", "BEGIN:VEVENT", "ATTENDEE",
	    "ATTENDEE: expected");
}

Test(tamper, changed_summary)
{
	struct vrun r;
	char *a;

	load_tamper(&r, "singles.ics");
	a = find_line(r.cal, "BEGIN:VEVENT", "SUMMARY:", 0);
	a += strlen("SUMMARY:");
	assert_fails(&r, splice(r.cal, a, a, "Not ", 4), "SUMMARY: expected");
	vrun_free(&r);
}

Test(tamper, changed_rrule)
{
	struct vrun r;
	char *a, *c;

	load_tamper(&r, "exceptions.ics");
	a = find_line(r.cal, "BEGIN:VEVENT", "RRULE:", 0);
	cr_assert_not_null(c = strstr(a, "COUNT="));
	c += strlen("COUNT=");
	assert_fails(&r, splice(r.cal, c, c, "1", 1), "RRULE: COUNT");
	vrun_free(&r);
}

Test(tamper, changed_zone)
{
	struct vrun r;
	char *a;

	/* Standard time an hour off: the series starts in winter. */
	load_tamper(&r, "exceptions.ics");
	a = find_line(r.cal, "BEGIN:STANDARD", "TZOFFSETTO:", 0);
	a += strlen("TZOFFSETTO:");
	cr_assert_eq(strncmp(a, "+0100", 5), 0);
	assert_fails(&r, splice(r.cal, a, a + 5, "+0000", 5),
	    "DTSTART: 20240305T100000 local is +0 min from UTC in the file's "
	    "VTIMEZONE, +60 in the item's zone");
	vrun_free(&r);
}

Test(tamper, truncated)
{
	struct vrun r;
	char *a;

	load_tamper(&r, "singles.ics");
	a = find_line(r.cal, NULL, "END:VCALENDAR", 0);
	assert_fails(&r, splice(r.cal, a, a + strlen(a), "", 0),
	    "before END:VCALENDAR");
	vrun_free(&r);
}

Test(tamper, shared_uid_strict)
{
	struct vrun r;
	struct appt *two[2];
	char *cause;

	load_tamper(&r, "singles.ics");
	cr_assert_geq(r.nkept, 1);
	/* One item twice: the UID is shared, which strict mode refuses
	 * before reading anything. */
	two[0] = two[1] = r.kept[0];
	cr_assert_neq(check_text(r.cal, r.callen, two, 2, 0, NULL, &cause),
	    0);
	cr_assert_not_null(strstr(cause, "shared with"), "%s", cause);
	free(cause);
	vrun_free(&r);
}
