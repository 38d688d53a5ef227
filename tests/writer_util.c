/* writer_util.c: helpers shared by the writer test programs
 * (test_writer*.c), moved out of test_writer.c. */
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

void
on_warn(void *arg, const struct appt *a, const char *msg)
{
	struct warns	*w = arg;

	w->item = a;
	w->n++;
	snprintf(w->last, sizeof w->last, "%s", msg);
}

uint32_t
mins(int y, int mo, int d, int h, int mi)
{
	return (uint32_t)(tu_ft(y, mo, d, h, mi) / FT_MIN);
}

int64_t
unix_of(int y, int mo, int d, int h, int mi)
{
	return ft_to_unix(tu_ft(y, mo, d, h, mi));
}

struct tz_rule
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
struct tz_rule
r_weurope(void)
{
	return rule(-60, -60, 10, 5, 3, 3, 5, 2);
}

struct tz_rule
r_mountain(void)
{
	return rule(420, -60, 11, 1, 2, 3, 2, 2);
}

struct tz_rule
r_adelaide(void)
{
	return rule(-570, -60, 4, 1, 3, 10, 1, 2);
}

struct tz_rule
r_india(void)
{
	return rule(-330, 0, 0, 0, 0, 0, 0, 0);
}

void
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

void
set_reg(struct appt_blob *b, struct tz_rule r)
{
	uint8_t	buf[48];

	tz_encode_reg(&r, buf);
	appt_blob_set(b, buf, sizeof buf);
}

struct appt *
mk(const char *subject, int64_t start, int64_t end)
{
	struct appt	*a = appt_new();

	a->subject = xstrdup(subject);
	a->folder = xstrdup("/Top of Personal Folders/Calendar");
	a->start = start;
	a->end = end;
	return a;
}

char *
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
char *
render_cal(struct appt **v, size_t n, struct warns *w, icalcomponent **cal)
{
	char	*out = render(v, n, w);

	*cal = tu_ics_parse(out, "the output");
	return out;
}

/* What a one-item test frees at its end. */
void
release(icalcomponent *cal, char *out, struct appt *a)
{
	icalcomponent_free(cal);
	free(out);
	appt_free(a);
}

icalcomponent *
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

int
nevents(icalcomponent *cal)
{
	return icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT);
}

const char *
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
int
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

void
free_all(struct appt **v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		appt_free(v[i]);
}

/* What a test of n items frees at its end. */
void
release_all(icalcomponent *cal, char *out, struct appt **v, size_t n)
{
	icalcomponent_free(cal);
	free(out);
	free_all(v, n);
}

/* Every TZID parameter names a VTIMEZONE, and each VTIMEZONE is unique. */
void
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
void
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
void
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

const uint8_t goid_guid[56] = {
	0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00, 0x74, 0xC5, 0xB7, 0x10,
	0x1A, 0x82, 0xE0, 0x08, 0x07, 0xE8, 0x03, 0x19, 0xD0, 0xAF, 0xE9, 0x6C,
	0xB4, 0x62, 0xCA, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x10, 0x00, 0x00, 0x00, 0x19, 0xF8, 0xAF, 0x4D, 0x13, 0xC9, 0x18, 0x44,
	0xAA, 0x9C, 0xE6, 0x31, 0x90, 0xD3, 0x40, 0x8D
};

const char goid_clean_hex[] =
    "040000008200E00074C5B7101A82E00800000000D0AFE96CB462CA01"
    "000000000000000010000000" "19F8AF4D13C91844AA9CE63190D3408D";

/* ---- series ---- */

/* Encode a pattern into the item's PidLidAppointmentRecur. */
void
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

/* Weekly on Tuesdays at 10:00 Berlin, 2024-01-02 .. 2024-04-30: one
 * deleted instance, one moved and renamed, across the March DST switch. */
struct appt *
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

/* ---- Attachments ---- */

void
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

int
nattach(icalcomponent *ev)
{
	return icalcomponent_count_properties(ev, ICAL_ATTACH_PROPERTY);
}
