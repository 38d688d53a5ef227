/* test_icsread.c: .ics input (icsread.h), checked field by field, by a
 * second parse of input and output, and by reading our own output. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "goid.h"
#include "icsread.h"
#include "model.h"
#include "reader.h"
#include "recur.h"
#include "testutil.h"
#include "tz.h"
#include "writer.h"


/* Read iCalendar text through icsread; the result must be freed. */
static void
read_text(const char *text, struct reader_result *res)
{
	struct reader_opts	 o;
	char			*dir, *path, *cause = NULL;
	int			 rv;

	memset(&o, 0, sizeof o);
	dir = tu_tmpdir();
	path = tu_path(dir, "t.ics");
	tu_spit(path, text, strlen(text));
	rv = reader_read(path, &o, res, &cause);
	cr_assert_eq(rv, 0, "reader_read: %s", cause != NULL ? cause : "");
	free(cause);
	tu_rmdir(dir);
	free(path);
	free(dir);
}

static const char *
skip_reason(const struct reader_result *res, const char *what)
{
	size_t	i;

	for (i = 0; i < res->nskips; i++)
		if (strstr(res->skips[i].reason, what) != NULL)
			return res->skips[i].reason;
	return NULL;
}

#define CAL(body) "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\n" \
	body "END:VCALENDAR\r\n"

/* AUS Eastern: southern hemisphere, DST from October to April. */
#define SYDNEY \
"BEGIN:VTIMEZONE\r\nTZID:AUS Eastern Standard Time\r\n" \
"BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+1100\r\n" \
"TZOFFSETTO:+1000\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=4\r\n" \
"END:STANDARD\r\n" \
"BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+1000\r\n" \
"TZOFFSETTO:+1100\r\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=10\r\n" \
"END:DAYLIGHT\r\n" \
"END:VTIMEZONE\r\n"

Test(icsread, sniff)
{
	cr_assert(icsread_sniff((const uint8_t *)"BEGIN:VCALENDAR\r\n", 17));
	cr_assert(icsread_sniff((const uint8_t *)"\xEF\xBB\xBF \r\n"
	    "begin:vcalendar", 21));
	cr_assert(!icsread_sniff((const uint8_t *)"!BDN", 4));
	cr_assert(!icsread_sniff((const uint8_t *)"BEGIN:VCAL", 10));
}

Test(icsread, southern_time_zone)
{
	struct reader_result	 res;
	struct tz		 def;
	char			*cause = NULL;

	read_text(CAL(SYDNEY
	    "BEGIN:VEVENT\r\nUID:syd-1\r\nSUMMARY:summer\r\n"
	    "DTSTART;TZID=AUS Eastern Standard Time:20240115T100000\r\n"
	    "DTEND;TZID=AUS Eastern Standard Time:20240115T110000\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:syd-2\r\nSUMMARY:winter\r\n"
	    "DTSTART;TZID=AUS Eastern Standard Time:20240715T100000\r\n"
	    "DTEND;TZID=AUS Eastern Standard Time:20240715T110000\r\n"
	    "END:VEVENT\r\n"), &res);
	cr_assert_eq(res.appts.n, 2);
	cr_assert_eq(res.nfolders, 1);
	/* January is daylight time there: +11. */
	cr_assert_eq(res.appts.v[0]->start, tu_ft(2024, 1, 14, 23, 0));
	cr_assert_eq(res.appts.v[0]->end, tu_ft(2024, 1, 15, 0, 0));
	cr_assert_eq(res.appts.v[1]->start, tu_ft(2024, 7, 15, 0, 0));
	cr_assert_eq(res.appts.v[0]->all_day, 0);
	cr_assert_str_eq(res.appts.v[0]->tz_desc,
	    "AUS Eastern Standard Time");
	cr_assert_eq(tz_decode_def(res.appts.v[0]->tzdef_start.data,
	    res.appts.v[0]->tzdef_start.len, &def, &cause), 0, "%s", cause);
	cr_assert_str_eq(def.keyname, "AUS Eastern Standard Time");
	cr_assert_eq(def.nrules, 1);
	cr_assert_eq(def.rules[0].bias, -600);
	cr_assert_eq(def.rules[0].dst_bias, -60);
	cr_assert_eq(def.rules[0].dst_date.month, 10);
	cr_assert_eq(def.rules[0].std_date.month, 4);
	tz_free(&def);
	reader_result_free(&res);
}

Test(icsread, all_day)
{
	struct reader_result	res;

	read_text(CAL(SYDNEY
	    "BEGIN:VEVENT\r\nUID:ad-1\r\nSUMMARY:holiday\r\n"
	    "DTSTART;VALUE=DATE:20240704\r\nDTEND;VALUE=DATE:20240706\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:ad-2\r\nSUMMARY:cdo\r\n"
	    "DTSTART;TZID=AUS Eastern Standard Time:20240801T000000\r\n"
	    "DTEND;TZID=AUS Eastern Standard Time:20240802T000000\r\n"
	    "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:ad-3\r\nSUMMARY:no end\r\n"
	    "DTSTART;VALUE=DATE:20240901\r\nEND:VEVENT\r\n"), &res);
	cr_assert_eq(res.appts.n, 3);
	cr_assert_eq(res.appts.v[0]->all_day, 1);
	cr_assert_eq(res.appts.v[0]->start, tu_ft(2024, 7, 4, 0, 0));
	cr_assert_eq(res.appts.v[0]->end, tu_ft(2024, 7, 6, 0, 0));
	cr_assert_eq(res.appts.v[1]->all_day, 1);
	cr_assert_eq(res.appts.v[1]->start, tu_ft(2024, 7, 31, 14, 0));
	cr_assert_eq(res.appts.v[2]->end, tu_ft(2024, 9, 2, 0, 0));
	reader_result_free(&res);
}

