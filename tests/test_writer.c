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
#include "tz.h"
#include "writer.h"
#include "xmalloc.h"

#define FT_DAY		(24 * FT_HOUR)

struct warns {
	int	 n;
	char	 last[512];
	const struct appt *item;	/* of the last warning */
};

static void
on_warn(void *arg, const struct appt *a, const char *msg)
{
	struct warns	*w = arg;

	w->item = a;
	w->n++;
	snprintf(w->last, sizeof w->last, "%s", msg);
}

static uint32_t
mins(int y, int mo, int d, int h, int mi)
{
	return (uint32_t)(tu_ft(y, mo, d, h, mi) / FT_MIN);
}

static int64_t
unix_of(int y, int mo, int d, int h, int mi)
{
	return ft_to_unix(tu_ft(y, mo, d, h, mi));
}

static struct tz_rule
rule(int32_t bias, int32_t dst_bias, int sm, int sd, int sh, int dm, int dd,
    int dh)
{
	struct tz_rule	r;

	memset(&r, 0, sizeof r);
	r.bias = bias;
	r.dst_bias = dst_bias;
	r.std_date.month = (uint16_t)sm;
	r.std_date.day = (uint16_t)sd;
	r.std_date.hour = (uint16_t)sh;
	r.dst_date.month = (uint16_t)dm;
	r.dst_date.day = (uint16_t)dd;
	r.dst_date.hour = (uint16_t)dh;
	return r;
}

/* Zones used below (Windows rules; all transitions on Sundays). */
static struct tz_rule
r_weurope(void)
{
	return rule(-60, -60, 10, 5, 3, 3, 5, 2);
}

static struct tz_rule
r_mountain(void)
{
	return rule(420, -60, 11, 1, 2, 3, 2, 2);
}

static struct tz_rule
r_adelaide(void)
{
	return rule(-570, -60, 4, 1, 3, 10, 1, 2);
}

static struct tz_rule
r_india(void)
{
	return rule(-330, 0, 0, 0, 0, 0, 0, 0);
}

static void
set_def(struct appt_blob *b, const char *key, struct tz_rule r)
{
	struct tz	 tz;
	uint8_t		*p;
	size_t		 len;
	char		*cause = NULL;

	tz.keyname = xstrdup(key);
	tz.rules = &r;
	tz.nrules = 1;
	cr_assert_eq(tz_encode_def(&tz, &p, &len, &cause), 0, "%s", cause);
	appt_blob_set(b, p, len);
	free(p);
	free(tz.keyname);
}

static void
set_reg(struct appt_blob *b, struct tz_rule r)
{
	uint8_t	buf[48];

	tz_encode_reg(&r, buf);
	appt_blob_set(b, buf, sizeof buf);
}

static struct appt *
mk(const char *subject, int64_t start, int64_t end)
{
	struct appt	*a = appt_new();

	a->subject = xstrdup(subject);
	a->folder = xstrdup("/Top of Personal Folders/Calendar");
	a->start = start;
	a->end = end;
	return a;
}

static char *
render(struct appt **v, size_t n, struct warns *w)
{
	struct writer_opts	 o;
	char			*out = NULL, *cause = NULL;
	size_t			 len = 0;
	FILE			*fp;

	memset(&o, 0, sizeof o);
	o.calname = "Calendar";
	o.warn = on_warn;
	o.warn_arg = w;
	cr_assert_not_null(fp = open_memstream(&out, &len));
	cr_assert_eq(writer_render(v, n, &o, fp, &cause), 0, "%s", cause);
	cr_assert_eq(fclose(fp), 0);
	cr_assert_not_null(out);
	return out;
}

/* render(), and the output parsed back into *cal. */
static char *
render_cal(struct appt **v, size_t n, struct warns *w, icalcomponent **cal)
{
	char	*out = render(v, n, w);

	*cal = tu_ics_parse(out, "the output");
	return out;
}

/* What a one-item test frees at its end. */
static void
release(icalcomponent *cal, char *out, struct appt *a)
{
	icalcomponent_free(cal);
	free(out);
	appt_free(a);
}

static icalcomponent *
event(icalcomponent *cal, int idx)
{
	icalcomponent	*e;

	for (e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    e != NULL && idx > 0; idx--)
		e = icalcomponent_get_next_component(cal,
		    ICAL_VEVENT_COMPONENT);
	cr_assert_not_null(e, "no VEVENT %d", idx);
	return e;
}

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

