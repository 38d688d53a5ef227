/* test_writer.c: the iCalendar writer, checked by parsing its output back. */
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

#define FT_DAY		(24 * FT_HOUR)

/* Unix seconds of the start and end of the idx-th VEVENT. */
static int64_t
start_of(icalcomponent *cal, int idx)
{
	return tu_utc_of(icalcomponent_get_dtstart(event(cal, idx)));
}

static int64_t
end_of(icalcomponent *cal, int idx)
{
	return tu_utc_of(icalcomponent_get_dtend(event(cal, idx)));
}

Test(writer, uid_from_goid_zeroes_instance_date)
{
	struct appt	*a = mk("x", tu_ft(2024, 3, 25, 9, 0),
	    tu_ft(2024, 3, 25, 10, 0));
	char		*uid;

	appt_blob_set(&a->goid, goid_guid, sizeof goid_guid);
	uid = writer_uid(a);
	cr_assert_str_eq(uid, goid_clean_hex);
	free(uid);

	/* The clean GOID wins over the GOID. */
	appt_blob_set(&a->clean_goid, goid_guid, 20);
	uid = writer_uid(a);
	cr_assert_str_eq(uid, "040000008200E00074C5B7101A82E00800000000");
	free(uid);
	appt_free(a);
}

Test(writer, uid_from_vcal_uid)
{
	struct appt	*a = mk("x", tu_ft(2024, 3, 25, 9, 0),
	    tu_ft(2024, 3, 25, 10, 0));
	const char	*orig = "d9b5d3fd-f05d-4168-9890-d7551341cb84";
	uint8_t		 b[128];
	size_t		 n = strlen(orig);
	char		*uid;

	memset(b, 0, sizeof b);
	memcpy(b, goid_guid, 16);
	b[36] = (uint8_t)(12 + n + 1);
	memcpy(b + 40, "vCal-Uid\x01\x00\x00\x00", 12);
	memcpy(b + 52, orig, n);
	appt_blob_set(&a->goid, b, 52 + n + 1);
	/* An unrelated clean GOID (seen in real OSTs) must not win. */
	appt_blob_set(&a->clean_goid, goid_guid, sizeof goid_guid);
	uid = writer_uid(a);
	cr_assert_str_eq(uid, orig);
	free(uid);

	/* A size field past the blob is not trusted. */
	b[36] = 200;
	appt_blob_set(&a->goid, b, 52 + n + 1);
	appt_blob_clear(&a->clean_goid);
	uid = writer_uid(a);
	cr_assert_eq(strncmp(uid, "040000008200E00074C5B7101A82E008", 32), 0);
	free(uid);
	appt_free(a);
}

Test(writer, uid_digest_is_stable)
{
	struct appt	*a = mk("Lunch", tu_ft(2024, 3, 25, 9, 0),
	    tu_ft(2024, 3, 25, 10, 0));
	struct appt	*b = mk("Lunch", tu_ft(2024, 3, 25, 9, 0),
	    tu_ft(2024, 3, 25, 10, 0));
	char		*u1, *u2, *u3;
	size_t		 i;

	u1 = writer_uid(a);
	u2 = writer_uid(b);
	cr_assert_str_eq(u1, u2);
	cr_assert_eq(strlen(u1), 32);
	for (i = 0; i < 32; i++)
		cr_assert(strchr("0123456789ABCDEF", u1[i]) != NULL);
	b->start += FT_MIN;
	u3 = writer_uid(b);
	cr_assert_str_neq(u1, u3);
	free(u1);
	free(u2);
	free(u3);
	appt_free(a);
	appt_free(b);
}

/* ---- calendar and single items ---- */