static void
recur_of(const struct appt *a, struct recur *r)
{
	char	*cause = NULL;

	cr_assert_eq(a->recurring, 1);
	cr_assert_eq(recur_decode(a->recur.data, a->recur.len, r, &cause), 0,
	    "%s", cause);
}

Test(icsread, rrule_shapes)
{
	struct reader_result	res;
	struct recur		r;

	read_text(CAL(SYDNEY
	    "BEGIN:VEVENT\r\nUID:r-1\r\nSUMMARY:weekly count\r\n"
	    "DTSTART;TZID=AUS Eastern Standard Time:20240102T090000\r\n"
	    "DTEND;TZID=AUS Eastern Standard Time:20240102T093000\r\n"
	    "RRULE:FREQ=WEEKLY;COUNT=10;INTERVAL=2;BYDAY=TU,TH;WKST=SU\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:r-2\r\nSUMMARY:monthly nth until\r\n"
	    "DTSTART:20240108T130000Z\r\nDTEND:20240108T150000Z\r\n"
	    "RRULE:FREQ=MONTHLY;UNTIL=20240610T130000Z;BYDAY=2MO\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:r-3\r\nSUMMARY:month end\r\n"
	    "DTSTART:20240131T100000Z\r\nDTEND:20240131T110000Z\r\n"
	    "RRULE:FREQ=MONTHLY;BYMONTHDAY=-1\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:r-4\r\nSUMMARY:yearly\r\n"
	    "DTSTART;VALUE=DATE:20240425\r\nDTEND;VALUE=DATE:20240426\r\n"
	    "RRULE:FREQ=YEARLY;BYMONTHDAY=25;BYMONTH=4;COUNT=3\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:r-5\r\nSUMMARY:hourly\r\n"
	    "DTSTART:20240101T100000Z\r\nRRULE:FREQ=HOURLY;COUNT=3\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:r-6\r\nSUMMARY:rdate\r\n"
	    "DTSTART:20240101T100000Z\r\nRDATE:20240105T100000Z\r\n"
	    "END:VEVENT\r\n"), &res);
	cr_assert_eq(res.appts.n, 4);
	recur_of(res.appts.v[0], &r);
	cr_assert_eq(r.pattern, RECUR_PAT_WEEK);
	cr_assert_eq(r.period, 2);
	cr_assert_eq(r.day_mask, (1u << 2) | (1u << 4));
	cr_assert_eq(r.end_type, RECUR_END_COUNT);
	cr_assert_eq(r.count, 10);
	cr_assert_eq(r.first_dow, 0);
	/* Local minutes: 09:00 in Sydney. */
	cr_assert_eq(r.start_offset, 540);
	cr_assert_eq(r.end_offset, 570);
	recur_free(&r);
	recur_of(res.appts.v[1], &r);
	cr_assert_eq(r.pattern, RECUR_PAT_MONTHNTH);
	cr_assert_eq(r.nth, 2);
	cr_assert_eq(r.day_mask, 1u << 1);
	cr_assert_eq(r.end_type, RECUR_END_DATE);
	cr_assert_eq(r.count, 6);
	cr_assert_eq(r.first_dow, 1, "no WKST is Monday (RFC 5545)");
	recur_free(&r);
	recur_of(res.appts.v[2], &r);
	cr_assert_eq(r.pattern, RECUR_PAT_MONTHEND);
	cr_assert_eq(r.end_type, RECUR_END_NEVER);
	recur_free(&r);
	recur_of(res.appts.v[3], &r);
	cr_assert_eq(r.freq, RECUR_FREQ_YEARLY);
	cr_assert_eq(r.period, 12);
	cr_assert_eq(r.day_of_month, 25);
	cr_assert_eq(res.appts.v[3]->all_day, 1);
	recur_free(&r);
	cr_assert_not_null(skip_reason(&res, "HOURLY"));
	cr_assert_not_null(skip_reason(&res, "RDATE"));
	cr_assert_eq(res.nskips, 2);
	reader_result_free(&res);
}