static int
nevents(icalcomponent *cal)
{
	return icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT);
}

static const char *
xprop(icalcomponent *ev, const char *name)
{
	icalproperty	*p;

	for (p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_X_PROPERTY)) {
		if (strcmp(icalproperty_get_x_name(p), name) == 0)
			return icalproperty_get_x(p);
	}
	return NULL;
}

/* Whether the text, unfolded, contains needle. */
static int
has(const char *text, const char *needle)
{
	char	*u, *d;
	int	 found;

	u = d = xstrdup(text);
	for (; *text != '\0'; text++) {
		if (text[0] == '\r' && text[1] == '\n' && text[2] == ' ') {
			text += 2;
			continue;
		}
		*d++ = *text;
	}
	*d = '\0';
	found = strstr(u, needle) != NULL;
	free(u);
	return found;
}

static void
free_all(struct appt **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		appt_free(v[i]);
}

/* What a test of n items frees at its end. */
static void
release_all(icalcomponent *cal, char *out, struct appt **v, size_t n)
{
	icalcomponent_free(cal);
	free(out);
	free_all(v, n);
}

/* Every TZID parameter names a VTIMEZONE, and each VTIMEZONE is unique. */
static void
check_tzids(icalcomponent *cal)
{
	icalcomponent	*c, *d;
	icalproperty	*p;
	icalparameter	*par;
	const char	*id;
	int		 found;

	for (c = icalcomponent_get_first_component(cal, ICAL_ANY_COMPONENT);
	    c != NULL;
	    c = icalcomponent_get_next_component(cal, ICAL_ANY_COMPONENT)) {
		if (icalcomponent_isa(c) == ICAL_VTIMEZONE_COMPONENT) {
			id = icalproperty_get_tzid(
			    icalcomponent_get_first_property(c,
			    ICAL_TZID_PROPERTY));
			found = 0;
			for (d = icalcomponent_get_first_component(cal,
			    ICAL_VTIMEZONE_COMPONENT); d != NULL;
			    d = icalcomponent_get_next_component(cal,
			    ICAL_VTIMEZONE_COMPONENT))
				found += strcmp(id, icalproperty_get_tzid(
				    icalcomponent_get_first_property(d,
				    ICAL_TZID_PROPERTY))) == 0;
			cr_assert_eq(found, 1, "VTIMEZONE %s written %d times",
			    id, found);
			continue;
		}
		for (p = icalcomponent_get_first_property(c,
		    ICAL_ANY_PROPERTY); p != NULL;
		    p = icalcomponent_get_next_property(c, ICAL_ANY_PROPERTY)) {
			par = icalproperty_get_first_parameter(p,
			    ICAL_TZID_PARAMETER);
			if (par == NULL)
				continue;
			cr_assert_not_null(icalcomponent_get_timezone(cal,
			    icalparameter_get_tzid(par)), "TZID %s undeclared",
			    icalparameter_get_tzid(par));
		}
	}
}

/* No control characters but the CRLF line ends (and TAB in text). */
static void
check_controls(const char *text)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)text; *p != '\0'; p++) {
		if (*p == '\r') {
			cr_assert_eq(p[1], '\n');
			continue;
		}
		if (*p == '\n' || *p == '\t')
			continue;
		cr_assert(*p >= 0x20 && *p != 0x7f, "control byte 0x%02x at "
		    "offset %td", *p, (const char *)p - text);
	}
}

/* iTIP PUBLISH restrictions per VEVENT. libical encodes RFC 5546's
 * "ORGANIZER 1, ATTENDEE 0", which Outlook's own exports of meetings
 * and plain appointments break; every other rule must hold. */
static void
check_restrictions(const char *text)
{
	icalcomponent	*cal = tu_ics_parse(text, "the output"), *e;
	icalproperty	*p;
	const char	*msg;

	icalrestriction_check(cal);
	for (e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
	    e != NULL;
	    e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
		for (p = icalcomponent_get_first_property(e,
		    ICAL_XLICERROR_PROPERTY); p != NULL;
		    p = icalcomponent_get_next_property(e,
		    ICAL_XLICERROR_PROPERTY)) {
			msg = icalproperty_get_xlicerror(p);
			cr_assert(strstr(msg, " ORGANIZER property") != NULL ||
			    strstr(msg, " ATTENDEE property") != NULL,
			    "iTIP: %s", msg);
		}
	}
	icalcomponent_free(cal);
}