Test(writer, calendar_header)
{
	struct appt	*a = mk("x", tu_ft(2024, 3, 25, 9, 0),
	    tu_ft(2024, 3, 25, 10, 0));
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	out = render_cal(&a, 1, &w, &cal);
	cr_assert_str_eq(icalcomponent_get_first_property(cal,
	    ICAL_PRODID_PROPERTY) != NULL ? icalproperty_get_prodid(
	    icalcomponent_get_first_property(cal, ICAL_PRODID_PROPERTY)) : "",
	    "-//pstdedup//pstdedup " PACKAGE_VERSION "//EN");
	cr_assert(has(out, "\r\nVERSION:2.0\r\n"));
	cr_assert(has(out, "\r\nMETHOD:PUBLISH\r\n"));
	cr_assert(has(out, "\r\nX-WR-CALNAME:Calendar\r\n"));
	/* Calendar X- properties come before the first component. */
	cr_assert(strstr(out, "X-WR-CALNAME") < strstr(out, "BEGIN:VEVENT"));
	cr_assert_eq(nevents(cal), 1);
	cr_assert_eq(w.n, 0);
	cr_assert_str_eq(writer_libical_version(), "3.0.16");
	release(cal, out, a);
}

Test(writer, single_item_properties)
{
	struct appt	*a = mk("Budget; review, Q1",
	    tu_ft(2024, 3, 25, 9, 0), tu_ft(2024, 3, 25, 10, 30));
	struct warns	 w = { 0 };
	icalcomponent	*cal, *ev, *al;
	icalproperty	*p;
	struct icaltriggertype tr;
	char		*out;

	a->location = xstrdup("Room 1");
	a->body = xstrdup("Line 1\r\nLine 2");
	a->html = xstrdup("<p>Hi</p>");
	a->created = tu_ft(2024, 1, 2, 3, 4);
	a->modified = tu_ft(2024, 1, 3, 3, 4);
	a->crit_change = tu_ft(2024, 1, 4, 3, 4);
	a->sequence = 3;
	a->sensitivity = 3;
	a->importance = 2;
	a->busy = 3;
	a->intended_busy = 1;
	a->reminder_set = 1;
	a->reminder_min = 30;
	a->ncategories = 2;
	a->categories = xcalloc(2, sizeof *a->categories);
	a->categories[0] = xstrdup("Red Category");
	a->categories[1] = xstrdup("Blue");
	out = render_cal(&a, 1, &w, &cal);
	ev = event(cal, 0);

	cr_assert_str_eq(icalcomponent_get_summary(ev), "Budget; review, Q1");
	cr_assert_str_eq(icalcomponent_get_location(ev), "Room 1");
	cr_assert_str_eq(icalcomponent_get_description(ev), "Line 1\nLine 2");
	cr_assert_str_eq(xprop(ev, "X-ALT-DESC"), "<p>Hi</p>");
	cr_assert(has(out, "X-ALT-DESC;FMTTYPE=text/html:<p>Hi</p>"));
	cr_assert(has(out, "\r\nDTSTART:20240325T090000Z\r\n"));
	cr_assert(has(out, "\r\nDTEND:20240325T103000Z\r\n"));
	cr_assert(has(out, "\r\nDTSTAMP:20240104T030400Z\r\n"));
	cr_assert(has(out, "\r\nCREATED:20240102T030400Z\r\n"));
	cr_assert(has(out, "\r\nLAST-MODIFIED:20240103T030400Z\r\n"));
	cr_assert(has(out, "\r\nSEQUENCE:3\r\n"));
	cr_assert(has(out, "\r\nCLASS:CONFIDENTIAL\r\n"));
	cr_assert(has(out, "\r\nPRIORITY:1\r\n"));
	cr_assert_str_eq(xprop(ev, "X-MICROSOFT-CDO-IMPORTANCE"), "2");
	cr_assert(has(out, "\r\nTRANSP:OPAQUE\r\n"));
	cr_assert_str_eq(xprop(ev, "X-MICROSOFT-CDO-BUSYSTATUS"), "OOF");
	cr_assert_str_eq(xprop(ev, "X-MICROSOFT-CDO-INTENDEDSTATUS"),
	    "TENTATIVE");
	cr_assert_null(xprop(ev, "X-MICROSOFT-CDO-ALLDAYEVENT"));
	cr_assert(has(out, "\r\nCATEGORIES:Red Category,Blue\r\n"));
	cr_assert_null(icalcomponent_get_first_property(ev,
	    ICAL_ORGANIZER_PROPERTY));
	cr_assert_null(icalcomponent_get_first_property(ev,
	    ICAL_ATTENDEE_PROPERTY));
	p = icalcomponent_get_first_property(ev, ICAL_UID_PROPERTY);
	cr_assert_eq(strlen(icalproperty_get_uid(p)), 32);

	al = icalcomponent_get_first_component(ev, ICAL_VALARM_COMPONENT);
	cr_assert_not_null(al);
	cr_assert_eq(icalcomponent_count_components(ev, ICAL_VALARM_COMPONENT),
	    1);
	tr = icalproperty_get_trigger(icalcomponent_get_first_property(al,
	    ICAL_TRIGGER_PROPERTY));
	cr_assert_eq(icaldurationtype_as_int(tr.duration), -30 * 60);
	cr_assert_eq(icalproperty_get_action(icalcomponent_get_first_property(
	    al, ICAL_ACTION_PROPERTY)), ICAL_ACTION_DISPLAY);
	cr_assert(has(out, "TRIGGER:-PT30M\r\n"));
	cr_assert(has(out, "DESCRIPTION:Reminder\r\n"));
	/* No time zone anywhere: nothing refers to one. */
	cr_assert_eq(icalcomponent_count_components(cal,
	    ICAL_VTIMEZONE_COMPONENT), 0);
	check_restrictions(out);
	release(cal, out, a);
}

