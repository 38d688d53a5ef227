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
#include "icsread_util.h"
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