Test(icsread, exdate_and_override)
{
	struct reader_result	 res;
	struct recur		 r;
	const struct appt	*a, *x;

	/* The override comes before its series: it still joins it. */
	read_text(CAL(SYDNEY
	    "BEGIN:VEVENT\r\nUID:s-1\r\nSUMMARY:moved\r\n"
	    "RECURRENCE-ID;TZID=AUS Eastern Standard Time:20240305T090000\r\n"
	    "DTSTART;TZID=AUS Eastern Standard Time:20240306T140000\r\n"
	    "DTEND;TZID=AUS Eastern Standard Time:20240306T150000\r\n"
	    "LOCATION:Room 2\r\nDESCRIPTION:only this time\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:s-1\r\nSUMMARY:standup\r\nLOCATION:Room 1\r\n"
	    "DTSTART;TZID=AUS Eastern Standard Time:20240220T090000\r\n"
	    "DTEND;TZID=AUS Eastern Standard Time:20240220T091500\r\n"
	    "RRULE:FREQ=WEEKLY;COUNT=5;BYDAY=TU;WKST=SU\r\n"
	    "EXDATE;TZID=AUS Eastern Standard Time:20240227T090000\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:nobody\r\nSUMMARY:orphan\r\n"
	    "RECURRENCE-ID:20240101T000000Z\r\nDTSTART:20240101T010000Z\r\n"
	    "END:VEVENT\r\n"), &res);
	cr_assert_eq(res.appts.n, 1);
	a = res.appts.v[0];
	cr_assert_eq(a->nexcs, 1);
	x = a->excs[0].item;
	cr_assert_str_eq(x->subject, "moved");
	cr_assert_str_eq(x->body, "only this time");
	cr_assert_eq(x->exc_body, 1);
	cr_assert_eq(x->start, tu_ft(2024, 3, 6, 3, 0));
	cr_assert_eq(a->excs[0].replace_time, tu_ft(2024, 3, 4, 22, 0));
	recur_of(a, &r);
	cr_assert_eq(r.ndeleted, 2);
	cr_assert_eq(r.nmodified, 1);
	cr_assert_eq(r.nexcs, 1);
	cr_assert(r.excs[0].flags & RECUR_ARO_SUBJECT);
	cr_assert(r.excs[0].flags & RECUR_ARO_LOCATION);
	cr_assert_str_eq(r.excs[0].location, "Room 2");
	cr_assert_eq(recur_min_to_ft(r.excs[0].orig_start),
	    tu_ft(2024, 3, 5, 9, 0));
	recur_free(&r);
	cr_assert_not_null(skip_reason(&res, "without its series"));
	reader_result_free(&res);
}

Test(icsread, people_alarm_and_x_props)
{
	struct reader_result	 res;
	const struct appt	*a;
	char			*uid;

	read_text(CAL(
	    "BEGIN:VEVENT\r\nUID:meet-1@example.com\r\nSUMMARY:review\r\n"
	    "DTSTART:20240301T100000Z\r\nDTEND:20240301T110000Z\r\n"
	    "ORGANIZER;CN=Ann Boss:mailto:ann@example.com\r\n"
	    "ATTENDEE;CN=Bob;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED:"
	    "mailto:bob@example.com\r\n"
	    "ATTENDEE;CN=Cy;ROLE=OPT-PARTICIPANT;PARTSTAT=DECLINED:"
	    "mailto:cy@example.com\r\n"
	    "ATTENDEE;CN=Room;CUTYPE=RESOURCE;ROLE=NON-PARTICIPANT:"
	    "mailto:room@example.com\r\n"
	    "CLASS:PRIVATE\r\nPRIORITY:1\r\nSEQUENCE:4\r\nSTATUS:CANCELLED\r\n"
	    "CATEGORIES:Red,Blue\r\nCREATED:20240101T080000Z\r\n"
	    "LAST-MODIFIED:20240102T080000Z\r\nDTSTAMP:20240103T080000Z\r\n"
	    "TRANSP:TRANSPARENT\r\nX-MICROSOFT-CDO-BUSYSTATUS:OOF\r\n"
	    "X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY\r\n"
	    "X-MICROSOFT-CDO-OWNERAPPTID:-12\r\n"
	    "X-MICROSOFT-DISALLOW-COUNTER:TRUE\r\n"
	    "X-MS-OLK-ALLOWEXTERNCHECK:FALSE\r\nX-MS-OLK-CONFTYPE:1\r\n"
	    "X-MS-OLK-APPTLASTSEQUENCE:3\r\n"
	    "X-MS-OLK-APPTSEQTIME:20240102T090000Z\r\n"
	    "X-MS-OLK-AUTOFILLLOCATION:TRUE\r\n"
	    "X-ALT-DESC;FMTTYPE=text/html:<p>hi</p>\r\nDESCRIPTION:hi\r\n"
	    "BEGIN:VALARM\r\nTRIGGER:-PT30M\r\nACTION:DISPLAY\r\n"
	    "END:VALARM\r\nEND:VEVENT\r\n"), &res);
	cr_assert_eq(res.appts.n, 1);
	a = res.appts.v[0];
	cr_assert_str_eq(a->org_name, "Ann Boss");
	cr_assert_str_eq(a->org_email, "ann@example.com");
	cr_assert_eq(a->nrcpts, 3);
	cr_assert_str_eq(a->rcpts[0].email, "bob@example.com");
	cr_assert_eq(a->rcpts[0].type, 1);
	cr_assert_eq(a->rcpts[0].track_status, 3);
	cr_assert_eq(a->rcpts[1].type, 2);
	cr_assert_eq(a->rcpts[1].track_status, 4);
	cr_assert_eq(a->rcpts[2].type, 3);
	cr_assert(a->state & APPT_STATE_MEETING);
	cr_assert(a->state & APPT_STATE_CANCELED);
	cr_assert_eq(a->sensitivity, 2);
	cr_assert_eq(a->importance, 2);
	cr_assert_eq(a->sequence, 4);
	cr_assert_eq(a->ncategories, 2);
	cr_assert_str_eq(a->categories[1], "Blue");
	cr_assert_eq(a->created, tu_ft(2024, 1, 1, 8, 0));
	cr_assert_eq(a->modified, tu_ft(2024, 1, 2, 8, 0));
	cr_assert_eq(a->crit_change, tu_ft(2024, 1, 3, 8, 0));
	cr_assert_eq(a->busy, 3);
	cr_assert_eq(a->intended_busy, 2);
	cr_assert_eq(a->has_owner_appt_id, 1);
	cr_assert_eq(a->owner_appt_id, -12);
	cr_assert_eq(a->no_counter, 1);
	cr_assert_eq(a->extern_check, 0);
	cr_assert_eq(a->autofill_loc, 1);
	cr_assert_eq(a->conf_type, 1);
	cr_assert_eq(a->last_sequence, 3);
	cr_assert_eq(a->seq_time, tu_ft(2024, 1, 2, 9, 0));
	cr_assert_str_eq(a->html, "<p>hi</p>");
	cr_assert_str_eq(a->body, "hi");
	cr_assert_eq(a->reminder_set, 1);
	cr_assert_eq(a->reminder_min, 30);
	/* A UID that is not Outlook's hex: a vCal-Uid GOID, and back. */
	uid = writer_uid(a);
	cr_assert_str_eq(uid, "meet-1@example.com");
	free(uid);
	reader_result_free(&res);
}