Test(writer, value_tables)
{
	static const struct {
		int32_t		 sens, imp, busy;
		const char	*cls, *prio, *transp, *bs;
	} t[] = {
		{ 0, 0, 0, "CLASS:PUBLIC", "PRIORITY:9", "TRANSP:TRANSPARENT",
		    "FREE" },
		{ 1, 1, 1, "CLASS:PRIVATE", "PRIORITY:5", "TRANSP:OPAQUE",
		    "TENTATIVE" },
		{ 2, 1, 2, "CLASS:PRIVATE", "PRIORITY:5", "TRANSP:OPAQUE",
		    "BUSY" },
		{ 3, 2, 4, "CLASS:CONFIDENTIAL", "PRIORITY:1", "TRANSP:OPAQUE",
		    "WORKINGELSEWHERE" },
	};
	struct warns	 w = { 0 };
	struct appt	*a;
	icalcomponent	*cal;
	char		*out;
	size_t		 i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		a = mk("x", tu_ft(2024, 3, 25, 9, 0),
		    tu_ft(2024, 3, 25, 10, 0));
		a->sensitivity = t[i].sens;
		a->importance = t[i].imp;
		a->busy = t[i].busy;
		a->reminder_set = 0;
		a->reminder_min = 15;
		out = render(&a, 1, &w);
		cal = tu_ics_parse(out, "the output");
		cr_assert(has(out, t[i].cls), "%zu: %s", i, out);
		cr_assert(has(out, t[i].prio), "%zu", i);
		cr_assert(has(out, t[i].transp), "%zu", i);
		cr_assert_str_eq(xprop(event(cal, 0),
		    "X-MICROSOFT-CDO-BUSYSTATUS"), t[i].bs);
		cr_assert_null(icalcomponent_get_first_component(event(cal, 0),
		    ICAL_VALARM_COMPONENT));
		cr_assert_null(xprop(event(cal, 0),
		    "X-MICROSOFT-CDO-INTENDEDSTATUS"));
		cr_assert_null(icalcomponent_get_first_property(event(cal, 0),
		    ICAL_CATEGORIES_PROPERTY));
		icalcomponent_free(cal);
		free(out);
		appt_free(a);
	}
}

