/* test_fidelity.c: what Outlook writes, through mkpst -> pstdedup -> the
 * .ics parsed with libical: the cancelled state, a DESCRIPTION for HTML
 * and RTF bodies, Outlook's X- properties exactly when their MAPI
 * property is there, and degraded items (status 3, listed even with
 * -q, counted in the report). */
#include <criterion/criterion.h>
#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define APPT		"{00062002-0000-0000-C000-000000000046}/"

static const char fixture_ics[] =
"BEGIN:VCALENDAR\r\n"
"VERSION:2.0\r\n"
"BEGIN:VEVENT\r\n"
"UID:cancelled@example.com\r\n"
"SUMMARY:Called off\r\n"
"DTSTART:20240304T090000Z\r\n"
"DTEND:20240304T093000Z\r\n"
"STATUS:CANCELLED\r\n"
"ORGANIZER;CN=Olga Organizer:mailto:olga@example.com\r\n"
"ATTENDEE;CN=Ann Attendee:mailto:ann@example.com\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:live@example.com\r\n"
"SUMMARY:Still on\r\n"
"DTSTART:20240305T090000Z\r\n"
"DTEND:20240305T093000Z\r\n"
"ORGANIZER;CN=Olga Organizer:mailto:olga@example.com\r\n"
"ATTENDEE;CN=Ann Attendee:mailto:ann@example.com\r\n"
"DESCRIPTION:Plain body\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:html@example.com\r\n"
"SUMMARY:HTML only\r\n"
"DTSTART:20240306T090000Z\r\n"
"DTEND:20240306T093000Z\r\n"
"X-ALT-DESC;FMTTYPE=text/html:<html><head><style>p{margin:0}</style>"
    "</head><body><p>Caf&eacute; &amp; cake</p><p>Room   4<br>floor 2</p>"
    "<script>x()</script></body></html>\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:rtf-text@example.com\r\n"
"SUMMARY:RTF only\r\n"
"DTSTART:20240307T090000Z\r\n"
"DTEND:20240307T093000Z\r\n"
"DESCRIPTION:Agenda\\nitem one\r\n"
"X-PST-RTF:text-only\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:rtf-html@example.com\r\n"
"SUMMARY:RTF with HTML inside\r\n"
"DTSTART:20240308T090000Z\r\n"
"DTEND:20240308T093000Z\r\n"
"X-ALT-DESC;FMTTYPE=text/html:<html><body><p>Wrapped <b>bold</b></p>"
    "<div>next &amp; last</div></body></html>\r\n"
"X-PST-RTF:html-only\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:outlook-x@example.com\r\n"
"SUMMARY:Every X property\r\n"
"DTSTART:20240311T090000Z\r\n"
"DTEND:20240311T093000Z\r\n"
"X-PST-PROP:0x0062:I4:-1\r\n"
"X-PST-PROP:" APPT "0x825A:BOOL:1\r\n"
"X-PST-PROP:" APPT "0x8202:TIME:20130419T133308Z\r\n"
"X-PST-PROP:" APPT "0x8203:I4:4\r\n"
"X-PST-PROP:" APPT "0x8241:I4:2\r\n"
"X-PST-PROP:" APPT "0x823A:BOOL:0\r\n"
"X-PST-PROP:" APPT "0x8246:BOOL:1\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:other-x@example.com\r\n"
"SUMMARY:Other values\r\n"
"DTSTART:20240312T090000Z\r\n"
"DTEND:20240312T093000Z\r\n"
"X-PST-PROP:0x0062:I4:1613481959\r\n"
"X-PST-PROP:" APPT "0x825A:BOOL:0\r\n"
"X-PST-PROP:" APPT "0x823A:BOOL:1\r\n"
"END:VEVENT\r\n"
"END:VCALENDAR\r\n";