Test(icsread, outlook_uid_is_the_goid)
{
	static const char	 hex[] = "040000008200E00074C5B7101A82E008"
	    "00000000C0EA992EA985CF01000000000000000010000000"
	    "28DAC30FF81A3A4F829852DD66E3BF12";
	struct reader_result	 res;
	uint8_t			*want;
	size_t			 len;
	char			*uid;

	read_text(CAL("BEGIN:VEVENT\r\nUID:" "040000008200E00074C5B7101A82E008"
	    "00000000C0EA992EA985CF01000000000000000010000000\r\n"
	    " 28DAC30FF81A3A4F829852DD66E3BF12\r\n"
	    "DTSTART:20140611T143000Z\r\nEND:VEVENT\r\n"), &res);
	cr_assert_eq(res.appts.n, 1);
	cr_assert_eq(goid_hex_decode(hex, &want, &len), 0);
	cr_assert_eq(res.appts.v[0]->goid.len, len);
	cr_assert(memcmp(res.appts.v[0]->goid.data, want, len) == 0);
	cr_assert_eq(res.appts.v[0]->clean_goid.len, len);
	uid = writer_uid(res.appts.v[0]);
	cr_assert_str_eq(uid, hex);
	free(uid);
	free(want);
	reader_result_free(&res);
}

/* An Olson TZID without VTIMEZONE: libical's zone (the system's
 * zoneinfo; on Windows the copy beside the exe) gives the instant. */
Test(icsread, olson_zone_without_vtimezone)
{
	struct reader_result	res;

	read_text(CAL(
	    "BEGIN:VEVENT\r\nUID:o-1\r\nSUMMARY:berlin summer\r\n"
	    "DTSTART;TZID=Europe/Berlin:20240701T100000\r\n"
	    "DTEND;TZID=Europe/Berlin:20240701T113000\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:o-2\r\nSUMMARY:new york winter\r\n"
	    "DTSTART;TZID=America/New_York:20240115T100000\r\n"
	    "DTEND;TZID=America/New_York:20240115T110000\r\nEND:VEVENT\r\n"),
	    &res);
	cr_assert_eq(res.nskips, 0, "%s", res.nskips ? res.skips[0].reason :
	    "");
	cr_assert_eq(res.appts.n, 2);
	cr_assert_eq(res.appts.v[0]->start, tu_ft(2024, 7, 1, 8, 0));
	cr_assert_eq(res.appts.v[0]->end, tu_ft(2024, 7, 1, 9, 30));
	cr_assert_eq(res.appts.v[1]->start, tu_ft(2024, 1, 15, 15, 0));
	cr_assert_eq(res.appts.v[1]->end, tu_ft(2024, 1, 15, 16, 0));
	reader_result_free(&res);
}

Test(icsread, damaged_events_are_skipped)
{
	struct reader_result	res;

	read_text(CAL(
	    "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:no start\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:b\r\nSUMMARY:zone\r\n"
	    "DTSTART;TZID=Nowhere/Else:20240101T100000\r\nEND:VEVENT\r\n"
	    "BEGIN:VTODO\r\nUID:c\r\nSUMMARY:todo\r\nEND:VTODO\r\n"
	    "BEGIN:VEVENT\r\nUID:d\r\nSUMMARY:fine\r\n"
	    "DTSTART:20240101T100000Z\r\nEND:VEVENT\r\n"), &res);
	cr_assert_eq(res.appts.n, 1);
	cr_assert_str_eq(res.appts.v[0]->subject, "fine");
	cr_assert_not_null(skip_reason(&res, "no DTSTART"));
	cr_assert_not_null(skip_reason(&res, "Nowhere/Else"));
	cr_assert_not_null(skip_reason(&res, "VTODO"));
	cr_assert_eq(res.nskips, 3);
	reader_result_free(&res);
}