Test(writer, single_in_display_zone)
{
	struct appt	*v[2];
	struct warns	 w = { 0 };
	icalcomponent	*cal, *vtz;
	char		*out;

	/* 09:00Z in March is 10:00 in Berlin; 08:00Z in July is 10:00. */
	v[0] = mk("winter", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	set_def(&v[0]->tzdef_start, "W. Europe Standard Time", r_weurope());
	set_def(&v[0]->tzdef_end, "W. Europe Standard Time", r_weurope());
	v[1] = mk("summer", tu_ft(2024, 7, 15, 8, 0), tu_ft(2024, 7, 15, 9, 0));
	set_reg(&v[1]->tz_struct, r_weurope());
	v[1]->tz_desc = xstrdup("W. Europe Standard Time");
	out = render_cal(v, 2, &w, &cal);
	cr_assert(has(out, "DTSTART;TZID=W. Europe Standard Time:"
	    "20240315T100000\r\n"), "%s", out);
	cr_assert(has(out, "DTEND;TZID=W. Europe Standard Time:"
	    "20240315T110000\r\n"));
	cr_assert(has(out, "DTSTART;TZID=W. Europe Standard Time:"
	    "20240715T100000\r\n"));
	cr_assert_eq(icalcomponent_count_components(cal,
	    ICAL_VTIMEZONE_COMPONENT), 1);
	vtz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT);
	cr_assert_eq(icalcomponent_count_components(vtz,
	    ICAL_XSTANDARD_COMPONENT), 1);
	cr_assert_eq(icalcomponent_count_components(vtz,
	    ICAL_XDAYLIGHT_COMPONENT), 1);
	cr_assert(has(out, "DTSTART:16011028T030000\r\n"
	    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\n"
	    "TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"), "%s", out);
	cr_assert(has(out, "DTSTART:16010325T020000\r\n"
	    "RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
	    "TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"));
	cr_assert_eq(start_of(cal, 0), unix_of(2024, 3, 15, 9, 0));
	cr_assert_eq(end_of(cal, 0), unix_of(2024, 3, 15, 10, 0));
	cr_assert_eq(start_of(cal, 1), unix_of(2024, 7, 15, 8, 0));
	check_tzids(cal);
	release_all(cal, out, v, 2);
}

Test(writer, southern_and_half_hour_zones)
{
	struct appt	*v[3];
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	/* Adelaide: +10:30 in January (summer), +9:30 in June. */
	v[0] = mk("adl jan", tu_ft(2024, 1, 10, 22, 30),
	    tu_ft(2024, 1, 10, 23, 30));
	set_def(&v[0]->tzdef_start, "Cen. Australia Standard Time",
	    r_adelaide());
	v[1] = mk("adl jun", tu_ft(2024, 6, 10, 23, 30),
	    tu_ft(2024, 6, 11, 0, 30));
	set_def(&v[1]->tzdef_start, "Cen. Australia Standard Time",
	    r_adelaide());
	/* India: +5:30, no daylight saving. */
	v[2] = mk("ind", tu_ft(2024, 6, 1, 3, 30), tu_ft(2024, 6, 1, 4, 30));
	set_def(&v[2]->tzdef_start, "India Standard Time", r_india());
	out = render_cal(v, 3, &w, &cal);
	cr_assert(has(out, "DTSTART;TZID=Cen. Australia Standard Time:"
	    "20240111T090000\r\n"), "%s", out);
	cr_assert(has(out, "DTSTART;TZID=Cen. Australia Standard Time:"
	    "20240611T090000\r\n"));
	cr_assert(has(out, "DTSTART;TZID=India Standard Time:"
	    "20240601T090000\r\n"));
	cr_assert(has(out, "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=4\r\n"
	    "TZOFFSETFROM:+1030\r\nTZOFFSETTO:+0930\r\n"));
	cr_assert(has(out, "RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=10\r\n"
	    "TZOFFSETFROM:+0930\r\nTZOFFSETTO:+1030\r\n"));
	cr_assert(has(out, "BEGIN:STANDARD\r\nDTSTART:16010101T000000\r\n"
	    "TZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nEND:STANDARD\r\n"
	    "END:VTIMEZONE"));
	cr_assert_eq(start_of(cal, 0), unix_of(2024, 1, 10, 22, 30));
	cr_assert_eq(start_of(cal, 1), unix_of(2024, 6, 10, 23, 30));
	cr_assert_eq(start_of(cal, 2), unix_of(2024, 6, 1, 3, 30));
	/* Without DTEND display zone, DTEND uses the start zone. */
	cr_assert(has(out, "DTEND;TZID=India Standard Time:"
	    "20240601T100000\r\n"));
	check_tzids(cal);
	release_all(cal, out, v, 3);
}