/* ---- UID ---- */

static const uint8_t goid_guid[56] = {
	0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00, 0x74, 0xC5, 0xB7, 0x10,
	0x1A, 0x82, 0xE0, 0x08, 0x07, 0xE8, 0x03, 0x19, 0xD0, 0xAF, 0xE9, 0x6C,
	0xB4, 0x62, 0xCA, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x10, 0x00, 0x00, 0x00, 0x19, 0xF8, 0xAF, 0x4D, 0x13, 0xC9, 0x18, 0x44,
	0xAA, 0x9C, 0xE6, 0x31, 0x90, 0xD3, 0x40, 0x8D
};

static const char goid_clean_hex[] =
    "040000008200E00074C5B7101A82E00800000000D0AFE96CB462CA01"
    "000000000000000010000000" "19F8AF4D13C91844AA9CE63190D3408D";

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

/* ---- series ---- */

/* Encode a pattern into the item's PidLidAppointmentRecur. */
static void
set_recur(struct appt *a, const struct recur *r)
{
	uint8_t	*p;
	size_t	 len;
	char	*cause = NULL;

	cr_assert_eq(recur_encode(r, &p, &len, &cause), 0, "%s", cause);
	appt_blob_set(&a->recur, p, len);
	free(p);
	a->recurring = 1;
}

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

/* Weekly on Tuesdays at 10:00 Berlin, 2024-01-02 .. 2024-04-30: one
 * deleted instance, one moved and renamed, across the March DST switch. */