Test(icsread, calendars_one_after_another)
{
	struct reader_result	res;

	read_text(CAL("BEGIN:VEVENT\r\nUID:c1\r\nDTSTART:20240101T100000Z\r\n"
	    "END:VEVENT\r\n")
	    CAL("BEGIN:VEVENT\r\nUID:c2\r\nDTSTART:20240102T100000Z\r\n"
	    "RRULE:FREQ=WEEKLY;BYDAY=XX,MO\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:c3\r\nDTSTART:20240103T100000Z\r\n"
	    "END:VEVENT\r\n"), &res);
	/* The bad BYDAY is libical's to drop or ours to skip; the second
	 * calendar's events are read either way. */
	cr_assert_eq(res.appts.n + res.nskips, 3);
	cr_assert_geq(res.appts.n, 2);
	cr_assert_eq(res.appts.v[0]->start, tu_ft(2024, 1, 1, 10, 0));
	cr_assert_eq(res.appts.v[res.appts.n - 1]->start,
	    tu_ft(2024, 1, 3, 10, 0));
	reader_result_free(&res);
}

Test(icsread, folder_name_and_selection)
{
	static const char	 text[] = CAL("X-WR-CALNAME:Ann - Team\\, A\r\n"
	    "BEGIN:VEVENT\r\nUID:f1\r\nDTSTART:20240101T100000Z\r\n"
	    "END:VEVENT\r\n");
	struct reader_result	 res;
	struct reader_opts	 o;
	char			*dir, *path, *cause = NULL;

	dir = tu_tmpdir();
	path = tu_path(dir, "x.ics");
	tu_spit(path, text, sizeof text - 1);
	memset(&o, 0, sizeof o);
	cr_assert_eq(reader_read(path, &o, &res, &cause), 0, "%s", cause);
	cr_assert_str_eq(res.store_name, "Ann");
	cr_assert_str_eq(res.folders[0].path, "/Ann/Team, A");
	cr_assert_str_eq(res.appts.v[0]->folder, "/Ann/Team, A");
	cr_assert_eq(res.folders[0].count, 1);
	reader_result_free(&res);
	o.folder = "Elsewhere";
	cr_assert_eq(reader_read(path, &o, &res, &cause), 0, "%s", cause);
	cr_assert_eq(res.appts.n, 0);
	cr_assert_eq(res.left_out, 1);
	cr_assert_eq(res.folders[0].selected, 0);
	reader_result_free(&res);
	o.folder = "team, a";
	cr_assert_eq(reader_read(path, &o, &res, &cause), 0, "%s", cause);
	cr_assert_eq(res.appts.n, 1);
	reader_result_free(&res);
	tu_rmdir(dir);
	free(path);
	free(dir);
}

/* ---- through the program ---- */

Test(icsread_run, name_and_duplicates)
{
	static const char text[] = CAL(
	    "BEGIN:VEVENT\r\nUID:dup-1\r\nSUMMARY:weekly sync\r\n"
	    "DTSTART:20240301T100000Z\r\nDTEND:20240301T110000Z\r\n"
	    "ORGANIZER;CN=Ann:mailto:ann@example.com\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:dup-1\r\nSUMMARY:weekly sync\r\n"
	    "DTSTART:20240301T100000Z\r\nDTEND:20240301T110000Z\r\n"
	    "ORGANIZER;CN=Calendar Repair Assistant:mailto:ann@example.com\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:other\r\nSUMMARY:lunch\r\n"
	    "DTSTART:20240302T100000Z\r\nEND:VEVENT\r\n");
	struct tu_run	 r;
	char		*dir, *in, *out, *cal;
	icalcomponent	*c;

	dir = tu_tmpdir();
	in = tu_path(dir, "calendar.ics");
	tu_spit(in, text, sizeof text - 1);
	tu_pstdedup_run(&r, dir, "calendar.ics", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.err, "3 items read, 2 kept, 1 removed") != NULL,
	    "%s", r.err);
	out = tu_path(dir, "calendar-clean.ics");
	cal = tu_slurp(out, NULL);
	cr_assert_not_null(cal, "no calendar-clean.ics");
	c = icalparser_parse_string(cal);
	cr_assert_not_null(c);
	cr_assert_eq(icalcomponent_count_components(c, ICAL_VEVENT_COMPONENT),
	    2);
	icalcomponent_free(c);
	tu_run_free(&r);
	free(cal);
	free(out);
	free(in);
	tu_rmdir(dir);
	free(dir);
}

/* White space that ends a subject, location or description survives,
 * from an .ics (libical's parser drops it) and from a PST (verify
 * compares as libical reads). A VALARM's DESCRIPTION is its own. */