Test(writer, same_tzid_different_rules)
{
	struct appt	*v[2];
	struct warns	 w = { 0 };
	struct tz_rule	 old;
	icalcomponent	*cal;
	char		*out;

	v[0] = mk("a", tu_ft(2024, 3, 15, 9, 0), tu_ft(2024, 3, 15, 10, 0));
	set_def(&v[0]->tzdef_start, "W. Europe Standard Time", r_weurope());
	/* Same name, but no daylight saving: a different zone. */
	old = r_weurope();
	old.std_date.month = 0;
	old.dst_date.month = 0;
	v[1] = mk("b", tu_ft(2024, 3, 15, 9, 0), tu_ft(2024, 3, 15, 10, 0));
	set_def(&v[1]->tzdef_start, "W. Europe Standard Time", old);
	out = render_cal(v, 2, &w, &cal);
	cr_assert_eq(icalcomponent_count_components(cal,
	    ICAL_VTIMEZONE_COMPONENT), 2);
	cr_assert(has(out, "DTSTART;TZID=W. Europe Standard Time:"));
	cr_assert(has(out, "DTSTART;TZID=W. Europe Standard Time (2):"));
	cr_assert_eq(start_of(cal, 0), unix_of(2024, 3, 15, 9, 0));
	cr_assert_eq(start_of(cal, 1), unix_of(2024, 3, 15, 9, 0));
	check_tzids(cal);
	release_all(cal, out, v, 2);
}

Test(writer, all_day_dates_through_zone)
{
	struct appt	*v[4];
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	struct icaltimetype s, e;
	char		*out;

	/* Mountain midnights: 07:00Z in November, 06:00Z in July. */
	v[0] = mk("Election Day", tu_ft(2022, 11, 8, 7, 0),
	    tu_ft(2022, 11, 9, 7, 0));
	set_def(&v[0]->tzdef_start, "Mountain Standard Time", r_mountain());
	v[1] = mk("Independence Day", tu_ft(2022, 7, 4, 6, 0),
	    tu_ft(2022, 7, 5, 6, 0));
	set_reg(&v[1]->tz_struct, r_mountain());
	/* Three days, Mountain; then a zone-less UTC-midnight invite. */
	v[2] = mk("Trip", tu_ft(2021, 8, 15, 6, 0), tu_ft(2021, 8, 18, 6, 0));
	set_def(&v[2]->tzdef_start, "Mountain Standard Time", r_mountain());
	v[3] = mk("Invite", tu_ft(2023, 2, 1, 0, 0), tu_ft(2023, 2, 2, 0, 0));
	v[0]->all_day = v[1]->all_day = v[2]->all_day = v[3]->all_day = 1;
	out = render_cal(v, 4, &w, &cal);
	s = icalcomponent_get_dtstart(event(cal, 0));
	e = icalcomponent_get_dtend(event(cal, 0));
	cr_assert(s.is_date && e.is_date);
	cr_assert(has(out, "DTSTART;VALUE=DATE:20221108\r\n"), "%s", out);
	cr_assert(has(out, "DTEND;VALUE=DATE:20221109\r\n"));
	cr_assert(has(out, "DTSTART;VALUE=DATE:20220704\r\n"));
	cr_assert(has(out, "DTEND;VALUE=DATE:20220705\r\n"));
	cr_assert(has(out, "DTSTART;VALUE=DATE:20210815\r\n"));
	cr_assert(has(out, "DTEND;VALUE=DATE:20210818\r\n"));
	cr_assert(has(out, "DTSTART;VALUE=DATE:20230201\r\n"));
	cr_assert(has(out, "DTEND;VALUE=DATE:20230202\r\n"));
	cr_assert_str_eq(xprop(event(cal, 2), "X-MICROSOFT-CDO-ALLDAYEVENT"),
	    "TRUE");
	/* All-day items refer to no zone. */
	cr_assert_eq(icalcomponent_count_components(cal,
	    ICAL_VTIMEZONE_COMPONENT), 0);
	release_all(cal, out, v, 4);
}