/* A series whose recurrence blob is cut short, beside a sound item. */
static const char damaged_ics[] =
"BEGIN:VCALENDAR\r\n"
"VERSION:2.0\r\n"
"BEGIN:VEVENT\r\n"
"UID:broken-series@example.com\r\n"
"SUMMARY:Broken weekly\r\n"
"DTSTART:20240304T090000Z\r\n"
"DTEND:20240304T093000Z\r\n"
"RRULE:FREQ=WEEKLY;COUNT=5\r\n"
"X-PST-BROKEN:recur-truncate\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:sound@example.com\r\n"
"SUMMARY:Sound\r\n"
"DTSTART:20240305T090000Z\r\n"
"DTEND:20240305T093000Z\r\n"
"END:VEVENT\r\n"
"END:VCALENDAR\r\n";

static const char *const outlook_x[] = {
	"X-MICROSOFT-CDO-OWNERAPPTID", "X-MICROSOFT-DISALLOW-COUNTER",
	"X-MS-OLK-ALLOWEXTERNCHECK", "X-MS-OLK-APPTLASTSEQUENCE",
	"X-MS-OLK-APPTSEQTIME", "X-MS-OLK-AUTOFILLLOCATION",
	"X-MS-OLK-CONFTYPE", NULL
};

/* The only VEVENT with uid; fails when there is none or more. */
static icalcomponent *
event(icalcomponent *cal, const char *uid)
{
	icalcomponent	*ev, *found = NULL;

	for (ev = icalcomponent_get_first_component(cal,
	    ICAL_VEVENT_COMPONENT); ev != NULL;
	    ev = icalcomponent_get_next_component(cal,
	    ICAL_VEVENT_COMPONENT)) {
		if (strcmp(icalcomponent_get_uid(ev), uid) == 0) {
			cr_assert_null(found, "two VEVENTs with UID %s", uid);
			found = ev;
		}
	}
	cr_assert_not_null(found, "no VEVENT with UID %s", uid);
	return found;
}

/* The value of X- property name, or NULL; fails when it is there twice. */
static const char *
xprop(icalcomponent *ev, const char *name)
{
	icalproperty	*p;
	const char	*v = NULL;

	for (p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_X_PROPERTY)) {
		if (strcmp(icalproperty_get_x_name(p), name) == 0) {
			cr_assert_null(v, "%s twice", name);
			v = icalproperty_get_x(p);
		}
	}
	return v;
}

static const char *
description(icalcomponent *ev)
{
	icalproperty	*p;

	p = icalcomponent_get_first_property(ev, ICAL_DESCRIPTION_PROPERTY);
	return p != NULL ? icalproperty_get_description(p) : NULL;
}

/* One run over fixture_ics shared by the tests below. */
static char		*dir;
static icalcomponent	*cal;