Test(icsread_run, trailing_white_space_kept)
{
	static const char text[] = CAL(
	    "BEGIN:VEVENT\r\nUID:w1\r\nSUMMARY:Meeting  \r\n"
	    "DTSTART:20240301T100000Z\r\nDTEND:20240301T110000Z\r\n"
	    "LOCATION;LANGUAGE=en:Room 1\t\r\n"
	    "DESCRIPTION:line one\\n line two \r\n"
	    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT15M\r\n"
	    "DESCRIPTION:Reminder   \r\nEND:VALARM\r\n"
	    "END:VEVENT\r\n");
	struct tu_run	 r;
	char		*dir, *in, *out, *cal, *pst;
	int		 k;

	for (k = 0; k < 2; k++) {
		dir = tu_tmpdir();
		in = tu_path(dir, "ws.ics");
		tu_spit(in, text, sizeof text - 1);
		pst = k == 1 ? tu_mkpst_text(dir, text, sizeof text - 1) : NULL;
		tu_pstdedup_run(&r, dir, k == 1 ? pst : "ws.ics", NULL);
		cr_assert_eq(r.status, 0, "%s", r.err);
		out = tu_path(dir, k == 1 ? "in-clean.ics" : "ws-clean.ics");
		cal = tu_slurp(out, NULL);
		cr_assert_not_null(cal, "%s", out);
		cr_assert(strstr(cal, "\r\nSUMMARY:Meeting  \r\n") != NULL,
		    "%s", cal);
		cr_assert(strstr(cal, ":Room 1\t\r\n") != NULL, "%s", cal);
		cr_assert(strstr(cal, "\r\nDESCRIPTION:line one\\n line two "
		    "\r\n") != NULL, "%s", cal);
		tu_run_free(&r);
		free(cal);
		free(out);
		free(pst);
		free(in);
		tu_rmdir(dir);
		free(dir);
	}
}

/* Attachments by reference come out as they went in; inline data that
 * is no base64 cannot be written: the item is degraded, status 3. */
Test(icsread_run, attachments_by_reference)
{
	static const char text[] = CAL(
	    "BEGIN:VEVENT\r\nUID:r1\r\nSUMMARY:agenda by link\r\n"
	    "DTSTART:20240301T100000Z\r\nDTEND:20240301T110000Z\r\n"
	    "ATTACH;FMTTYPE=text/html:https://example.com/agenda.html\r\n"
	    "ATTACH:cid:part1.0405@example.com\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:r2\r\nSUMMARY:bad inline\r\n"
	    "DTSTART:20240302T100000Z\r\nDTEND:20240302T110000Z\r\n"
	    "ATTACH;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=a.txt:@@@@\r\n"
	    "END:VEVENT\r\n");
	struct tu_run	 r;
	char		*dir, *in, *cal;
	icalcomponent	*c, *ev;
	icalproperty	*p;
	icalattach	*ia;
	int		 n = 0;

	dir = tu_tmpdir();
	in = tu_path(dir, "refs.ics");
	tu_spit(in, text, sizeof text - 1);
	tu_pstdedup_run(&r, dir, "refs.ics", NULL);
	cr_assert_eq(r.status, 3, "%s", r.err);
	cr_assert(strstr(r.err, "\"bad inline\": degraded: attachment "
	    "\"a.txt\" has no data in the file") != NULL, "%s", r.err);
	cal = tu_path(dir, "refs-clean.ics");
	c = tu_ics_load(NULL, cal);
	ev = tu_ics_event(c, "agenda by link", 0);
	for (p = icalcomponent_get_first_property(ev, ICAL_ATTACH_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(ev,
	    ICAL_ATTACH_PROPERTY)) {
		ia = icalproperty_get_attach(p);
		cr_assert(icalattach_get_is_url(ia));
		if (n++ == 0) {
			cr_assert_str_eq(icalattach_get_url(ia),
			    "https://example.com/agenda.html");
			cr_assert_str_eq(icalparameter_get_fmttype(
			    icalproperty_get_first_parameter(p,
			    ICAL_FMTTYPE_PARAMETER)), "text/html");
		} else
			cr_assert_str_eq(icalattach_get_url(ia),
			    "cid:part1.0405@example.com");
	}
	cr_assert_eq(n, 2);
	icalcomponent_free(c);
	tu_run_free(&r);
	free(cal);
	free(in);
	tu_rmdir(dir);
	free(dir);
}

Test(icsread_run, bad_input)
{
	static const char	 trunc[] = CAL(
	    "BEGIN:VEVENT\r\nUID:t1\r\nSUMMARY:kept\r\n"
	    "DTSTART:20240301T100000Z\r\nEND:VEVENT\r\n"
	    "BEGIN:VEVENT\r\nUID:t2\r\nSUMMARY:cut\r\nDTST");
	struct tu_run		 r;
	char			*dir, *in, *big, *p;
	size_t			 n = 8u << 20, i, len;

	dir = tu_tmpdir();
	in = tu_path(dir, "t.ics");
	/* Truncated: what came before still comes out, status 3. */
	len = strstr(strstr(trunc, "UID:t2"), "DTST") - trunc + 4;
	tu_spit(in, trunc, len);
	tu_pstdedup_run(&r, dir, "--force", "t.ics", NULL);
	cr_assert_eq(r.status, 3, "%s", r.err);
	cr_assert(strstr(r.err, "file ends before END:VCALENDAR") != NULL,
	    "%s", r.err);
	tu_run_free(&r);

	/* Binary junk after BEGIN:VCALENDAR: not an iCalendar file. */
	big = malloc(n + 8192);
	p = big + sprintf(big, "BEGIN:VCALENDAR\r\n");
	for (i = 0; i < 4096; i++)
		*p++ = (char)(i * 7 + 3);
	tu_spit(in, big, (size_t)(p - big));
	tu_pstdedup_run(&r, dir, "--force", "t.ics", NULL);
	cr_assert_eq(r.status, 65, "%s", r.err);
	cr_assert(strstr(r.err, "pstdedup: t.ics: ") != NULL, "%s", r.err);
	tu_run_free(&r);

	/* A huge line: read, not a crash. */
	p = big + sprintf(big, "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:h\r\n"
	    "DTSTART:20240301T100000Z\r\nDESCRIPTION:");
	memset(p, 'x', n);
	p += n;
	p += sprintf(p, "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
	tu_spit(in, big, (size_t)(p - big));
	tu_pstdedup_run(&r, dir, "--force", "t.ics", NULL);
	cr_assert_eq(r.status, 0, "%s", r.err);
	tu_run_free(&r);
	free(big);
	free(in);
	tu_rmdir(dir);
	free(dir);
}

/* pstdedup's own output, read back and written again: the same bytes. */
Test(icsread_run, own_output_is_a_fixed_point)
{
	const char	*src = tu_env("TEST_SRCDIR");
	struct tu_run	 r;
	struct dirent	*de;
	DIR		*d;
	char		*dir, *data, *pst, *a, *b, *ta, *tb;
	size_t		 la, lb, n = 0, len;

	cr_assert_not_null(src, "TEST_SRCDIR not set");
	data = tu_path(src, "data");
	cr_assert_not_null(d = opendir(data));
	dir = tu_tmpdir();
	pst = tu_path(dir, "x.pst");
	a = tu_path(dir, "a.ics");
	b = tu_path(dir, "b.ics");
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 4, ".ics") != 0)
			continue;
		tu_mkpst(de->d_name, pst);
		remove(a);
		remove(b);
		tu_pstdedup_run(&r, dir, "-q", "--force", "-o", "a.ics",
		    "x.pst", NULL);
		tu_run_free(&r);
		if ((ta = tu_slurp(a, &la)) == NULL)
			continue;	/* nothing to write */
		tu_pstdedup_run(&r, dir, "-q", "--force", "-o", "b.ics",
		    "a.ics", NULL);
		cr_assert(r.status == 0, "%s: a.ics -> b.ics: status %d: %s",
		    de->d_name, r.status, r.err);
		tu_run_free(&r);
		tb = tu_slurp(b, &lb);
		cr_assert_not_null(tb, "%s: no b.ics", de->d_name);
		cr_assert(la == lb && memcmp(ta, tb, la) == 0,
		    "%s: our output read back is written differently",
		    de->d_name);
		free(ta);
		free(tb);
		n++;
	}
	closedir(d);
	cr_assert_geq(n, 15, "only %zu fixtures compared", n);
	free(a);
	free(b);
	free(pst);
	free(data);
	tu_rmdir(dir);
	free(dir);
}