Test(writer, meeting_attendees)
{
	static const struct {
		const char	*name, *email;
		int32_t		 type, flags, track;
	} rows[] = {
		{ "Olga Organizer", "olga@example.com", 1, 3, 1 },
		{ "Ann, Required", "ann@example.com", 1, 1, 3 },
		{ "Otto Optional", "otto@example.com", 2, 1, 2 },
		{ "Room 5", "room5@example.com", 3, 1, 4 },
		{ "Gone", "gone@example.com", 1, 0x21, 3 },
		{ "Nora", "nora@example.com", 1, 1, 5 },
	};
	struct appt	*v[2];
	struct warns	 w = { 0 };
	icalcomponent	*cal, *ev;
	icalproperty	*p;
	char		*out;
	size_t		 i;
	int		 n;

	for (i = 0; i < 2; i++) {
		v[i] = mk(i == 0 ? "Meeting" : "Not a meeting",
		    tu_ft(2024, 3, 15, 9, 0), tu_ft(2024, 3, 15, 10, 0));
		v[i]->nrcpts = sizeof rows / sizeof rows[0];
		v[i]->rcpts = xcalloc(v[i]->nrcpts, sizeof *v[i]->rcpts);
		for (n = 0; n < (int)v[i]->nrcpts; n++) {
			v[i]->rcpts[n].name = xstrdup(rows[n].name);
			v[i]->rcpts[n].email = xstrdup(rows[n].email);
			v[i]->rcpts[n].type = rows[n].type;
			v[i]->rcpts[n].flags = rows[n].flags;
			v[i]->rcpts[n].track_status = rows[n].track;
		}
	}
	v[0]->state = APPT_STATE_MEETING | APPT_STATE_RECEIVED;
	v[1]->state = 0;
	out = render_cal(v, 2, &w, &cal);
	ev = event(cal, 0);
	p = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
	cr_assert_not_null(p);
	cr_assert_str_eq(icalproperty_get_organizer(p),
	    "mailto:olga@example.com");
	cr_assert_str_eq(icalparameter_get_cn(icalproperty_get_first_parameter(
	    p, ICAL_CN_PARAMETER)), "Olga Organizer");
	cr_assert_eq(icalcomponent_count_properties(ev,
	    ICAL_ATTENDEE_PROPERTY), 4);
	cr_assert(has(out, "ATTENDEE;CN=\"Ann, Required\";ROLE=REQ-PARTICIPANT;"
	    "PARTSTAT=ACCEPTED;RSVP=TRUE:mailto:ann@example.com"), "%s", out);
	cr_assert(has(out, "ATTENDEE;CN=Otto Optional;ROLE=OPT-PARTICIPANT;"
	    "PARTSTAT=TENTATIVE;RSVP=TRUE:mailto:otto@example.com"));
	cr_assert(has(out, "ATTENDEE;CN=Room 5;CUTYPE=RESOURCE;"
	    "ROLE=NON-PARTICIPANT;PARTSTAT=DECLINED:mailto:room5@example.com"));
	cr_assert(has(out, "ATTENDEE;CN=Nora;ROLE=REQ-PARTICIPANT;"
	    "PARTSTAT=NEEDS-ACTION;RSVP=TRUE:mailto:nora@example.com"));
	cr_assert(!has(out, "gone@example.com"));
	cr_assert(!has(out, "ATTENDEE;CN=Olga"));
	ev = event(cal, 1);
	cr_assert_null(icalcomponent_get_first_property(ev,
	    ICAL_ORGANIZER_PROPERTY));
	cr_assert_null(icalcomponent_get_first_property(ev,
	    ICAL_ATTENDEE_PROPERTY));
	check_restrictions(out);
	release_all(cal, out, v, 2);
}