static void
setup(void)
{
	struct tu_run	 r;

	dir = tu_tmpdir();
	free(tu_mkpst_text(dir, fixture_ics, strlen(fixture_ics)));
	tu_pstdedup_run(&r, dir, "-q", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%d: %s", r.status, r.err);
	cr_assert_str_empty(r.err);
	tu_run_free(&r);
	cal = tu_ics_load(dir, "in-clean.ics");
}

static void
teardown(void)
{
	if (cal != NULL)
		icalcomponent_free(cal);
	cal = NULL;
	if (dir != NULL)
		tu_rmdir(dir);
	free(dir);
	dir = NULL;
}

TestSuite(fidelity, .init = setup, .fini = teardown);

Test(fidelity, cancelled_meeting_has_status_cancelled)
{
	icalcomponent	*ev;

	ev = event(cal, "cancelled@example.com");
	cr_assert_eq(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);
	/* Still a meeting: organizer and attendee stay. */
	cr_assert_not_null(icalcomponent_get_first_property(ev,
	    ICAL_ORGANIZER_PROPERTY));
	cr_assert_not_null(icalcomponent_get_first_property(ev,
	    ICAL_ATTENDEE_PROPERTY));
	ev = event(cal, "live@example.com");
	cr_assert_null(icalcomponent_get_first_property(ev,
	    ICAL_STATUS_PROPERTY));
}

Test(fidelity, html_only_body_gets_a_description)
{
	icalcomponent	*ev;
	const char	*d;

	ev = event(cal, "html@example.com");
	cr_assert_not_null(d = description(ev));
	cr_assert_str_eq(d, "Caf\xc3\xa9 & cake\nRoom 4\nfloor 2");
	/* The HTML itself still goes along for clients that show it. */
	cr_assert_not_null(xprop(ev, "X-ALT-DESC"));
	cr_assert_not_null(strstr(xprop(ev, "X-ALT-DESC"), "<p>"));
	/* A plain body is written as it is. */
	cr_assert_str_eq(description(event(cal, "live@example.com")),
	    "Plain body");
}

Test(fidelity, rtf_only_bodies_get_a_description)
{
	icalcomponent	*ev;

	ev = event(cal, "rtf-text@example.com");
	cr_assert_not_null(description(ev));
	cr_assert_str_eq(description(ev), "Agenda\nitem one");
	cr_assert_null(xprop(ev, "X-ALT-DESC"));
	/* RTF that encapsulates HTML: text through the HTML parser, and
	 * the HTML as X-ALT-DESC. */
	ev = event(cal, "rtf-html@example.com");
	cr_assert_not_null(description(ev));
	cr_assert_str_eq(description(ev), "Wrapped bold\nnext & last");
	cr_assert_not_null(xprop(ev, "X-ALT-DESC"));
	cr_assert_not_null(strstr(xprop(ev, "X-ALT-DESC"), "<b>bold</b>"));
}

Test(fidelity, every_outlook_x_property_when_mapi_has_it)
{
	icalcomponent	*ev;
	size_t		 i;

	ev = event(cal, "outlook-x@example.com");
	cr_expect_str_eq(xprop(ev, "X-MICROSOFT-CDO-OWNERAPPTID"), "-1");
	cr_expect_str_eq(xprop(ev, "X-MICROSOFT-DISALLOW-COUNTER"), "TRUE");
	cr_expect_str_eq(xprop(ev, "X-MS-OLK-APPTSEQTIME"),
	    "20130419T133308Z");
	cr_expect_str_eq(xprop(ev, "X-MS-OLK-APPTLASTSEQUENCE"), "4");
	cr_expect_str_eq(xprop(ev, "X-MS-OLK-CONFTYPE"), "2");
	cr_expect_str_eq(xprop(ev, "X-MS-OLK-AUTOFILLLOCATION"), "FALSE");
	cr_expect_str_eq(xprop(ev, "X-MS-OLK-ALLOWEXTERNCHECK"), "TRUE");

	ev = event(cal, "other-x@example.com");
	cr_expect_str_eq(xprop(ev, "X-MICROSOFT-CDO-OWNERAPPTID"),
	    "1613481959");
	cr_expect_str_eq(xprop(ev, "X-MICROSOFT-DISALLOW-COUNTER"), "FALSE");
	cr_expect_str_eq(xprop(ev, "X-MS-OLK-AUTOFILLLOCATION"), "TRUE");
	cr_expect_null(xprop(ev, "X-MS-OLK-APPTSEQTIME"));
	cr_expect_null(xprop(ev, "X-MS-OLK-APPTLASTSEQUENCE"));
	cr_expect_null(xprop(ev, "X-MS-OLK-CONFTYPE"));
	cr_expect_null(xprop(ev, "X-MS-OLK-ALLOWEXTERNCHECK"));

	/* No MAPI property, no X- property. */
	ev = event(cal, "live@example.com");
	for (i = 0; outlook_x[i] != NULL; i++)
		cr_expect_null(xprop(ev, outlook_x[i]), "%s", outlook_x[i]);
	/* Counter proposals only: never on a PUBLISH calendar. */
	cr_expect_null(xprop(ev, "X-MS-OLK-ORIGINALSTART"));
}

Test(degraded, damaged_recurrence_status_3_and_listed)
{
	struct tu_run	 r;
	icalcomponent	*c, *ev;
	char		*d, *path, *rep;
	const char	*head, *line;

	d = tu_tmpdir();
	free(tu_mkpst_text(d, damaged_ics, strlen(damaged_ics)));
	head = "pstdedup: in.pst: /Top of Personal Folders/Calendar/0x";
	line = "\"Broken weekly\": degraded: recurrence written as single "
	    "occurrence: pattern not decoded: ";

	tu_pstdedup_run(&r, d, "-R", "report.json", "in.pst", NULL);
	cr_assert_eq(r.status, 3, "%d: %s", r.status, r.err);
	cr_assert_eq(strncmp(r.err, head, strlen(head)), 0, "%s", r.err);
	cr_assert_not_null(strstr(r.err, line), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "2 items read, 2 kept, 0 removed "
	    "(0 groups), 1 degraded (written with less than it had)\n"),
	    "%s", r.err);
	tu_run_free(&r);

	/* Written all the same, as its first occurrence. */
	c = tu_ics_load(d, "in-clean.ics");
	ev = event(c, "broken-series@example.com");
	cr_assert_null(icalcomponent_get_first_property(ev,
	    ICAL_RRULE_PROPERTY));
	event(c, "sound@example.com");
	icalcomponent_free(c);

	/* The report counts it apart from the skips. */
	path = tu_path(d, "report.json");
	cr_assert_not_null(rep = tu_slurp(path, NULL));
	cr_assert_not_null(strstr(rep, "\"read\":2,\"kept\":2,\"removed\":0,"),
	    "%s", rep);
	cr_assert_not_null(strstr(rep, "\"skipped\":0,\"damaged\":0,"
	    "\"left_out\":0,\"degraded\":1,"), "%s", rep);
	cr_assert_not_null(strstr(rep, "\"subject\":\"Broken weekly\","
	    "\"message\":\"recurrence written as single occurrence: "), "%s",
	    rep);
	cr_assert_not_null(strstr(rep, "\"degraded\":true}"), "%s", rep);
	free(rep);
	free(path);

	/* -q hides the summary, not the degraded item nor the status. */
	tu_pstdedup_run(&r, d, "-q", "-o", "q.ics", "in.pst", NULL);
	cr_assert_eq(r.status, 3, "%d: %s", r.status, r.err);
	cr_assert_eq(strncmp(r.err, head, strlen(head)), 0, "%s", r.err);
	cr_assert_not_null(strstr(r.err, line), "%s", r.err);
	cr_assert_null(strchr(strchr(r.err, '\n') + 1, '\n'),
	    "one line only: %s", r.err);
	cr_assert_null(strstr(r.err, "items read"));
	tu_run_free(&r);

	/* A dry run says so too, and the CSV lists it like a skip. */
	tu_pstdedup_run(&r, d, "-q", "-n", "-f", "csv", "-R", "-", "in.pst",
	    NULL);
	cr_assert_eq(r.status, 3, "%d: %s", r.status, r.err);
	cr_assert_not_null(strstr(r.out, "\r\ndegraded,,,0x"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, ",,Broken weekly,,,/Top of Personal "
	    "Folders/Calendar,,,,recurrence written as single occurrence: "),
	    "%s", r.out);
	tu_run_free(&r);
	tu_rmdir(d);
	free(d);
}

Test(degraded, sound_items_exit_0)
{
	struct tu_run	 r;
	char		*d;

	d = tu_tmpdir();
	free(tu_mkpst_text(d, fixture_ics, strlen(fixture_ics)));
	tu_pstdedup_run(&r, d, "-n", "in.pst", NULL);
	cr_assert_eq(r.status, 0, "%d: %s", r.status, r.err);
	cr_assert_null(strstr(r.err, "degraded"), "%s", r.err);
	tu_run_free(&r);
	tu_rmdir(d);
	free(d);
}