/* ---- Outlook's and others' files, checked by a second parse ---- */

struct sev {
	char	*key;		/* UID + RECURRENCE-ID, or summary + start */
	char	*alt;		/* summary + start */
	int	 has_uid;
	char	*summary;
	time_t	 start, end;	/* UTC; dates as their midnight UTC */
	int	 is_date;
	time_t	 occ[30];	/* RRULE expansion, UTC */
	int	 nocc;
	int	 loose;		/* a date series with a UTC UNTIL */
	int	 is_override;
	int	 seen;
};

/* Every VEVENT with a start of a whole-file libical parse. */
static struct sev *
events_of(const char *path, size_t *np)
{
	icalcomponent		*cal, *ev;
	icalproperty		*p;
	struct icaltimetype	 s, e, rid, o;
	struct icalrecurrencetype rr;
	icalrecur_iterator	*it;
	struct sev		*v = NULL, *x;
	const char		*uid, *sum;
	char			*text;
	size_t			 n = 0;

	text = tu_slurp(path, NULL);
	cr_assert_not_null(text, "%s unreadable", path);
	cal = icalparser_parse_string(text);
	free(text);
	cr_assert_not_null(cal, "%s: libical cannot parse it", path);
	for (ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    ev != NULL;
	    ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		if (icalcomponent_get_first_property(ev,
		    ICAL_DTSTART_PROPERTY) == NULL)
			continue;
		s = icalcomponent_get_dtstart(ev);
		if (icaltime_is_null_time(s))
			continue;
		v = realloc(v, (n + 1) * sizeof *v);
		x = &v[n++];
		memset(x, 0, sizeof *x);
		uid = icalcomponent_get_uid(ev);
		sum = icalcomponent_get_summary(ev);
		x->summary = strdup(sum != NULL ? sum : "");
		x->is_date = s.is_date;
		x->start = tu_utc_of(s);
		e = icalcomponent_get_dtend(ev);
		x->end = icaltime_is_null_time(e) ? x->start +
		    (s.is_date ? 86400 : 0) : tu_utc_of(e);
		if (asprintf(&x->alt, "%s@%lld", x->summary,
		    (long long)x->start) == -1)
			abort();
		x->has_uid = uid != NULL && *uid != '\0';
		if (icalcomponent_get_first_property(ev,
		    ICAL_RECURRENCEID_PROPERTY) != NULL) {
			rid = icalproperty_get_datetime_with_component(
			    icalcomponent_get_first_property(ev,
			    ICAL_RECURRENCEID_PROPERTY), ev);
			x->is_override = 1;
			/* The occurrence's date where it is: an all-day
			 * series' may be a local midnight or a DATE. */
			if (asprintf(&x->key, "%s|%04d%02d%02d", uid != NULL ?
			    uid : "", rid.year, rid.month, rid.day) == -1)
				abort();
		} else if (uid != NULL && *uid != '\0') {
			x->key = strdup(uid);
		} else if (asprintf(&x->key, "%s@%lld", x->summary,
		    (long long)x->start) == -1)
			abort();
		if ((p = icalcomponent_get_first_property(ev,
		    ICAL_RRULE_PROPERTY)) == NULL)
			continue;
		rr = icalproperty_get_rrule(p);
		x->loose = s.is_date && !icaltime_is_null_time(rr.until) &&
		    !rr.until.is_date;
		if ((it = icalrecur_iterator_new(rr, s)) == NULL)
			continue;
		while (x->nocc < 30) {
			o = icalrecur_iterator_next(it);
			if (icaltime_is_null_time(o))
				break;
			o.zone = s.zone;
			x->occ[x->nocc++] = tu_utc_of(o);
		}
		icalrecur_iterator_free(it);
	}
	icalcomponent_free(cal);
	*np = n;
	return v;
}