Test(writer, organizer_from_sent_representing)
{
	struct appt	*a = mk("m", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	struct warns	 w = { 0 };
	char		*out;

	a->state = APPT_STATE_MEETING;
	a->org_name = xstrdup("Boss");
	a->org_email = xstrdup("boss@example.com");
	out = render(&a, 1, &w);
	cr_assert(has(out, "ORGANIZER;CN=Boss:mailto:boss@example.com\r\n"),
	    "%s", out);
	free(out);
	appt_free(a);
}

Test(writer, controls_never_written_and_output_deterministic)
{
	struct appt	*v[2];
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*o1, *o2;

	v[0] = mk("\x01\x01Subject\x02 with\rbreak", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	v[0]->body = xstrdup("a\x07" "b\tc\rd\r\ne\x1b");
	v[0]->location = xstrdup("L\x7f" "oc");
	v[0]->state = APPT_STATE_MEETING;
	v[0]->org_name = xstrdup("Big\nBoss\x01");
	v[0]->org_email = xstrdup("boss@example.com\r\n");
	set_def(&v[0]->tzdef_start, "My\tZone\x01\nName", r_weurope());
	v[1] = mk("plain", tu_ft(2024, 3, 16, 9, 0), tu_ft(2024, 3, 16, 10, 0));
	o1 = render(v, 2, &w);
	o2 = render(v, 2, &w);
	cr_assert_str_eq(o1, o2);
	check_controls(o1);
	cal = tu_ics_parse(o1, "the output");
	cr_assert_str_eq(icalcomponent_get_summary(event(cal, 0)),
	    "Subject with\nbreak");
	cr_assert_str_eq(icalcomponent_get_description(event(cal, 0)),
	    "ab\tc\nd\ne");
	/* Parameters and addresses stay on one line. */
	cr_assert(has(o1, "ORGANIZER;CN=Big Boss:mailto:boss@example.com\r\n"),
	    "%s", o1);
	cr_assert(has(o1, "DTSTART;TZID=My Zone Name:20240315T100000\r\n"));
	check_tzids(cal);
	/* DTSTAMP comes from the item, never from the clock. */
	cr_assert(has(o1, "\r\nDTSTAMP:20240315T090000Z\r\n"));
	icalcomponent_free(cal);
	free(o1);
	free(o2);
	free_all(v, 2);
}

static void
on_progress(void *arg, size_t done, size_t all)
{
	size_t	*seen = arg;

	cr_assert_eq(all, 600);
	cr_assert_gt(done, seen[1]);
	seen[0]++;
	seen[1] = done;
}

/* Progress every 256 items, counting up to what was asked for. */
Test(writer, progress_counts_items)
{
	struct appt		*v[600];
	struct writer_opts	 o;
	size_t			 seen[2] = { 0, 0 }, i;
	char			*cause = NULL;

	for (i = 0; i < 600; i++)
		v[i] = mk("Standup",
		    tu_ft(2024, 3, 5, 9, 0) + (int64_t)i * FT_DAY,
		    tu_ft(2024, 3, 5, 9, 15) + (int64_t)i * FT_DAY);
	memset(&o, 0, sizeof o);
	o.progress = on_progress;
	o.progress_arg = seen;
	cr_assert_eq(writer_render(v, 600, &o, NULL, &cause), 0, "%s", cause);
	cr_assert_eq(seen[0], 2);
	cr_assert_eq(seen[1], 512);
	for (i = 0; i < 600; i++)
		appt_free(v[i]);
}

/* ---- What Outlook writes (MS-OXCICAL) ---- */

Test(writer, outlook_x_properties_when_present)
{
	static const char *const names[] = {
		"X-MICROSOFT-CDO-OWNERAPPTID", "X-MICROSOFT-DISALLOW-COUNTER",
		"X-MS-OLK-ALLOWEXTERNCHECK", "X-MS-OLK-APPTLASTSEQUENCE",
		"X-MS-OLK-APPTSEQTIME", "X-MS-OLK-AUTOFILLLOCATION",
		"X-MS-OLK-CONFTYPE"
	};
	struct appt	*v[2];
	struct warns	 w = { 0 };
	icalcomponent	*cal, *ev;
	char		*out;
	const char	*at;
	size_t		 i;

	v[0] = mk("all", tu_ft(2024, 3, 15, 9, 0), tu_ft(2024, 3, 15, 10, 0));
	v[0]->has_owner_appt_id = 1;
	v[0]->owner_appt_id = -1;
	v[0]->no_counter = 1;
	v[0]->extern_check = 1;
	v[0]->last_sequence = 7;
	v[0]->seq_time = tu_ft(2013, 4, 19, 13, 33);
	v[0]->autofill_loc = 0;
	v[0]->conf_type = 0;
	v[1] = mk("none", tu_ft(2024, 3, 16, 9, 0), tu_ft(2024, 3, 16, 10, 0));
	out = render_cal(v, 2, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	ev = event(cal, 0);
	cr_expect_str_eq(xprop(ev, "X-MICROSOFT-CDO-OWNERAPPTID"), "-1");
	cr_expect_str_eq(xprop(ev, "X-MICROSOFT-DISALLOW-COUNTER"), "TRUE");
	cr_expect_str_eq(xprop(ev, "X-MS-OLK-ALLOWEXTERNCHECK"), "TRUE");
	cr_expect_str_eq(xprop(ev, "X-MS-OLK-APPTLASTSEQUENCE"), "7");
	cr_expect_str_eq(xprop(ev, "X-MS-OLK-APPTSEQTIME"),
	    "20130419T133300Z");
	cr_expect_str_eq(xprop(ev, "X-MS-OLK-AUTOFILLLOCATION"), "FALSE");
	cr_expect_str_eq(xprop(ev, "X-MS-OLK-CONFTYPE"), "0");
	/* In Outlook's alphabetical order, after the CDO ones. */
	at = strstr(out, "X-MICROSOFT-CDO-IMPORTANCE");
	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		cr_assert_not_null(strstr(out, names[i]), "%s", names[i]);
		cr_assert(at == NULL || strstr(out, names[i]) > at,
		    "%s out of order", names[i]);
		at = strstr(out, names[i]);
	}
	ev = event(cal, 1);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		cr_expect_null(xprop(ev, names[i]), "%s", names[i]);
	release_all(cal, out, v, 2);
}

Test(writer, cancelled_state_is_status_cancelled)
{
	struct appt	*v[3];
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	v[0] = mk("cancelled meeting", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	v[0]->state = APPT_STATE_MEETING | APPT_STATE_RECEIVED |
	    APPT_STATE_CANCELED;
	v[1] = mk("live meeting", tu_ft(2024, 3, 16, 9, 0),
	    tu_ft(2024, 3, 16, 10, 0));
	v[1]->state = APPT_STATE_MEETING | APPT_STATE_RECEIVED;
	v[2] = mk("no state", tu_ft(2024, 3, 17, 9, 0),
	    tu_ft(2024, 3, 17, 10, 0));
	out = render_cal(v, 3, &w, &cal);
	cr_assert_eq(icalcomponent_get_status(event(cal, 0)),
	    ICAL_STATUS_CANCELLED);
	cr_assert(has(out, "\r\nSTATUS:CANCELLED\r\nSUMMARY:cancelled"));
	cr_assert_null(icalcomponent_get_first_property(event(cal, 1),
	    ICAL_STATUS_PROPERTY));
	cr_assert_null(icalcomponent_get_first_property(event(cal, 2),
	    ICAL_STATUS_PROPERTY));
	release_all(cal, out, v, 3);
}

Test(writer, year_past_3000_is_reported)
{
	struct appt	*v[2];
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	/* 30828-09-14, the largest FILETIME Windows shows. */
	v[0] = mk("far", 910692730085477580LL, 910692730085477580LL +
	    3600 * 10000000LL);
	v[1] = mk("near", tu_ft(2024, 3, 15, 9, 0), tu_ft(2024, 3, 15, 10, 0));
	out = render_cal(v, 2, &w, &cal);
	cr_assert_eq(w.n, 1, "%s", w.last);
	cr_assert_eq(w.item, v[0]);
	cr_assert(has(w.last, "a date outside the years 0 to 3000"), "%s",
	    w.last);
	cr_assert(has(out, "DTSTART:30001231T235959Z"), "%s", out);
	release_all(cal, out, v, 2);
}