static struct appt *
weekly_series(void)
{
	struct appt		*a, *emb;
	struct recur		 r;
	struct recur_exception	*x;
	uint32_t		 del[2], mod[1];

	a = mk("Standup", tu_ft(2024, 1, 2, 9, 0), tu_ft(2024, 1, 2, 9, 30));
	a->location = xstrdup("Room 1");
	a->busy = 2;
	a->reminder_set = 1;
	a->reminder_min = 10;
	appt_blob_set(&a->clean_goid, goid_guid, sizeof goid_guid);
	set_def(&a->tzdef_recur, "W. Europe Standard Time", r_weurope());
	set_reg(&a->tz_struct, r_weurope());
	r = (struct recur){ .freq = RECUR_FREQ_WEEKLY,
	    .pattern = RECUR_PAT_WEEK, .period = 1, .day_mask = 0x04,
	    .end_type = RECUR_END_DATE, .count = 18, .first_dow = 0 };
	del[0] = mins(2024, 1, 16, 0, 0);
	del[1] = mins(2024, 1, 23, 0, 0);
	mod[0] = mins(2024, 1, 24, 0, 0);
	r.deleted = del;
	r.ndeleted = 2;
	r.modified = mod;
	r.nmodified = 1;
	r.start_date = mins(2024, 1, 2, 0, 0);
	r.end_date = mins(2024, 4, 30, 0, 0);
	r.writer_version2 = 0x3009;
	r.start_offset = 600;
	r.end_offset = 630;
	x = xcalloc(1, sizeof *x);
	x->start = mins(2024, 1, 24, 11, 0);
	x->end = mins(2024, 1, 24, 12, 0);
	x->orig_start = mins(2024, 1, 23, 10, 0);
	x->flags = RECUR_ARO_SUBJECT | RECUR_ARO_LOCATION;
	x->subject = xstrdup("Standup (moved)");
	x->location = xstrdup("Room 2");
	r.excs = x;
	r.nexcs = 1;
	set_recur(a, &r);
	free(x->subject);
	free(x->location);
	free(x);

	emb = appt_new();
	emb->start = tu_ft(2024, 1, 24, 10, 0);
	emb->end = tu_ft(2024, 1, 24, 11, 0);
	emb->replace_time = tu_ft(2024, 1, 23, 9, 0);
	emb->exc_body = 1;
	emb->body = xstrdup("Moved because of the offsite");
	a->excs = xcalloc(1, sizeof *a->excs);
	a->nexcs = 1;
	a->excs[0].replace_time = tu_ft(2024, 1, 23, 9, 0);
	a->excs[0].att_replace_time = tu_ft(2024, 1, 23, 10, 0);
	a->excs[0].att_start = tu_ft(2024, 1, 24, 11, 0);
	a->excs[0].att_end = tu_ft(2024, 1, 24, 12, 0);
	a->excs[0].item = emb;
	return a;
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

static void
set_rtf(struct appt *a, const char *rtf)
{
	uint8_t	*p;
	size_t	 len;
	char	*cause = NULL;

	cr_assert_eq(rtf_compress(rtf, strlen(rtf), &p, &len, &cause), 0, "%s",
	    cause);
	appt_blob_set(&a->rtf, p, len);
	free(p);
}

Test(writer, bodies_from_rtf)
{
	struct appt	*v[2];
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	v[0] = mk("html", tu_ft(2024, 3, 15, 9, 0), tu_ft(2024, 3, 15, 10, 0));
	set_rtf(v[0], "{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag64 <p>}Hello"
	    "{\\*\\htmltag72 </p>}}");
	v[1] = mk("rtf", tu_ft(2024, 3, 15, 9, 0), tu_ft(2024, 3, 15, 10, 0));
	set_rtf(v[1], "{\\rtf1\\ansi Hello\\par World}");
	out = render_cal(v, 2, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	cr_assert_str_eq(icalcomponent_get_description(event(cal, 0)),
	    "Hello");
	cr_assert_str_eq(xprop(event(cal, 0), "X-ALT-DESC"), "<p>Hello</p>");
	cr_assert_str_eq(icalcomponent_get_description(event(cal, 1)),
	    "Hello\nWorld");
	cr_assert_null(xprop(event(cal, 1), "X-ALT-DESC"));
	release_all(cal, out, v, 2);
}

Test(writer, bad_rtf_warns)
{
	static const uint8_t junk[16] = { 0x10, 0, 0, 0, 0xff, 0xff, 0xff, 0x7f,
	    'L', 'Z', 'F', 'u' };
	struct appt	*a = mk("x", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	appt_blob_set(&a->rtf, junk, sizeof junk);
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 1);
	cr_assert(has(w.last, "RTF body not decoded"), "%s", w.last);
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

Test(writer, empty_calendar)
{
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	out = render_cal(NULL, 0, &w, &cal);
	cr_assert_eq(nevents(cal), 0);
	cr_assert(has(out, "BEGIN:VCALENDAR\r\n"));
	cr_assert(has(out, "METHOD:PUBLISH\r\n"));
	cr_assert(has(out, "END:VCALENDAR\r\n"));
	icalcomponent_free(cal);
	free(out);
}

/* ---- Attachments ---- */

static void
attach(struct appt *a, const char *name, const char *mime, const void *data,
    size_t len, int embedded)
{
	struct appt_attach	*at;

	a->attachs = xreallocarray(a->attachs, a->nattach + 1,
	    sizeof *a->attachs);
	at = &a->attachs[a->nattach++];
	memset(at, 0, sizeof *at);
	at->name = name != NULL ? xstrdup(name) : NULL;
	at->mime = mime != NULL ? xstrdup(mime) : NULL;
	if (data != NULL)
		appt_blob_set(&at->data, data, len);
	at->embedded = embedded;
}

static int
nattach(icalcomponent *ev)
{
	return icalcomponent_count_properties(ev, ICAL_ATTACH_PROPERTY);
}

Test(writer, attachments_inline_base64)
{
	static const char	 pdf_head[] = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
	static const char	 txt[] = "Agenda\r\n1. Budget\r\n2. "
	    "\xC3\xA9t\xC3\xA9";
	struct appt		*a;
	struct warns		 w = { 0 };
	icalcomponent		*cal, *ev;
	uint8_t			 pdf[sizeof pdf_head - 1 + 512], *got;
	size_t			 len, i;
	char			*out;

	/* Every byte value, NULs included, after a PDF header. */
	memcpy(pdf, pdf_head, sizeof pdf_head - 1);
	for (i = 0; i < 512; i++)
		pdf[sizeof pdf_head - 1 + i] = (uint8_t)(i * 7 + i / 256);
	a = mk("Review", tu_ft(2024, 3, 5, 9, 0), tu_ft(2024, 3, 5, 10, 0));
	attach(a, "agenda.pdf", "application/pdf", pdf, sizeof pdf, 0);
	attach(a, "notes; \"draft\", v2.txt", "text/plain", txt,
	    sizeof txt - 1, 0);
	attach(a, "blob.bin", NULL, "\0\1\2", 3, 0);
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	ev = event(cal, 0);
	cr_assert_eq(nattach(ev), 3, "%s", out);
	/* Outlook's export form, parameters in libical's order. */
	cr_assert(has(out, "ATTACH;VALUE=BINARY;FMTTYPE=application/pdf;"
	    "ENCODING=BASE64;X-FILENAME=agenda.pdf:JVBERi0xLjQK"), "%s", out);

	got = tu_ics_attach(ev, "agenda.pdf", "application/pdf", &len);
	cr_assert_eq(len, sizeof pdf);
	cr_assert_eq(memcmp(got, pdf, len), 0);
	free(got);
	got = tu_ics_attach(ev, "notes; \"draft\", v2.txt", "text/plain",
	    &len);
	cr_assert_eq(len, sizeof txt - 1);
	cr_assert_eq(memcmp(got, txt, len), 0);
	free(got);
	got = tu_ics_attach(ev, "blob.bin", "application/octet-stream",
	    &len);
	cr_assert_eq(len, 3);
	cr_assert_eq(memcmp(got, "\0\1\2", 3), 0);
	free(got);
	check_controls(out);
	check_restrictions(out);
	release(cal, out, a);
}

/* RFC 4648 section 10 vectors: every padding case. */
Test(writer, attachment_base64_padding)
{
	static const char *const plain[] = {
		"f", "fo", "foo", "foob", "fooba", "foobar"
	};
	static const char *const enc[] = {
		"Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"
	};
	struct appt	*a;
	struct warns	 w = { 0 };
	char		*out, name[16], line[64];
	size_t		 i;

	a = mk("Vectors", tu_ft(2024, 3, 5, 9, 0), tu_ft(2024, 3, 5, 10, 0));
	for (i = 0; i < 6; i++) {
		snprintf(name, sizeof name, "v%zu.txt", i);
		attach(a, name, "text/plain", plain[i], strlen(plain[i]), 0);
	}
	out = render(&a, 1, &w);
	cr_assert_eq(w.n, 0, "%s", w.last);
	for (i = 0; i < 6; i++) {
		snprintf(line, sizeof line, "X-FILENAME=v%zu.txt:%s\r\n", i,
		    enc[i]);
		cr_assert(has(out, line), "%s not in\n%s", line, out);
	}
	free(out);
	appt_free(a);
}

Test(writer, attachments_without_bytes_warn)
{
	struct appt	*a;
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	a = mk("Forwarded", tu_ft(2024, 3, 5, 9, 0), tu_ft(2024, 3, 5, 10, 0));
	attach(a, "link.url", NULL, NULL, 0, 0);
	attach(a, "Fwd: minutes", NULL, NULL, 0, 1);
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(nattach(event(cal, 0)), 0, "%s", out);
	cr_assert_eq(w.n, 2);
	cr_assert_str_eq(w.last, "attachment \"Fwd: minutes\" is an embedded "
	    "message and is not written");
	release(cal, out, a);

	memset(&w, 0, sizeof w);
	a = mk("Linked", tu_ft(2024, 3, 5, 9, 0), tu_ft(2024, 3, 5, 10, 0));
	attach(a, "link.url", NULL, NULL, 0, 0);
	out = render(&a, 1, &w);
	cr_assert_eq(w.n, 1);
	cr_assert_str_eq(w.last, "attachment \"link.url\" has no data in the "
	    "file and is not written");
	cr_assert(!has(out, "ATTACH"));
	free(out);
	appt_free(a);

	/* An empty file: libical cannot parse an empty ATTACH value. */
	memset(&w, 0, sizeof w);
	a = mk("Empty", tu_ft(2024, 3, 5, 9, 0), tu_ft(2024, 3, 5, 10, 0));
	attach(a, "empty.txt", "text/plain", "", 0, 0);
	out = render(&a, 1, &w);
	cr_assert_eq(w.n, 1);
	cr_assert_str_eq(w.last, "attachment \"empty.txt\" has no content and "
	    "is not written");
	cr_assert(!has(out, "ATTACH"));
	free(out);
	appt_free(a);
}

Test(writer, attachment_one_megabyte)
{
	struct appt	*a;
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	uint8_t		*big, *got;
	uint32_t	 x = 2463534242u;
	size_t		 n = 1 << 20, len, i;
	char		*out, *p, *nl;

	big = xmalloc(n);
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		big[i] = (uint8_t)x;
	}
	a = mk("Big", tu_ft(2024, 3, 5, 9, 0), tu_ft(2024, 3, 5, 10, 0));
	attach(a, "scan.tif", "image/tiff", big, n, 0);
	out = render(&a, 1, &w);
	cr_assert_eq(w.n, 0, "%s", w.last);
	/* Folded: no line longer than 75 octets. */
	for (p = out; (nl = strstr(p, "\r\n")) != NULL; p = nl + 2)
		cr_assert_leq(nl - p, 75);
	cal = tu_ics_parse(out, "the output");
	got = tu_ics_attach(event(cal, 0), "scan.tif", "image/tiff", &len);
	cr_assert_eq(len, n);
	cr_assert_eq(memcmp(got, big, n), 0);
	free(got);
	free(big);
	release(cal, out, a);
}

/* An occurrence carries its embedded message's attachments, not the
 * master's. */
Test(writer, exception_attachments_from_its_message)
{
	struct appt	*a = weekly_series();
	struct warns	 w = { 0 };
	icalcomponent	*cal, *m, *x;
	uint8_t		*got;
	size_t		 len;
	char		*out;

	attach(a, "series.txt", "text/plain", "every week", 10, 0);
	attach(a->excs[0].item, "moved.txt", "text/plain", "this week", 9, 0);
	out = render_cal(&a, 1, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	cr_assert_eq(nevents(cal), 2);
	m = event(cal, 0);
	x = event(cal, 1);
	cr_assert_not_null(icalcomponent_get_first_property(x,
	    ICAL_RECURRENCEID_PROPERTY));
	cr_assert_eq(nattach(m), 1);
	cr_assert_eq(nattach(x), 1);
	got = tu_ics_attach(m, "series.txt", "text/plain", &len);
	cr_assert_eq(len, 10);
	cr_assert_eq(memcmp(got, "every week", 10), 0);
	free(got);
	got = tu_ics_attach(x, "moved.txt", "text/plain", &len);
	cr_assert_eq(len, 9);
	cr_assert_eq(memcmp(got, "this week", 9), 0);
	free(got);
	release(cal, out, a);
}

/* The same calendar through a file spool, the memory spool, and a dry
 * render: byte for byte, and with the same warnings. */
Test(writer, spool_to_file_same_bytes_as_memory)
{
	struct appt		*v[3];
	struct writer_opts	 o;
	struct warns		 w1 = { 0 }, w2 = { 0 }, w3 = { 0 };
	icalcomponent		*cal;
	char			*mem, *file = NULL, *cause = NULL;
	size_t			 len = 0;
	FILE			*fp;

	v[0] = weekly_series();
	v[1] = mk("Lunch", tu_ft(2024, 3, 5, 12, 0), tu_ft(2024, 3, 5, 13, 0));
	attach(v[1], "menu.txt", "text/plain", "soup", 4, 0);
	v[2] = mk("No pattern", tu_ft(2024, 3, 6, 9, 0),
	    tu_ft(2024, 3, 6, 10, 0));
	v[2]->recurring = 1;
	mem = render(v, 3, &w1);

	memset(&o, 0, sizeof o);
	o.calname = "Calendar";
	o.warn = on_warn;
	o.warn_arg = &w2;
	cr_assert_not_null(o.spool = tmpfile());
	cr_assert_not_null(fp = open_memstream(&file, &len));
	cr_assert_eq(writer_render(v, 3, &o, fp, &cause), 0, "%s", cause);
	cr_assert_eq(fclose(fp), 0);
	fclose(o.spool);
	cr_assert_str_eq(file, mem);
	cr_assert_eq(w2.n, w1.n);
	cr_assert_str_eq(w2.last, w1.last);

	o.spool = NULL;
	o.warn_arg = &w3;
	cr_assert_eq(writer_render(v, 3, &o, NULL, &cause), 0, "%s", cause);
	cr_assert_eq(w3.n, 1);
	cr_assert_eq(w3.n, w1.n);
	cr_assert_str_eq(w3.last, w1.last);

	/* VTIMEZONE before the first VEVENT, one END at the very end. */
	cr_assert(strstr(mem, "BEGIN:VTIMEZONE") < strstr(mem,
	    "BEGIN:VEVENT"));
	cr_assert_eq(strstr(mem, "END:VCALENDAR"), mem + strlen(mem) -
	    strlen("END:VCALENDAR\r\n"));
	cal = tu_ics_parse(mem, "the output");
	cr_assert_eq(nevents(cal), 4, "%s", mem);
	icalcomponent_free(cal);
	free(mem);
	free(file);
	appt_free(v[0]);
	appt_free(v[1]);
	appt_free(v[2]);
}

/* A spool that cannot be written is an I/O error, not a short file. */
Test(writer, spool_write_error_is_ioerr)
{
	struct appt		*a;
	struct writer_opts	 o;
	char			*out = NULL, *cause = NULL;
	size_t			 len = 0;
	FILE			*fp;

	a = mk("Lunch", tu_ft(2024, 3, 5, 12, 0), tu_ft(2024, 3, 5, 13, 0));
	memset(&o, 0, sizeof o);
	cr_assert_not_null(o.spool = fopen("/dev/full", "w+"));
	cr_assert_not_null(fp = open_memstream(&out, &len));
	cr_assert_eq(writer_render(&a, 1, &o, fp, &cause), WRITER_IOERR);
	cr_assert(strstr(cause, "scratch file: No space left on device") !=
	    NULL, "%s", cause);
	fclose(fp);
	fclose(o.spool);
	free(cause);
	free(out);
	appt_free(a);
}

/* Attachment bytes waiting in the reader's spool come out exactly as
 * bytes kept in memory; a spool that lost them is an I/O error. */
Test(writer, spooled_attachment_same_as_in_memory)
{
	static const char	 pad[] = "earlier attachments";
	struct appt		*a;
	struct appt_attach	*at;
	struct writer_opts	 o;
	struct warns		 w = { 0 };
	uint8_t			 bytes[3000];
	char			*mem, *out = NULL, *cause = NULL;
	size_t			 len = 0, i;
	FILE			*fp, *spool;

	for (i = 0; i < sizeof bytes; i++)
		bytes[i] = (uint8_t)(i * 31 + 7);
	a = mk("Review", tu_ft(2024, 3, 5, 9, 0), tu_ft(2024, 3, 5, 10, 0));
	attach(a, "scan.bin", "image/tiff", bytes, sizeof bytes, 0);
	mem = render(&a, 1, &w);

	/* Move the bytes into a spool, after some other data. */
	cr_assert_not_null(spool = tmpfile());
	cr_assert_eq(fwrite(pad, 1, sizeof pad, spool), sizeof pad);
	cr_assert_eq(fwrite(bytes, 1, sizeof bytes, spool), sizeof bytes);
	cr_assert_eq(fflush(spool), 0);
	at = &a->attachs[0];
	free(at->data.data);
	at->data.data = NULL;
	at->spooled = 1;
	at->spool_off = sizeof pad;

	memset(&o, 0, sizeof o);
	o.calname = "Calendar";
	o.content = spool;
	cr_assert_not_null(fp = open_memstream(&out, &len));
	cr_assert_eq(writer_render(&a, 1, &o, fp, &cause), 0, "%s", cause);
	cr_assert_eq(fclose(fp), 0);
	cr_assert_str_eq(out, mem);
	cr_assert(has(out, "X-FILENAME=scan.bin"));
	free(out);
	out = NULL;

	/* The spool ends 10 bytes short of the attachment. */
	cr_assert_eq(ftruncate(fileno(spool), (off_t)(sizeof pad +
	    sizeof bytes - 10)), 0);
	cr_assert_not_null(fp = open_memstream(&out, &len));
	cr_assert_eq(writer_render(&a, 1, &o, fp, &cause), WRITER_IOERR);
	cr_assert_str_eq(cause, "cannot read back the scratch file: it is "
	    "shorter than written");
	free(cause);
	fclose(fp);
	free(out);
	fclose(spool);
	free(mem);
	appt_free(a);
}

/* Bodies of a series and of its exception, spooled by the reader, come
 * out as if they had stayed in memory, and leave memory again after. */
Test(writer, spooled_bodies_same_as_in_memory)
{
	struct appt		*v[2];
	struct writer_opts	 o;
	struct warns		 w = { 0 };
	char			*mem, *out = NULL, *cause = NULL;
	size_t			 len = 0;
	FILE			*fp, *spool;

	v[0] = weekly_series();
	v[0]->body = xstrdup("Daily standup.\r\nDial-in: 555-0100");
	v[0]->html = xstrdup("<p>Daily standup.</p>");
	v[1] = mk("Lunch", tu_ft(2024, 3, 5, 12, 0), tu_ft(2024, 3, 5, 13, 0));
	v[1]->body = xstrdup("Soup");
	attach(v[1], "menu.txt", "text/plain", "soup, bread", 11, 0);
	mem = render(v, 2, &w);
	cr_assert(has(mem, "Moved because of the offsite"));
	cr_assert(has(mem, "Dial-in: 555-0100"));

	cr_assert_not_null(spool = tmpfile());
	cr_assert_eq(appt_spool(v[0], spool, &cause), 0, "%s", cause);
	cr_assert_eq(appt_spool(v[1], spool, &cause), 0, "%s", cause);
	cr_assert_null(v[0]->body);
	memset(&o, 0, sizeof o);
	o.calname = "Calendar";
	o.content = spool;
	cr_assert_not_null(fp = open_memstream(&out, &len));
	cr_assert_eq(writer_render(v, 2, &o, fp, &cause), 0, "%s", cause);
	cr_assert_eq(fclose(fp), 0);
	cr_assert_str_eq(out, mem);
	cr_assert_null(v[0]->body);
	cr_assert_null(v[1]->attachs[0].data.data);
	fclose(spool);
	free(out);
	free(mem);
	appt_free(v[0]);
	appt_free(v[1]);
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

Test(writer, description_from_html_when_no_plain_body)
{
	struct appt	*v[3];
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	v[0] = mk("html only", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	v[0]->html = xstrdup("<html><head><title>t</title></head><body>"
	    "<p>Dial&nbsp;in:</p><p>+1 555 0100<br>PIN 42</p></body></html>");
	/* An image only: no text, no DESCRIPTION, and nothing lost. */
	v[1] = mk("picture", tu_ft(2024, 3, 16, 9, 0),
	    tu_ft(2024, 3, 16, 10, 0));
	v[1]->html = xstrdup("<p><img src=\"cid:x\"></p>");
	/* Both bodies: the plain one wins. */
	v[2] = mk("both", tu_ft(2024, 3, 17, 9, 0), tu_ft(2024, 3, 17, 10, 0));
	v[2]->html = xstrdup("<p>formatted</p>");
	v[2]->body = xstrdup("plain");
	out = render_cal(v, 3, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	cr_assert_str_eq(icalcomponent_get_description(event(cal, 0)),
	    "Dial in:\n+1 555 0100\nPIN 42");
	cr_assert_not_null(xprop(event(cal, 0), "X-ALT-DESC"));
	cr_assert_null(icalcomponent_get_first_property(event(cal, 1),
	    ICAL_DESCRIPTION_PROPERTY));
	cr_assert_not_null(xprop(event(cal, 1), "X-ALT-DESC"));
	cr_assert_str_eq(icalcomponent_get_description(event(cal, 2)),
	    "plain");
	release_all(cal, out, v, 3);
}

Test(writer, rtf_html_text_through_the_html_parser)
{
	struct appt	*v[2];
	struct warns	 w = { 0 };
	icalcomponent	*cal;
	char		*out;

	v[0] = mk("rtf html", tu_ft(2024, 3, 15, 9, 0),
	    tu_ft(2024, 3, 15, 10, 0));
	set_rtf(v[0], "{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag64 <p>}Caf"
	    "{\\*\\htmltag84 &eacute;}\\htmlrtf \\'e9\\htmlrtf0 "
	    "{\\*\\htmltag72 </p>}{\\*\\htmltag64 <p>}Two{\\*\\htmltag72 "
	    "</p>}}");
	/* Plain body kept, HTML still taken from the RTF. */
	v[1] = mk("plain and rtf", tu_ft(2024, 3, 16, 9, 0),
	    tu_ft(2024, 3, 16, 10, 0));
	v[1]->body = xstrdup("own text");
	set_rtf(v[1], "{\\rtf1\\ansi\\fromhtml1 {\\*\\htmltag64 <p>}x"
	    "{\\*\\htmltag72 </p>}}");
	out = render_cal(v, 2, &w, &cal);
	cr_assert_eq(w.n, 0, "%s", w.last);
	cr_assert_str_eq(icalcomponent_get_description(event(cal, 0)),
	    "Caf\xc3\xa9\nTwo");
	cr_assert_str_eq(icalcomponent_get_description(event(cal, 1)),
	    "own text");
	cr_assert_str_eq(xprop(event(cal, 1), "X-ALT-DESC"), "<p>x</p>");
	release_all(cal, out, v, 2);
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