static void
events_free(struct sev *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].alt);
		free(v[i].summary);
	}
	free(v);
}

/* The number after "read, K kept, R removed ..., S skipped" or 0. */
static long
count_after(const char *err, const char *what)
{
	const char	*p;

	if ((p = strstr(err, what)) == NULL)
		return 0;
	while (p > err && p[-1] == ' ')
		p--;
	while (p > err && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return strtol(p, NULL, 10);
}

Test(icsread_run, corpus_events_survive)
{
	const char	*corp = tu_corpus();
	struct tu_run	 r;
	struct dirent	*de;
	struct sev	*in, *out;
	DIR		*d;
	char		*dir, *ics, *src, *dst, *clean;
	size_t		 nin, nout, i, j, k, nfiles = 0, missing;
	long		 skipped;

	ics = tu_path(corp, "ics");
	if ((d = opendir(ics)) == NULL) {
		free(ics);
		cr_skip_test("no ics/ in the corpus");
	}
	dir = tu_tmpdir();
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		src = tu_path(ics, de->d_name);
		dst = tu_path(dir, "in.ics");
		clean = tu_path(dir, "in-clean.ics");
		{
			size_t	 len;
			char	*t = tu_slurp(src, &len);

			tu_spit(dst, t, len);
			free(t);
		}
		remove(clean);
		tu_pstdedup_run(&r, dir, "--force", "in.ics", NULL);
		cr_assert(r.status == 0 || r.status == 3, "%s: status %d: %s",
		    de->d_name, r.status, r.err);
		cr_assert(r.status == 0 || strstr(r.err, "skipped: ") != NULL,
		    "%s: status 3 without a reason: %s", de->d_name, r.err);
		skipped = count_after(r.err, "skipped (");
		in = events_of(dst, &nin);
		out = events_of(clean, &nout);
		missing = 0;
		for (i = 0; i < nin; i++) {
			/* Without a UID, the output's is made up. */
			for (j = 0; j < nout; j++)
				if (strcmp(in[i].has_uid ? in[i].key :
				    in[i].alt, in[i].has_uid ? out[j].key :
				    out[j].alt) == 0)
					break;
			if (j == nout) {
				missing++;
				continue;
			}
			out[j].seen = 1;
			/* An override without SUMMARY has its series' in
			 * Outlook, and gets it written. */
			if (!in[i].is_override || *in[i].summary != '\0')
				cr_assert_str_eq(in[i].summary, out[j].summary,
				    "%s: %s", de->d_name, in[i].key);
			cr_assert_eq(in[i].start, out[j].start, "%s: %s: start",
			    de->d_name, in[i].key);
			cr_assert_eq(in[i].end, out[j].end, "%s: %s: end",
			    de->d_name, in[i].key);
			cr_assert_eq(in[i].is_date, out[j].is_date, "%s: %s",
			    de->d_name, in[i].key);
			/* RFC 5545 wants a DATE UNTIL on an all-day series;
			 * Outlook's UTC one is its last day's local midnight,
			 * which libical reads as the day before. */
			if (in[i].loose)
				cr_assert(out[j].nocc == in[i].nocc ||
				    out[j].nocc == in[i].nocc + 1,
				    "%s: %s: RRULE "
				    "occurrences", de->d_name, in[i].key);
			else
				cr_assert_eq(in[i].nocc, out[j].nocc, "%s: %s: "
				    "RRULE occurrences", de->d_name, in[i].key);
			for (k = 0; k < (size_t)in[i].nocc; k++)
				cr_assert_eq(in[i].occ[k], out[j].occ[k],
				    "%s: %s: occurrence %zu", de->d_name,
				    in[i].key, k);
		}
		/* Only reported skips may be missing; no event is made up. */
		cr_assert_leq((long)missing, skipped, "%s: %zu events missing, "
		    "%ld skipped: %s", de->d_name, missing, skipped, r.err);
		for (j = 0; j < nout; j++)
			cr_assert(out[j].seen, "%s: %s: not in the input",
			    de->d_name, out[j].key);
		events_free(in, nin);
		events_free(out, nout);
		tu_run_free(&r);
		free(src);
		free(dst);
		free(clean);
		nfiles++;
	}
	closedir(d);
	cr_assert_gt(nfiles, 0);
	free(ics);
	tu_rmdir(dir);
	free(dir);
}
