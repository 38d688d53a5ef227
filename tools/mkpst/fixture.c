/* fixture.c: iCalendar fixture text -> Outlook-shaped PST messages.
 *
 * The fixture language: RFC 5545 text, one VCALENDAR. Each VEVENT is an
 * IPM.Appointment in "Calendar", each VJOURNAL an IPM.Note in "Inbox".
 * A UID that is the hex of a GOID (040000008200E000...) becomes that
 * GOID; any other UID is wrapped as a vCal-Uid GOID. The Clean GOID is
 * the GOID with the instance date zeroed.
 * Standard properties are mapped the way Outlook imports them: SUMMARY,
 * LOCATION, DESCRIPTION, X-ALT-DESC;FMTTYPE=text/html, DTSTART/DTEND
 * (UTC, TZID= a VTIMEZONE of the file, or VALUE=DATE for all-day) or
 * DURATION, X-MICROSOFT-CDO-ALLDAYEVENT, TRANSP,
 * X-MICROSOFT-CDO-BUSYSTATUS / -INTENDEDSTATUS, CLASS, PRIORITY,
 * X-MICROSOFT-CDO-IMPORTANCE, CATEGORIES, SEQUENCE, CREATED,
 * LAST-MODIFIED, DTSTAMP, STATUS:CANCELLED, ORGANIZER, ATTENDEE (CN,
 * ROLE, CUTYPE, PARTSTAT), VALARM (relative TRIGGER), RRULE, EXDATE,
 * X-MICROSOFT-CDO-OWNERAPPTID, X-MICROSOFT-DISALLOW-COUNTER,
 * X-MS-OLK-ALLOWEXTERNCHECK, -APPTLASTSEQUENCE, -APPTSEQTIME,
 * -AUTOFILLLOCATION, -CONFTYPE (as MS-OXCICAL imports them),
 * RECURRENCE-ID (an exception of the master with the same UID and
 * X-PST-CREATOR; SUMMARY, LOCATION, DESCRIPTION, busy status, alarm and
 * attendees that differ from the master become overrides). An X-PST-MAIL
 * component is a mail like VJOURNAL: ORGANIZER is the sender, ATTENDEEs
 * the recipients, DTSTART the delivery time.
 * VTIMEZONE: one STANDARD and at most one DAYLIGHT, each with a yearly
 * BYDAY/BYMONTH RRULE; the TZID is the Windows key name.
 *
 * X- properties for what iCalendar cannot say:
 *   X-PST-FOLDER:path        folder path ("Calendar/Sub", "Deleted Items")
 *   X-PST-FOLDER-CLASS:cls   container class of that folder
 *   X-PST-CLASS:cls          message class (IPM.Schedule.Meeting.Request)
 *   X-PST-CREATOR:name       PidTagCreatorName (two VEVENTs with one UID
 *   X-PST-MODIFIER:name      and different creators: a CRA/sync pair)
 *   X-PST-CREATED:utc        PidTagCreationTime (else CREATED)
 *   X-PST-MODIFIED:utc       PidTagLastModificationTime (else LAST-MODIFIED)
 *   X-PST-GOID:hex           explicit PidLidGlobalObjectId
 *   X-PST-CLEAN-GOID:hex     explicit PidLidCleanGlobalObjectId
 *   X-PST-NO-GOID:TRUE       no GOID at all (UID then only pairs exceptions)
 *   X-PST-STATE:n            PidLidAppointmentStateFlags (default 1 with
 *                            attendees, else 0)
 *   X-PST-RESPONSE:n         PidLidResponseStatus (default 1 for a
 *                            meeting, 3 if received, else 0)
 *   X-PST-TZID:tzid          zone of floating and all-day times (else
 *                            they are UTC)
 *   X-PST-TZ-DESC:text       (in VTIMEZONE) PidLidTimeZoneDescription
 *   X-PST-RTF:html|text      also write PR_RTF_COMPRESSED, encapsulating
 *                            X-ALT-DESC or DESCRIPTION; html-only and
 *                            text-only write the RTF instead of it
 *   X-PST-ATTACH;FILENAME=f:text   a file attachment
 *   X-PST-PROP:0xTTTT:TYPE:value   raw property; named ones as
 *       {GUID}/0xLID:TYPE:value or {GUID}/Name:TYPE:value. TYPE is I2,
 *       I4, BOOL, I8, TIME (UTC), UNICODE, STRING8, BINARY (hex) or
 *       MV_UNICODE (comma-separated). Applied last: it overrides.
 *   X-PST-BROKEN:list        recur-truncate, recur-count-lie,
 *                            tz-truncate, goid-truncate
 *   X-PST-ATTACH-COUNT:n     n more file attachments: genIIIII.bin of
 *                            300 bytes (i * 31 + k) mod 256, i from 1
 *                            (many make the subnodes need an SIBLOCK)
 * In VCALENDAR, the file's form (default Unicode, unencoded):
 *   X-PST-FORMAT:ANSI|UNICODE   ANSI: wVer 14, 32-bit ids, 8-bit strings
 *   X-PST-CRYPT:NONE|PERMUTE|CYCLIC   bCryptMethod of the blocks
 * Unknown X-PST-* properties are errors; other unknown ones are ignored.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "fixture.h"
#include "goid.h"
#include "icsread.h"
#include "le.h"
#include "model.h"
#include "pstwrite.h"
#include "rtf.h"
#include "xmalloc.h"

#define FT_PER_MIN	600000000LL
#define FT_PER_DAY	(1440 * FT_PER_MIN)
#define DAYS_1601_1970	134774LL
#define EXC_CLASS	"IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}"

static const uint8_t one_off_uid[16] = {
	0x81, 0x2B, 0x1F, 0xA4, 0xBE, 0xA3, 0x10, 0x19,
	0x9D, 0x6E, 0x00, 0xDD, 0x01, 0x0F, 0x54, 0x02
};

/* ---- time ---------------------------------------------------------- */

static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int64_t
ft_make(int y, int mo, int d, int h, int mi, int s)
{
	int64_t days = days_from_civil(y, mo, d) + DAYS_1601_1970;

	return ((days * 86400) + h * 3600 + mi * 60 + s) * 10000000LL;
}

static uint32_t
ft_to_min(int64_t ft)
{
	return (uint32_t)(ft / FT_PER_MIN);
}

static int64_t
min_to_ft(uint32_t min)
{
	return (int64_t)min * FT_PER_MIN;
}

static int64_t
to_local(const struct tz_rule *tz, int64_t utc)
{
	return tz != NULL ? tz_utc_to_local(tz, utc) : utc;
}

static int64_t
to_utc(const struct tz_rule *tz, int64_t local)
{
	return tz != NULL ? tz_local_to_utc(tz, local) : local;
}

/* ---- small helpers ------------------------------------------------- */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
fixture_appt_init(struct fixture_appt *a)
{
	memset(a, 0, sizeof *a);
	a->busy = 2;
	a->intended_busy = -1;
	a->importance = 1;
	a->reminder_min = -1;
	a->sequence = -1;
	a->state = -1;
	a->response = -1;
	a->start = a->end = INT64_MIN;
}

static void
people_free(struct fixture_person *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].email);
	}
	free(v);
}

void
fixture_appt_free(struct fixture_appt *a)
{
	size_t i, j;

	free(a->folder);
	free(a->folder_class);
	free(a->msgclass);
	free(a->subject);
	free(a->location);
	free(a->body);
	free(a->html);
	free(a->rtf);
	for (i = 0; i < a->ncategories; i++)
		free(a->categories[i]);
	free(a->categories);
	free(a->creator);
	free(a->modifier);
	free(a->goid);
	free(a->clean_goid);
	free(a->org_name);
	free(a->org_email);
	people_free(a->rcpts, a->nrcpts);
	free(a->exdates);
	for (i = 0; i < a->nexcs; i++) {
		free(a->excs[i].subject);
		free(a->excs[i].location);
		free(a->excs[i].body);
		people_free(a->excs[i].rcpts, a->excs[i].nrcpts);
	}
	free(a->excs);
	for (i = 0; i < a->nraw; i++) {
		free(a->raw[i].name);
		free(a->raw[i].val);
		for (j = 0; j < a->raw[i].nmv; j++)
			free(a->raw[i].mv[j]);
		free(a->raw[i].mv);
	}
	free(a->raw);
	free(a->attach_name);
	free(a->attach_data);
	memset(a, 0, sizeof *a);
}

/* ---- folders ------------------------------------------------------- */

struct folder_ent {
	char		*path;
	uint32_t	 nid;
};

struct fixture_folders {
	struct folder_ent *v;
	size_t		 n;
};

struct fixture_folders *
fixture_folders_new(void)
{
	return xcalloc(1, sizeof(struct fixture_folders));
}

void
fixture_folders_free(struct fixture_folders *f)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++)
		free(f->v[i].path);
	free(f->v);
	free(f);
}

static int
folder_get(struct pstw *w, struct fixture_folders *f, const char *path,
    const char *cls, uint32_t *nid, char **cause)
{
	char *prefix, *slash;
	uint32_t parent;
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (strcmp(f->v[i].path, path) == 0) {
			*nid = f->v[i].nid;
			return 0;
		}
	}
	if (strcmp(path, "Deleted Items") == 0)
		*nid = pstw_deleted_items(w);
	else {
		prefix = xstrdup(path);
		slash = strrchr(prefix, '/');
		if (slash == NULL)
			parent = pstw_ipm_subtree(w);
		else {
			*slash = '\0';
			if (folder_get(w, f, prefix, NULL, &parent,
			    cause) != 0) {
				free(prefix);
				return -1;
			}
		}
		if (pstw_folder(w, parent, slash != NULL ? slash + 1 : path,
		    cls != NULL ? cls : "IPF.Appointment", nid, cause) != 0) {
			free(prefix);
			return -1;
		}
		free(prefix);
	}
	f->v = xreallocarray(f->v, f->n + 1, sizeof *f->v);
	f->v[f->n].path = xstrdup(path);
	f->v[f->n].nid = *nid;
	f->n++;
	return 0;
}

/* ---- message properties -------------------------------------------- */

static uint16_t
lid_appt(struct pstw *w, uint32_t lid)
{
	return pstw_named_lid(w, pstw_psetid_appointment, lid);
}

static uint16_t
lid_common(struct pstw *w, uint32_t lid)
{
	return pstw_named_lid(w, pstw_psetid_common, lid);
}

static uint16_t
lid_meeting(struct pstw *w, uint32_t lid)
{
	return pstw_named_lid(w, pstw_psetid_meeting, lid);
}

static void
set_subject(struct pstw_props *p, const char *subject)
{
	char *pre;

	xasprintf(&pre, "\001\001%s", subject);
	pstw_set_str(p, 0x0037, pre);
	pstw_set_str(p, 0x0E1D, subject);
	pstw_set_str(p, 0x0070, subject);
	free(pre);
}

/* A one-off EntryID (MS-OXCDATA 2.2.5.1) with Unicode strings. */
static void
set_one_off(struct pstw_props *p, const char *name, const char *email)
{
	size_t n1 = 2 * appt_utf8_to_utf16le(name, NULL);
	size_t n2 = 2 * appt_utf8_to_utf16le("SMTP", NULL);
	size_t n3 = 2 * appt_utf8_to_utf16le(email, NULL), len, off;
	uint8_t *b;

	len = 4 + 16 + 4 + n1 + 2 + n2 + 2 + n3 + 2;
	b = xcalloc(1, len);
	memcpy(b + 4, one_off_uid, 16);
	le_put16(b + 22, 0x8000 | 0x0190);
	off = 24;
	off += 2 * appt_utf8_to_utf16le(name, b + off) + 2;
	off += 2 * appt_utf8_to_utf16le("SMTP", b + off) + 2;
	appt_utf8_to_utf16le(email, b + off);
	pstw_set_bin(p, 0x0FFF, b, len);
	free(b);
}

static void
set_recipients(struct pstw_msg *m, const struct fixture_person *v, size_t n)
{
	struct pstw_props *r;
	char *key, *q;
	size_t i;

	for (i = 0; i < n; i++) {
		r = pstw_msg_recipient(m);
		pstw_set_i4(r, 0x0C15, v[i].type);
		pstw_set_bool(r, 0x0E0F, 1);
		pstw_set_i4(r, 0x0FFE, 6);
		pstw_set_i4(r, 0x3900, 0);
		if (v[i].name != NULL) {
			pstw_set_str(r, 0x3001, v[i].name);
			pstw_set_str(r, 0x5FF6, v[i].name);
		}
		if (v[i].email != NULL) {
			pstw_set_str(r, 0x3002, "SMTP");
			pstw_set_str(r, 0x3003, v[i].email);
			pstw_set_str(r, 0x39FE, v[i].email);
			xasprintf(&key, "SMTP:%s", v[i].email);
			for (q = key; *q != '\0'; q++)
				if (*q >= 'a' && *q <= 'z')
					*q -= 'a' - 'A';
			pstw_set_bin(r, 0x300B, key, strlen(key) + 1);
			free(key);
			set_one_off(r, v[i].name != NULL ? v[i].name :
			    v[i].email, v[i].email);
		}
		pstw_set_i4(r, 0x5FFD, v[i].flags);
		pstw_set_i4(r, 0x5FFF, v[i].track);
	}
}

/* "; "-joined names of the non-organizer rows of one type. */
static char *
display_list(const struct fixture_person *v, size_t n, int type)
{
	char *s = NULL, *t;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((v[i].flags & 0x2) || (type != 0 && v[i].type != type))
			continue;
		t = s;
		xasprintf(&s, "%s%s%s", t != NULL ? t : "",
		    t != NULL ? "; " : "",
		    v[i].name != NULL ? v[i].name : v[i].email);
		free(t);
	}
	return s;
}

static void
set_raw(struct pstw *w, struct pstw_props *p, const struct fixture_raw *r)
{
	uint16_t id;

	if (r->named == 1)
		id = pstw_named_lid(w, r->guid, r->lid);
	else if (r->named == 2)
		id = pstw_named_str(w, r->guid, r->name);
	else
		id = r->tag;
	if (r->type == PSTW_MV_UNICODE)
		pstw_set_mvstr(p, id, (const char *const *)r->mv, r->nmv);
	else if (r->type == PSTW_UNICODE)
		pstw_set_str(p, id, (const char *)r->val);
	else if (r->type == PSTW_STRING8)
		pstw_set_str8(p, id, (const char *)r->val);
	else
		pstw_set_raw(p, id, r->type, r->val, r->len);
}

/* PidTagSearchKey differs for every object created, as in a store. */
static uint32_t search_counter;

static void
set_common(struct pstw *w, struct pstw_props *p, const struct fixture_appt *a)
{
	uint8_t key[16];
	char *s;

	memcpy(key, "mkpst-search-key", 16);
	le_put32(key + 12, ++search_counter);
	pstw_set_bin(p, 0x300B, key, sizeof key);
	if (a->subject != NULL)
		set_subject(p, a->subject);
	pstw_set_i4(p, 0x0017, a->importance);
	pstw_set_i4(p, 0x0036, a->sensitivity);
	pstw_set_i4(p, 0x0E07, 1);
	pstw_set_i4(p, 0x0E17, 0);
	if (a->created != 0)
		pstw_set_time(p, 0x3007, a->created);
	if (a->modified != 0 || a->created != 0)
		pstw_set_time(p, 0x3008, a->modified != 0 ? a->modified :
		    a->created);
	if (a->creator != NULL)
		pstw_set_str(p, 0x3FF8, a->creator);
	if (a->modifier != NULL || a->creator != NULL)
		pstw_set_str(p, 0x3FFA, a->modifier != NULL ? a->modifier :
		    a->creator);
	if (a->org_name != NULL || a->org_email != NULL) {
		s = a->org_name != NULL ? a->org_name : a->org_email;
		pstw_set_str(p, 0x0042, s);
		pstw_set_str(p, 0x0C1A, s);
	}
	if (a->org_email != NULL) {
		pstw_set_str(p, 0x0064, "SMTP");
		pstw_set_str(p, 0x0065, a->org_email);
		pstw_set_str(p, 0x5D02, a->org_email);
		pstw_set_str(p, 0x0C1E, "SMTP");
		pstw_set_str(p, 0x0C1F, a->org_email);
	}
	if ((s = display_list(a->rcpts, a->nrcpts, 1)) != NULL) {
		pstw_set_str(p, 0x0E04, s);
		free(s);
	}
	if ((s = display_list(a->rcpts, a->nrcpts, 2)) != NULL) {
		pstw_set_str(p, 0x0E03, s);
		free(s);
	}
	if (a->body != NULL)
		pstw_set_str(p, 0x1000, a->body);
	if (a->html != NULL)
		pstw_set_bin(p, 0x1013, a->html, strlen(a->html));
	if (a->rtf != NULL)
		pstw_set_bin(p, 0x1009, a->rtf, a->rtflen);
	pstw_set_i4(p, 0x1016, a->rtf != NULL ? 2 : a->html != NULL ? 3 : 1);
	if (a->ncategories > 0)
		pstw_set_mvstr(p, pstw_named_str(w, pstw_ps_public_strings,
		    "Keywords"), (const char *const *)a->categories,
		    a->ncategories);
	pstw_set_bool(p, 0x0E1B, a->nexcs > 0 || a->attach_name != NULL ||
	    a->attach_count > 0);
}

static int
set_tz_def(struct pstw *w, struct pstw_props *p, const struct fixture_appt *a,
    uint32_t lid, uint16_t flags, char **cause)
{
	struct tz_rule r = *a->tz;
	struct tz tz;
	uint8_t *b = NULL;
	size_t len = 0;

	r.year = 1601;
	r.flags = flags;
	tz.keyname = (char *)a->tzid;
	tz.rules = &r;
	tz.nrules = 1;
	if (tz_encode_def(&tz, &b, &len, cause) != 0)
		return -1;
	if (a->broken & FIXTURE_BROKEN_TZ_TRUNCATE)
		len = len > 10 ? 10 : len;
	pstw_set_bin(p, lid_appt(w, lid), b, len);
	free(b);
	return 0;
}

static int
cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

static int
cmp_exc(const void *x, const void *y)
{
	const struct recur_exception *a = x, *b = y;

	return a->start < b->start ? -1 : a->start > b->start;
}

static uint32_t
midnight(uint32_t min)
{
	return min - min % 1440;
}

/* The recurrence blob: pattern plus deleted/modified dates and
 * exceptions derived from a's EXDATEs and modified occurrences. */
static int
recur_blob(const struct fixture_appt *a, uint8_t **blob, size_t *len,
    char **cause)
{
	struct recur r = a->pat;
	struct recur_exception *e;
	const struct fixture_exc *x;
	size_t i, pts;
	int rv;

	r.ndeleted = a->nexdates + a->nexcs;
	r.deleted = xcalloc(r.ndeleted + 1, sizeof *r.deleted);
	r.nmodified = a->nexcs;
	r.modified = xcalloc(r.nmodified + 1, sizeof *r.modified);
	r.nexcs = a->nexcs;
	r.excs = xcalloc(r.nexcs + 1, sizeof *r.excs);
	for (i = 0; i < a->nexdates; i++)
		r.deleted[i] = midnight(ft_to_min(to_local(a->tz,
		    a->exdates[i])));
	for (i = 0; i < a->nexcs; i++) {
		x = &a->excs[i];
		e = &r.excs[i];
		e->orig_start = ft_to_min(to_local(a->tz, x->orig_start));
		e->start = ft_to_min(to_local(a->tz, x->start));
		e->end = ft_to_min(to_local(a->tz, x->end));
		r.deleted[a->nexdates + i] = midnight(e->orig_start);
		r.modified[i] = midnight(e->start);
		if (x->subject != NULL) {
			e->flags |= RECUR_ARO_SUBJECT;
			e->subject = x->subject;
		}
		if (x->location != NULL) {
			e->flags |= RECUR_ARO_LOCATION;
			e->location = x->location;
		}
		if (x->busy >= 0) {
			e->flags |= RECUR_ARO_BUSYSTATUS;
			e->busy = x->busy;
		}
		if (x->reminder_set >= 0) {
			e->flags |= RECUR_ARO_REMINDER;
			e->reminder_set = x->reminder_set;
		}
		if (x->reminder_min >= 0) {
			e->flags |= RECUR_ARO_REMINDERDELTA;
			e->reminder_delta = x->reminder_min;
		}
		if (x->body != NULL)
			e->flags |= RECUR_ARO_EXCEPTIONAL_BODY;
	}
	qsort(r.deleted, r.ndeleted, sizeof *r.deleted, cmp_u32);
	qsort(r.modified, r.nmodified, sizeof *r.modified, cmp_u32);
	qsort(r.excs, r.nexcs, sizeof *r.excs, cmp_exc);
	rv = recur_encode(&r, blob, len, cause);
	free(r.deleted);
	free(r.modified);
	free(r.excs);
	if (rv != 0)
		return -1;
	if (a->broken & FIXTURE_BROKEN_RECUR_TRUNCATE)
		*len = *len > 20 ? 20 : *len;
	if (a->broken & FIXTURE_BROKEN_RECUR_COUNT_LIE) {
		pts = r.pattern == RECUR_PAT_DAY ? 0 :
		    r.pattern == RECUR_PAT_MONTHNTH ? 8 : 4;
		if (*len >= 22 + pts + 16)
			le_put32(*blob + 22 + pts + 12, 0x10000000);
	}
	return 0;
}

static int
cmp_fexc(const void *x, const void *y)
{
	const struct fixture_exc *a = x, *b = y;

	return a->start < b->start ? -1 : a->start > b->start;
}

static void
write_exception(struct pstw *w, struct pstw_msg *m,
    const struct fixture_appt *a, const struct fixture_exc *x)
{
	struct pstw_attach *at = pstw_msg_attach(m);
	struct pstw_props *p = pstw_attach_props(at);
	struct pstw_msg *em;
	uint8_t *goid;
	int y, mo, d;

	pstw_set_i4(p, 0x3705, 5);
	pstw_set_bool(p, 0x7FFE, 1);
	pstw_set_i4(p, 0x7FFD, 2);
	pstw_set_i4(p, 0x7FFA, 0);
	/* Outlook stores these three as local time labelled UTC. */
	pstw_set_time(p, 0x7FF9, to_local(a->tz, x->orig_start));
	pstw_set_time(p, 0x7FFB, to_local(a->tz, x->start));
	pstw_set_time(p, 0x7FFC, to_local(a->tz, x->end));
	pstw_set_i4(p, 0x370B, -1);
	pstw_set_str(p, 0x3001, x->subject != NULL ? x->subject :
	    a->subject != NULL ? a->subject : "Untitled");
	pstw_set_str(p, 0x3704, "Untitled");
	pstw_set_i4(p, 0x0E20, 0);

	em = pstw_attach_embed(at, EXC_CLASS);
	p = pstw_msg_props(em);
	pstw_set_time(p, lid_appt(w, 0x820D), x->start);
	pstw_set_time(p, lid_appt(w, 0x820E), x->end);
	pstw_set_time(p, lid_appt(w, 0x8228), x->orig_start);
	pstw_set_i4(p, lid_appt(w, 0x8213),
	    (int32_t)((x->end - x->start) / FT_PER_MIN));
	pstw_set_bool(p, lid_appt(w, 0x8223), 0);
	pstw_set_bool(p, lid_appt(w, 0x8215), a->all_day);
	pstw_set_bool(p, lid_appt(w, 0x8206), x->body != NULL);
	if (x->subject != NULL)
		set_subject(p, x->subject);
	if (x->location != NULL)
		pstw_set_str(p, lid_appt(w, 0x8208), x->location);
	if (x->busy >= 0)
		pstw_set_i4(p, lid_appt(w, 0x8205), x->busy);
	if (x->body != NULL)
		pstw_set_str(p, 0x1000, x->body);
	if (x->reminder_set >= 0)
		pstw_set_bool(p, lid_common(w, 0x8503), x->reminder_set);
	if (x->reminder_min >= 0)
		pstw_set_i4(p, lid_common(w, 0x8501), x->reminder_min);
	if (a->goid != NULL && a->goidlen >= 20) {
		goid = xmemdup(a->goid, a->goidlen);
		civil_from_days(x->orig_start / 10000000LL / 86400 -
		    DAYS_1601_1970, &y, &mo, &d);
		goid[16] = y >> 8;
		goid[17] = y & 0xff;
		goid[18] = mo;
		goid[19] = d;
		pstw_set_bin(p, lid_meeting(w, 0x0003), goid, a->goidlen);
		free(goid);
	}
	if (a->clean_goid != NULL)
		pstw_set_bin(p, lid_meeting(w, 0x0023), a->clean_goid,
		    a->cleanlen);
	if (x->nrcpts > 0) {
		pstw_set_bool(p, lid_appt(w, 0x822B), 1);
		set_recipients(em, x->rcpts, x->nrcpts);
	}
}

/* X-PST-ATTACH-COUNT: attachment i (1-based). */
static void
gen_attach(struct pstw_msg *m, uint32_t i)
{
	struct pstw_attach *at = pstw_msg_attach(m);
	struct pstw_props *p = pstw_attach_props(at);
	uint8_t data[300];
	char name[16];
	size_t k;

	snprintf(name, sizeof name, "gen%05u.bin", (unsigned)(i % 100000));
	for (k = 0; k < sizeof data; k++)
		data[k] = (uint8_t)(i * 31 + k);
	pstw_set_i4(p, MAPI_ID_ATTACH_METHOD, MAPI_ATTACH_BY_VALUE);
	pstw_set_str(p, MAPI_ID_ATTACH_FILENAME, name);
	pstw_set_str(p, MAPI_ID_ATTACH_LONG_FILENAME, name);
	pstw_set_str(p, MAPI_ID_DISPLAY_NAME, name);
	pstw_set_i4(p, MAPI_ID_RENDERING_POSITION, -1);
	pstw_attach_data(at, data, sizeof data);
}

static int
set_appointment(struct pstw *w, struct pstw_props *p,
    const struct fixture_appt *a, char **cause)
{
	int64_t clip_start = a->start, clip_end = a->end;
	uint8_t reg[48];
	size_t glen;
	char *s;

	pstw_set_time(p, lid_appt(w, 0x820D), a->start);
	pstw_set_time(p, lid_appt(w, 0x820E), a->end);
	pstw_set_time(p, 0x0060, a->start);
	pstw_set_time(p, 0x0061, a->end);
	pstw_set_time(p, lid_common(w, 0x8516), a->start);
	pstw_set_time(p, lid_common(w, 0x8517), a->end);
	pstw_set_i4(p, lid_appt(w, 0x8213),
	    (int32_t)((a->end - a->start) / FT_PER_MIN));
	pstw_set_bool(p, lid_appt(w, 0x8215), a->all_day);
	pstw_set_i4(p, lid_appt(w, 0x8205), a->busy);
	if (a->intended_busy >= 0)
		pstw_set_i4(p, lid_appt(w, 0x8224), a->intended_busy);
	if (a->location != NULL)
		pstw_set_str(p, lid_appt(w, 0x8208), a->location);
	pstw_set_bool(p, lid_common(w, 0x8506), a->sensitivity == 2);
	pstw_set_bool(p, lid_common(w, 0x8503), a->reminder_set);
	if (a->reminder_min >= 0)
		pstw_set_i4(p, lid_common(w, 0x8501), a->reminder_min);
	if (a->sequence >= 0)
		pstw_set_i4(p, lid_appt(w, 0x8201), a->sequence);
	pstw_set_i4(p, lid_appt(w, 0x8217), a->state >= 0 ? a->state :
	    a->nrcpts > 0);
	pstw_set_i4(p, lid_appt(w, 0x8218), a->response >= 0 ? a->response :
	    a->nrcpts == 0 ? 0 : (a->state >= 0 && (a->state & 2)) ? 3 : 1);
	if (a->dtstamp != 0)
		pstw_set_time(p, lid_meeting(w, 0x001A), a->dtstamp);
	if ((s = display_list(a->rcpts, a->nrcpts, 0)) != NULL) {
		pstw_set_str(p, lid_appt(w, 0x8238), s);
		free(s);
	}
	if (a->goid != NULL) {
		glen = a->goidlen;
		if ((a->broken & FIXTURE_BROKEN_GOID_TRUNCATE) && glen > 30)
			glen = 30;
		pstw_set_bin(p, lid_meeting(w, 0x0003), a->goid, glen);
	}
	if (a->clean_goid != NULL)
		pstw_set_bin(p, lid_meeting(w, 0x0023), a->clean_goid,
		    a->cleanlen);
	pstw_set_bool(p, lid_appt(w, 0x8223), a->recurring);
	pstw_set_bool(p, lid_meeting(w, 0x0005), a->recurring);
	if (a->recurring) {
		pstw_set_i4(p, lid_appt(w, 0x8231),
		    a->pat.freq == RECUR_FREQ_DAILY ? 1 :
		    a->pat.freq == RECUR_FREQ_WEEKLY ? 2 :
		    a->pat.freq == RECUR_FREQ_MONTHLY ? 3 : 4);
		clip_start = min_to_ft(a->pat.start_date);
		clip_end = a->pat.end_type == RECUR_END_NEVER ?
		    min_to_ft(RECUR_NO_END_DATE + 1439) :
		    min_to_ft(a->pat.end_date);
	}
	pstw_set_time(p, lid_appt(w, 0x8235), clip_start);
	pstw_set_time(p, lid_appt(w, 0x8236), clip_end);
	if (a->tz != NULL) {
		if (set_tz_def(w, p, a, 0x825E, TZ_RULE_EFFECTIVE, cause) != 0 ||
		    set_tz_def(w, p, a, 0x825F, TZ_RULE_EFFECTIVE, cause) != 0)
			return -1;
		if (a->recurring) {
			tz_encode_reg(a->tz, reg);
			pstw_set_bin(p, lid_appt(w, 0x8233), reg,
			    (a->broken & FIXTURE_BROKEN_TZ_TRUNCATE) ?
			    20 : sizeof reg);
			pstw_set_str(p, lid_appt(w, 0x8234),
			    a->tzdesc != NULL ? a->tzdesc : a->tzid);
			if (set_tz_def(w, p, a, 0x8260, TZ_RULE_EFFECTIVE |
			    TZ_RULE_RECUR_CURRENT, cause) != 0)
				return -1;
		}
	}
	return 0;
}

int
fixture_write(struct pstw *w, struct fixture_folders *ff,
    const struct fixture_appt *a, int *kind, char **cause)
{
	struct fixture_exc *excs = NULL;
	struct pstw_msg *m;
	struct pstw_props *p;
	struct pstw_attach *at;
	uint8_t *blob = NULL;
	size_t len = 0, i;
	uint32_t folder;
	const char *cls;

	cls = a->folder_class != NULL ? a->folder_class :
	    a->mail ? "IPF.Note" : "IPF.Appointment";
	if (folder_get(w, ff, a->folder != NULL ? a->folder :
	    a->mail ? "Inbox" : "Calendar", cls, &folder, cause) != 0) {
		*kind = FIXTURE_EIO;
		return -1;
	}
	if (a->recurring && recur_blob(a, &blob, &len, cause) != 0) {
		*kind = FIXTURE_EDATA;
		return -1;
	}
	m = pstw_msg_new(a->msgclass != NULL ? a->msgclass :
	    a->mail ? "IPM.Note" : "IPM.Appointment");
	p = pstw_msg_props(m);
	set_common(w, p, a);
	if (!a->mail) {
		if (set_appointment(w, p, a, cause) != 0) {
			free(blob);
			pstw_msg_free(m);
			*kind = FIXTURE_EDATA;
			return -1;
		}
		if (blob != NULL)
			pstw_set_bin(p, lid_appt(w, 0x8216), blob, len);
	} else if (a->start != INT64_MIN) {
		pstw_set_time(p, 0x0039, a->start);
		pstw_set_time(p, 0x0E06, a->start);
	}
	free(blob);
	set_recipients(m, a->rcpts, a->nrcpts);
	if (a->nexcs > 0) {
		excs = xmemdup(a->excs, a->nexcs * sizeof *excs);
		qsort(excs, a->nexcs, sizeof *excs, cmp_fexc);
		for (i = 0; i < a->nexcs; i++)
			write_exception(w, m, a, &excs[i]);
		free(excs);
	}
	if (a->attach_name != NULL) {
		at = pstw_msg_attach(m);
		p = pstw_attach_props(at);
		pstw_set_i4(p, 0x3705, 1);
		pstw_set_str(p, 0x3704, a->attach_name);
		pstw_set_str(p, 0x3707, a->attach_name);
		pstw_set_str(p, 0x3001, a->attach_name);
		pstw_set_i4(p, 0x0E20, (int32_t)a->attach_len);
		pstw_set_i4(p, 0x370B, -1);
		pstw_set_bool(p, 0x7FFE, 0);
		pstw_attach_data(at, a->attach_data, a->attach_len);
	}
	for (i = 0; i < (size_t)a->attach_count; i++)
		gen_attach(m, (uint32_t)i + 1);
	p = pstw_msg_props(m);
	for (i = 0; i < a->nraw; i++)
		set_raw(w, p, &a->raw[i]);
	if (pstw_msg_write(w, folder, m, NULL, cause) != 0) {
		*kind = FIXTURE_EIO;
		return -1;
	}
	return 0;
}

/* ---- the fixture text ---------------------------------------------- */

struct param {
	char		*name;
	char		*value;		/* quotes removed */
};

struct cprop {
	char		*name;		/* upper-cased */
	struct param	*params;
	size_t		 nparams;
	char		*value;
	int		 line;
};

struct comp {
	char		*name;
	int		 line;
	struct cprop	*props;
	size_t		 nprops;
	struct comp	**kids;
	size_t		 nkids;
};

struct zone {
	char		*tzid;
	char		*desc;
	struct tz_rule	 rule;
};

struct conv {
	const char	*file;
	struct zone	*zones;
	size_t		 nzones;
};

static void
comp_free(struct comp *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; i < c->nprops; i++) {
		free(c->props[i].name);
		free(c->props[i].value);
		for (j = 0; j < c->props[i].nparams; j++) {
			free(c->props[i].params[j].name);
			free(c->props[i].params[j].value);
		}
		free(c->props[i].params);
	}
	free(c->props);
	for (i = 0; i < c->nkids; i++)
		comp_free(c->kids[i]);
	free(c->kids);
	free(c->name);
	free(c);
}

static int
fx_err(struct conv *cv, int line, char **cause, const char *what,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
fx_err(struct conv *cv, int line, char **cause, const char *what,
    const char *fmt, ...)
{
	va_list ap;
	char why[1024];

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	xasprintf(cause, "%s:%d: %s: %s", cv->file, line, what, why);
	return -1;
}

static void
upcase(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'a' && *s <= 'z')
			*s -= 'a' - 'A';
}

static int
name_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/* One unfolded content line -> prop. */
static int
parse_line(struct conv *cv, char *s, int line, struct cprop *p, char **cause)
{
	char *q, *start;
	struct param *pa;

	memset(p, 0, sizeof *p);
	p->line = line;
	for (q = s; name_char((unsigned char)*q); q++)
		;
	if (q == s || (*q != ':' && *q != ';'))
		return fx_err(cv, line, cause, "bad content line",
		    "expected NAME[;PARAM=VALUE]:VALUE");
	p->name = xstrndup(s, q - s);
	upcase(p->name);
	while (*q == ';') {
		start = ++q;
		while (name_char((unsigned char)*q))
			q++;
		if (q == start || *q != '=')
			return fx_err(cv, line, cause, "bad parameter",
			    "expected NAME=VALUE after ';'");
		p->params = xreallocarray(p->params, p->nparams + 1,
		    sizeof *p->params);
		pa = &p->params[p->nparams++];
		pa->name = xstrndup(start, q - start);
		pa->value = NULL;
		upcase(pa->name);
		q++;
		if (*q == '"') {
			start = ++q;
			while (*q != '\0' && *q != '"')
				q++;
			if (*q != '"')
				return fx_err(cv, line, cause,
				    "bad parameter", "unterminated quote");
			pa->value = xstrndup(start, q - start);
			q++;
		} else {
			start = q;
			while (*q != '\0' && *q != ';' && *q != ':')
				q++;
			pa->value = xstrndup(start, q - start);
		}
	}
	if (*q != ':')
		return fx_err(cv, line, cause, "bad content line",
		    "missing ':' before the value");
	p->value = xstrdup(q + 1);
	return 0;
}

/* Handle one logical line: nest BEGIN/END, attach properties. */
static int
take_line(struct conv *cv, char *s, int line, struct comp **stack,
    size_t *depth, struct comp **root, char **cause)
{
	struct cprop p;
	struct comp *c, *top;
	size_t i;
	int rv = -1;

	if (parse_line(cv, s, line, &p, cause) != 0)
		goto out;
	if (strcmp(p.name, "BEGIN") == 0) {
		if (*depth == 16) {
			fx_err(cv, line, cause, "BEGIN", "nested too deep");
			goto out;
		}
		if (*depth == 0 && *root != NULL) {
			fx_err(cv, line, cause, "BEGIN",
			    "more than one top-level component");
			goto out;
		}
		c = xcalloc(1, sizeof *c);
		c->name = xstrdup(p.value);
		upcase(c->name);
		c->line = line;
		if (*depth > 0) {
			top = stack[*depth - 1];
			top->kids = xreallocarray(top->kids, top->nkids + 1,
			    sizeof c);
			top->kids[top->nkids++] = c;
		} else
			*root = c;
		stack[(*depth)++] = c;
	} else if (strcmp(p.name, "END") == 0) {
		upcase(p.value);
		if (*depth == 0 || strcmp(stack[*depth - 1]->name,
		    p.value) != 0) {
			fx_err(cv, line, cause, "END", "END:%s does not close "
			    "%s", p.value, *depth > 0 ?
			    stack[*depth - 1]->name : "anything");
			goto out;
		}
		(*depth)--;
	} else if (*depth == 0) {
		fx_err(cv, line, cause, p.name,
		    "property outside any component");
		goto out;
	} else {
		top = stack[*depth - 1];
		top->props = xreallocarray(top->props, top->nprops + 1,
		    sizeof p);
		top->props[top->nprops++] = p;
		return 0;
	}
	rv = 0;
out:
	free(p.name);
	free(p.value);
	for (i = 0; i < p.nparams; i++) {
		free(p.params[i].name);
		free(p.params[i].value);
	}
	free(p.params);
	return rv;
}

/* Split, unfold (RFC 5545 3.1) and nest the file into components. */
static int
parse_file(struct conv *cv, char *text, struct comp **out, char **cause)
{
	struct comp *stack[16], *root = NULL;
	char **lines = NULL, *p, *nl, *buf;
	size_t nlines = 0, depth = 0, i, j, len, k;

	for (p = text; *p != '\0'; p = nl + 1) {
		lines = xreallocarray(lines, nlines + 1, sizeof *lines);
		lines[nlines++] = p;
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
	}
	if (nlines > 0 && (len = strlen(lines[nlines - 1])) > 0 &&
	    lines[nlines - 1][len - 1] == '\r')
		lines[nlines - 1][len - 1] = '\0';
	for (i = 0; i < nlines; i = j) {
		for (j = i + 1; j < nlines && (lines[j][0] == ' ' ||
		    lines[j][0] == '\t'); j++)
			;
		if (lines[i][0] == '\0')
			continue;
		if (lines[i][0] == ' ' || lines[i][0] == '\t') {
			fx_err(cv, (int)i + 1, cause, "bad content line",
			    "continuation line without a line to continue");
			goto fail;
		}
		len = 0;
		for (k = i; k < j; k++)
			len += strlen(lines[k]);
		buf = xmalloc(len + 1);
		strcpy(buf, lines[i]);
		for (k = i + 1; k < j; k++)
			strcat(buf, lines[k] + 1);
		if (take_line(cv, buf, (int)i + 1, stack, &depth, &root,
		    cause) != 0) {
			free(buf);
			goto fail;
		}
		free(buf);
	}
	free(lines);
	lines = NULL;
	if (depth != 0) {
		fx_err(cv, stack[depth - 1]->line, cause, "BEGIN",
		    "%s is never closed", stack[depth - 1]->name);
		goto fail;
	}
	if (root == NULL || strcmp(root->name, "VCALENDAR") != 0) {
		fx_err(cv, root != NULL ? root->line : 1, cause, "BEGIN",
		    "expected one VCALENDAR");
		goto fail;
	}
	*out = root;
	return 0;
fail:
	free(lines);
	comp_free(root);
	return -1;
}

/* ---- interpretation ------------------------------------------------ */

static struct cprop *
prop_get(const struct comp *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nprops; i++)
		if (strcmp(c->props[i].name, name) == 0)
			return &c->props[i];
	return NULL;
}

static const char *
param_get(const struct cprop *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nparams; i++)
		if (strcmp(p->params[i].name, name) == 0)
			return p->params[i].value;
	return NULL;
}

/* RFC 5545 TEXT unescaping; stops at an unescaped ',' if list. */
static char *
text_unescape(const char *s, const char **end, int list)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (list && *s == ',')
			break;
		if (*s == '\\' && s[1] != '\0') {
			s++;
			*o++ = (*s == 'n' || *s == 'N') ? '\n' : *s;
		} else
			*o++ = *s;
	}
	*o = '\0';
	if (end != NULL)
		*end = s;
	return out;
}

static char *
prop_text(const struct comp *c, const char *name)
{
	struct cprop *p = prop_get(c, name);

	return p != NULL ? text_unescape(p->value, NULL, 0) : NULL;
}

static const struct zone *
zone_find(struct conv *cv, const char *tzid)
{
	size_t i;

	for (i = 0; i < cv->nzones; i++)
		if (strcmp(cv->zones[i].tzid, tzid) == 0)
			return &cv->zones[i];
	return NULL;
}

static int
digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* A DATE or DATE-TIME value -> local wall-clock FILETIME; *utc set if
 * it ends in Z. */
static int
parse_time_value(const char *s, size_t n, int64_t *ft, int *is_date,
    int *utc)
{
	int y, mo, d, h = 0, mi = 0, se = 0;

	*is_date = 0;
	*utc = 0;
	if (n < 8 || digits(s, 4, &y) || digits(s + 4, 2, &mo) ||
	    digits(s + 6, 2, &d))
		return -1;
	if (n == 8)
		*is_date = 1;
	else if ((n == 15 || (n == 16 && s[15] == 'Z')) && s[8] == 'T' &&
	    digits(s + 9, 2, &h) == 0 && digits(s + 11, 2, &mi) == 0 &&
	    digits(s + 13, 2, &se) == 0)
		*utc = n == 16;
	else
		return -1;
	if (y < 1601 || y > 4500 || mo < 1 || mo > 12 || d < 1 || d > 31 ||
	    h > 23 || mi > 59 || se > 60)
		return -1;
	*ft = ft_make(y, mo, d, h, mi, se);
	return 0;
}

/* A time property (first value of a list when idx = 0) -> UTC. The
 * zone is the TZID parameter, else dflt; UTC when neither. */
static int
prop_time(struct conv *cv, const struct cprop *p, const char *val,
    size_t n, const struct zone *dflt, int64_t *ft, int *is_date,
    const struct zone **zused, char **cause)
{
	const char *tzid = param_get(p, "TZID");
	const struct zone *z = dflt;
	int utc;

	if (parse_time_value(val, n, ft, is_date, &utc) != 0)
		return fx_err(cv, p->line, cause, p->name,
		    "bad date or date-time \"%.*s\"", (int)n, val);
	if (tzid != NULL && (z = zone_find(cv, tzid)) == NULL)
		return fx_err(cv, p->line, cause, p->name,
		    "TZID \"%s\" has no VTIMEZONE in this file", tzid);
	if (utc)
		z = NULL;
	else if (z != NULL)
		*ft = to_utc(&z->rule, *ft);
	if (zused != NULL)
		*zused = utc ? NULL : z;
	return 0;
}

static int
parse_offset(const char *s, int *min)
{
	int h, m, sign;

	if ((s[0] != '+' && s[0] != '-') || strlen(s) < 5 ||
	    digits(s + 1, 2, &h) || digits(s + 3, 2, &m))
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	*min = sign * (h * 60 + m);
	return 0;
}

/* STANDARD or DAYLIGHT -> transition date and offset. */
static int
tz_part(struct conv *cv, const struct comp *c, struct tz_systime *st,
    int *off, int *has_rule, char **cause)
{
	struct cprop *dt = prop_get(c, "DTSTART"), *to, *rr;
	struct icalrecurrencetype r;
	int64_t ft;
	int is_date, utc, y, mo, d, pos;
	int64_t days;

	if (dt == NULL || (to = prop_get(c, "TZOFFSETTO")) == NULL)
		return fx_err(cv, c->line, cause, c->name,
		    "needs DTSTART and TZOFFSETTO");
	if (parse_time_value(dt->value, strlen(dt->value), &ft, &is_date,
	    &utc) != 0)
		return fx_err(cv, dt->line, cause, "DTSTART",
		    "bad date-time \"%s\"", dt->value);
	if (parse_offset(to->value, off) != 0)
		return fx_err(cv, to->line, cause, "TZOFFSETTO",
		    "bad offset \"%s\"", to->value);
	memset(st, 0, sizeof *st);
	days = ft / 10000000LL / 86400;
	civil_from_days(days - DAYS_1601_1970, &y, &mo, &d);
	st->hour = (ft / 10000000LL % 86400) / 3600;
	st->minute = (ft / 10000000LL % 3600) / 60;
	*has_rule = 0;
	if ((rr = prop_get(c, "RRULE")) == NULL)
		return 0;
	r = icalrecurrencetype_from_string(rr->value);
	if (r.freq != ICAL_YEARLY_RECURRENCE ||
	    r.by_day[0] == ICAL_RECURRENCE_ARRAY_MAX ||
	    r.by_day[1] != ICAL_RECURRENCE_ARRAY_MAX)
		return fx_err(cv, rr->line, cause, "RRULE",
		    "a zone rule must be FREQ=YEARLY;BYDAY=<n><DAY>;BYMONTH=<m>");
	pos = icalrecurrencetype_day_position(r.by_day[0]);
	if (pos == 0 || pos < -1 || pos > 5)
		return fx_err(cv, rr->line, cause, "RRULE",
		    "BYDAY needs a week number 1..5 or -1");
	st->month = r.by_month[0] != ICAL_RECURRENCE_ARRAY_MAX ?
	    r.by_month[0] : mo;
	st->dow = icalrecurrencetype_day_day_of_week(r.by_day[0]) - 1;
	st->day = pos == -1 ? 5 : pos;
	*has_rule = 1;
	return 0;
}

static int
parse_vtimezone(struct conv *cv, const struct comp *c, char **cause)
{
	const struct comp *std = NULL, *dst = NULL;
	struct tz_systime sd, dd;
	struct zone z;
	struct cprop *id;
	int soff, doff = 0, srule, drule = 0;
	size_t i;

	if ((id = prop_get(c, "TZID")) == NULL || *id->value == '\0')
		return fx_err(cv, c->line, cause, "VTIMEZONE", "no TZID");
	for (i = 0; i < c->nkids; i++) {
		if (strcmp(c->kids[i]->name, "STANDARD") == 0) {
			if (std != NULL)
				return fx_err(cv, c->kids[i]->line, cause,
				    "STANDARD", "only one STANDARD per zone");
			std = c->kids[i];
		} else if (strcmp(c->kids[i]->name, "DAYLIGHT") == 0) {
			if (dst != NULL)
				return fx_err(cv, c->kids[i]->line, cause,
				    "DAYLIGHT", "only one DAYLIGHT per zone");
			dst = c->kids[i];
		}
	}
	if (std == NULL)
		return fx_err(cv, c->line, cause, "VTIMEZONE",
		    "needs a STANDARD component");
	if (tz_part(cv, std, &sd, &soff, &srule, cause) != 0)
		return -1;
	if (dst != NULL && tz_part(cv, dst, &dd, &doff, &drule, cause) != 0)
		return -1;
	if (dst != NULL && (!srule || !drule))
		return fx_err(cv, dst->line, cause, "DAYLIGHT",
		    "STANDARD and DAYLIGHT both need a yearly RRULE");
	if (zone_find(cv, id->value) != NULL)
		return fx_err(cv, id->line, cause, "TZID",
		    "zone \"%s\" defined twice", id->value);
	memset(&z, 0, sizeof z);
	z.tzid = xstrdup(id->value);
	z.desc = prop_text(c, "X-PST-TZ-DESC");
	z.rule.bias = -soff;
	if (dst != NULL) {
		z.rule.dst_bias = -(doff - soff);
		z.rule.std_date = sd;
		z.rule.dst_date = dd;
	}
	cv->zones = xreallocarray(cv->zones, cv->nzones + 1, sizeof z);
	cv->zones[cv->nzones++] = z;
	return 0;
}

struct ev {
	struct fixture_appt a;
	char		*uid;
	int		 is_exc;
	int64_t		 rid;
	int		 line;
	const struct zone *zone;
};

static const char *const known_x[] = {
	"X-PST-FOLDER", "X-PST-FOLDER-CLASS", "X-PST-CLASS", "X-PST-CREATOR",
	"X-PST-MODIFIER", "X-PST-CREATED", "X-PST-MODIFIED", "X-PST-GOID",
	"X-PST-CLEAN-GOID", "X-PST-NO-GOID", "X-PST-STATE", "X-PST-RESPONSE",
	"X-PST-TZID", "X-PST-RTF", "X-PST-ATTACH", "X-PST-PROP",
	"X-PST-BROKEN", "X-PST-ATTACH-COUNT"
};

static int
prop_int(struct conv *cv, const struct cprop *p, long lo, long hi, int32_t *v,
    char **cause)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(p->value, &end, 0);
	if (errno != 0 || end == p->value || *end != '\0' || n < lo || n > hi)
		return fx_err(cv, p->line, cause, p->name,
		    "expected an integer in %ld..%ld, not \"%s\"", lo, hi,
		    p->value);
	*v = (int32_t)n;
	return 0;
}

static int
prop_utc(struct conv *cv, const struct cprop *p, int64_t *ft, char **cause)
{
	int is_date;

	return prop_time(cv, p, p->value, strlen(p->value), NULL, ft,
	    &is_date, NULL, cause);
}

static const char *
strip_mailto(const char *s)
{
	return strncasecmp(s, "mailto:", 7) == 0 ? s + 7 : s;
}

static int32_t
partstat(const char *s)
{
	if (s == NULL)
		return 0;
	if (strcasecmp(s, "ACCEPTED") == 0)
		return 3;
	if (strcasecmp(s, "DECLINED") == 0)
		return 4;
	if (strcasecmp(s, "TENTATIVE") == 0)
		return 2;
	if (strcasecmp(s, "NEEDS-ACTION") == 0)
		return 5;
	return 0;
}

static void
people_add(struct fixture_person **v, size_t *n, const char *name,
    const char *email, int32_t type, int32_t flags, int32_t track)
{
	struct fixture_person *p;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	p = &(*v)[(*n)++];
	p->name = name != NULL ? xstrdup(name) : NULL;
	p->email = email != NULL && *email != '\0' ? xstrdup(email) : NULL;
	p->type = type;
	p->flags = flags;
	p->track = track;
}

static void
parse_people(const struct comp *c, struct fixture_appt *a)
{
	const struct cprop *p;
	const char *role, *cu, *email;
	int32_t type;
	size_t i;

	if ((p = prop_get(c, "ORGANIZER")) != NULL) {
		email = strip_mailto(p->value);
		free(a->org_name);
		free(a->org_email);
		a->org_name = param_get(p, "CN") != NULL ?
		    xstrdup(param_get(p, "CN")) : NULL;
		a->org_email = *email != '\0' ? xstrdup(email) : NULL;
		if (!a->mail)
			people_add(&a->rcpts, &a->nrcpts, a->org_name, email,
			    1, 0x3, 0);
	}
	for (i = 0; i < c->nprops; i++) {
		p = &c->props[i];
		if (strcmp(p->name, "ATTENDEE") != 0)
			continue;
		email = strip_mailto(p->value);
		if (!a->mail && a->org_email != NULL &&
		    strcasecmp(email, a->org_email) == 0)
			continue;
		role = param_get(p, "ROLE");
		cu = param_get(p, "CUTYPE");
		type = 1;
		if (role != NULL && strcasecmp(role, "OPT-PARTICIPANT") == 0)
			type = 2;
		if ((role != NULL && strcasecmp(role,
		    "NON-PARTICIPANT") == 0) || (cu != NULL &&
		    (strcasecmp(cu, "RESOURCE") == 0 ||
		    strcasecmp(cu, "ROOM") == 0)))
			type = 3;
		people_add(&a->rcpts, &a->nrcpts, param_get(p, "CN"), email,
		    type, 0x1, partstat(param_get(p, "PARTSTAT")));
	}
}

/* The first VALARM's relative TRIGGER -> minutes before start. */
static int
parse_alarm(struct conv *cv, const struct comp *c, int *set, int32_t *min,
    char **cause)
{
	struct icaldurationtype d;
	const struct cprop *t;
	const char *v;
	size_t i;
	int secs;

	for (i = 0; i < c->nkids; i++) {
		if (strcmp(c->kids[i]->name, "VALARM") != 0)
			continue;
		if ((t = prop_get(c->kids[i], "TRIGGER")) == NULL)
			return fx_err(cv, c->kids[i]->line, cause, "VALARM",
			    "needs a TRIGGER");
		v = param_get(t, "VALUE");
		if ((v != NULL && strcasecmp(v, "DURATION") != 0) ||
		    ((v = param_get(t, "RELATED")) != NULL &&
		    strcasecmp(v, "START") != 0))
			return fx_err(cv, t->line, cause, "TRIGGER",
			    "only a duration before the start is supported");
		d = icaldurationtype_from_string(t->value);
		if (icaldurationtype_is_bad_duration(d))
			return fx_err(cv, t->line, cause, "TRIGGER",
			    "bad duration \"%s\"", t->value);
		secs = icaldurationtype_as_int(d);
		*set = 1;
		*min = -secs / 60;
		return 0;
	}
	return 0;
}

static int
busy_value(struct conv *cv, const struct comp *c, int32_t *busy,
    const char *name, char **cause)
{
	static const char *const names[] = {
		"FREE", "TENTATIVE", "BUSY", "OOF", "WORKINGELSEWHERE"
	};
	const struct cprop *p;
	int i;

	if ((p = prop_get(c, name)) == NULL)
		return 0;
	for (i = 0; i < 5; i++) {
		if (strcasecmp(p->value, names[i]) == 0) {
			*busy = i;
			return 0;
		}
	}
	return fx_err(cv, p->line, cause, p->name,
	    "expected FREE, TENTATIVE, BUSY, OOF or WORKINGELSEWHERE");
}

/* Parse "{GUID}" into on-disk order. */
static int
parse_guid(const char *s, uint8_t g[16])
{
	static const int pos[16] = {
		7, 5, 3, 1, 12, 10, 17, 15, 20, 22, 25, 27, 29, 31, 33, 35
	};
	int i, hi, lo;

	if (strlen(s) < 38 || s[0] != '{' || s[37] != '}' || s[9] != '-' ||
	    s[14] != '-' || s[19] != '-' || s[24] != '-')
		return -1;
	for (i = 0; i < 16; i++) {
		hi = hexval((unsigned char)s[pos[i]]);
		lo = hexval((unsigned char)s[pos[i] + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		g[i] = hi << 4 | lo;
	}
	return 0;
}

static int
parse_raw(struct conv *cv, const struct cprop *p, struct fixture_raw *r,
    char **cause)
{
	static const struct {
		const char	*name;
		uint16_t	 type;
	} types[] = {
		{ "I2", PSTW_I2 }, { "I4", PSTW_I4 }, { "BOOL", PSTW_BOOL },
		{ "I8", PSTW_I8 }, { "TIME", PSTW_SYSTIME },
		{ "UNICODE", PSTW_UNICODE }, { "STRING", PSTW_UNICODE },
		{ "STRING8", PSTW_STRING8 }, { "BINARY", PSTW_BINARY },
		{ "MV_UNICODE", PSTW_MV_UNICODE }
	};
	char *s = xstrdup(p->value), *c1, *c2, *end, *slash;
	const char *v, *e;
	long long n;
	int64_t ft;
	size_t i;
	int is_date, utc;

	memset(r, 0, sizeof *r);
	/* The GUID part has no ':'; split TARGET:TYPE:VALUE. */
	if ((c1 = strchr(s, ':')) == NULL || (c2 = strchr(c1 + 1, ':')) ==
	    NULL) {
		free(s);
		return fx_err(cv, p->line, cause, p->name,
		    "expected TARGET:TYPE:VALUE");
	}
	*c1 = *c2 = '\0';
	v = c2 + 1;
	if (s[0] == '{') {
		if ((slash = strchr(s, '/')) == NULL ||
		    parse_guid(s, r->guid) != 0)
			goto bad_target;
		slash++;
		if (strncasecmp(slash, "0x", 2) == 0) {
			r->named = 1;
			r->lid = strtoul(slash, &end, 16);
			if (*end != '\0')
				goto bad_target;
		} else if (*slash != '\0') {
			r->named = 2;
			r->name = xstrdup(slash);
		} else
			goto bad_target;
	} else {
		errno = 0;
		n = strtoll(s, &end, 16);
		if (errno != 0 || *end != '\0' || n <= 0 || n > 0xFFFF ||
		    strncasecmp(s, "0x", 2) != 0)
			goto bad_target;
		r->tag = (uint16_t)n;
	}
	for (i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcasecmp(c1 + 1, types[i].name) == 0)
			break;
	if (i == sizeof types / sizeof types[0]) {
		fx_err(cv, p->line, cause, p->name, "unknown type \"%s\"",
		    c1 + 1);
		free(s);
		free(r->name);
		r->name = NULL;
		return -1;
	}
	r->type = types[i].type;
	switch (r->type) {
	case PSTW_I2:
	case PSTW_I4:
	case PSTW_BOOL:
	case PSTW_I8:
		errno = 0;
		n = strtoll(v, &end, 0);
		if (errno != 0 || end == v || *end != '\0')
			goto bad_value;
		r->len = r->type == PSTW_I2 ? 2 : r->type == PSTW_BOOL ? 1 :
		    r->type == PSTW_I4 ? 4 : 8;
		r->val = xcalloc(1, 8);
		for (i = 0; i < r->len; i++)
			r->val[i] = (uint8_t)((unsigned long long)n >> (8 * i));
		break;
	case PSTW_SYSTIME:
		if (parse_time_value(v, strlen(v), &ft, &is_date, &utc) != 0)
			goto bad_value;
		r->len = 8;
		r->val = xmalloc(8);
		for (i = 0; i < 8; i++)
			r->val[i] = (uint8_t)((uint64_t)ft >> (8 * i));
		break;
	case PSTW_BINARY:
		if (*v == '\0') {
			r->val = xmalloc(1);
			r->len = 0;
		} else if (goid_hex_decode(v, &r->val, &r->len) != 0)
			goto bad_value;
		break;
	case PSTW_MV_UNICODE:
		for (e = v; ; e++) {
			r->mv = xreallocarray(r->mv, r->nmv + 1,
			    sizeof *r->mv);
			r->mv[r->nmv++] = text_unescape(e, &e, 1);
			if (*e != ',')
				break;
		}
		break;
	default:
		r->val = (uint8_t *)text_unescape(v, NULL, 0);
		r->len = strlen((char *)r->val);
		break;
	}
	free(s);
	return 0;
bad_target:
	free(s);
	free(r->name);
	r->name = NULL;
	return fx_err(cv, p->line, cause, p->name, "bad target: expected "
	    "0xTTTT, {GUID}/0xLID or {GUID}/Name");
bad_value:
	fx_err(cv, p->line, cause, p->name, "bad %s value \"%s\"", c1 + 1, v);
	free(s);
	free(r->name);
	r->name = NULL;
	return -1;
}

/* Append s to an RTF document, escaped; non-ASCII as \uN?. */
static void
rtf_escape(char **buf, size_t *len, size_t *cap, const char *s, int par)
{
	const unsigned char *p = (const unsigned char *)s;
	uint8_t u[8];
	char tmp[32], seq[5];
	size_t n, k;
	int c;

	while (*p != '\0') {
		if (*len + 64 > *cap) {
			*cap = *cap * 2 + 64;
			*buf = xreallocarray(*buf, *cap, 1);
		}
		if (*p == '\\' || *p == '{' || *p == '}') {
			(*buf)[(*len)++] = '\\';
			(*buf)[(*len)++] = *p++;
		} else if (*p == '\n' && par) {
			memcpy(*buf + *len, "\\par\r\n", 6);
			*len += 6;
			p++;
		} else if (*p < 0x80) {
			if (*p != '\r')
				(*buf)[(*len)++] = *p;
			p++;
		} else {
			/* One UTF-8 sequence -> UTF-16 units. */
			for (n = 1; p[n] != '\0' && (p[n] & 0xC0) == 0x80 &&
			    n < 4; n++)
				;
			memcpy(seq, p, n);
			seq[n] = '\0';
			k = 2 * appt_utf8_to_utf16le(seq, u);
			for (n = 0; n < k; n += 2) {
				c = (int16_t)(u[n] | u[n + 1] << 8);
				snprintf(tmp, sizeof tmp, "\\u%d?", c);
				memcpy(*buf + *len, tmp, strlen(tmp));
				*len += strlen(tmp);
			}
			for (p++; (*p & 0xC0) == 0x80; p++)
				;
		}
	}
}

/* X-PST-RTF: the body as compressed RTF, plain or HTML-encapsulating. */
static int
make_rtf(struct conv *cv, const struct cprop *p, struct fixture_appt *a,
    char **cause)
{
	size_t len = 0, cap = 256;
	char *buf = xmalloc(cap), *why = NULL;
	const char *head;
	size_t vlen = strlen(p->value);
	int html = vlen >= 4 && strncasecmp(p->value, "html", 4) == 0;
	int only = vlen >= 4 && strcasecmp(p->value + 4, "-only") == 0;

	if ((!html && (vlen < 4 || strncasecmp(p->value, "text", 4) != 0)) ||
	    (vlen != 4 && !only)) {
		free(buf);
		return fx_err(cv, p->line, cause, p->name,
		    "expected html, text, html-only or text-only");
	}
	if ((html && a->html == NULL) || (!html && a->body == NULL)) {
		free(buf);
		return fx_err(cv, p->line, cause, p->name, "needs %s",
		    html ? "X-ALT-DESC;FMTTYPE=text/html" : "DESCRIPTION");
	}
	head = html ? "{\\rtf1\\ansi\\ansicpg1252\\fromhtml1 \\deff0"
	    "{\\fonttbl{\\f0\\fswiss Arial;}}\r\n{\\*\\htmltag64 " :
	    "{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0\\fswiss "
	    "Calibri;}}\r\n\\f0 ";
	len = strlen(head);
	if (len + 1 > cap) {
		cap = len + 256;
		buf = xreallocarray(buf, cap, 1);
	}
	memcpy(buf, head, len);
	rtf_escape(&buf, &len, &cap, html ? a->html : a->body, !html);
	if (len + 8 > cap) {
		cap = len + 8;
		buf = xreallocarray(buf, cap, 1);
	}
	if (html)
		buf[len++] = '}';
	buf[len++] = '}';
	buf[len] = '\0';
	if (rtf_compress(buf, len, &a->rtf, &a->rtflen, &why) != 0) {
		fx_err(cv, p->line, cause, p->name, "%s", why);
		free(why);
		free(buf);
		return -1;
	}
	free(buf);
	if (only) {
		free(html ? a->html : a->body);
		if (html)
			a->html = NULL;
		else
			a->body = NULL;
	}
	return 0;
}



/* RRULE -> the pattern and its range, in the series' local time. */
static int
parse_rrule(struct conv *cv, const struct cprop *p, struct ev *e,
    char **cause)
{
	char	*why = NULL;
	int	 rv;

	if (icsread_rrule(p->value, e->a.tz, e->a.tz, e->a.start, e->a.end,
	    1, &e->a.pat, &why) == 0)
		return 0;
	rv = fx_err(cv, p->line, cause, "RRULE", "%s", why);
	free(why);
	return rv;
}

static int
parse_goid_prop(struct conv *cv, const struct cprop *p, uint8_t **b,
    size_t *len, char **cause)
{
	if (goid_hex_decode(p->value, b, len) != 0)
		return fx_err(cv, p->line, cause, p->name,
		    "expected an even number of hex digits");
	return 0;
}

static int
parse_broken(struct conv *cv, const struct cprop *p, int *broken,
    char **cause)
{
	static const struct {
		const char	*name;
		int		 bit;
	} kinds[] = {
		{ "recur-truncate", FIXTURE_BROKEN_RECUR_TRUNCATE },
		{ "recur-count-lie", FIXTURE_BROKEN_RECUR_COUNT_LIE },
		{ "tz-truncate", FIXTURE_BROKEN_TZ_TRUNCATE },
		{ "goid-truncate", FIXTURE_BROKEN_GOID_TRUNCATE }
	};
	char *s = xstrdup(p->value), *w, *save = NULL;
	size_t i;

	for (w = strtok_r(s, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (strcasecmp(w, kinds[i].name) == 0)
				break;
		if (i == sizeof kinds / sizeof kinds[0]) {
			fx_err(cv, p->line, cause, p->name,
			    "unknown breakage \"%s\"", w);
			free(s);
			return -1;
		}
		*broken |= kinds[i].bit;
	}
	free(s);
	return 0;
}

/* Outlook's X- properties as their MAPI properties, before X-PST-PROP
 * so that it still overrides. */
static int
outlook_x(struct conv *cv, const struct comp *c, struct fixture_appt *a,
    char **cause)
{
	static const struct {
		const char	*name;
		uint32_t	 lid;		/* 0: the tag 0x0062 */
		uint16_t	 type;
	} map[] = {
		{ "X-MICROSOFT-CDO-OWNERAPPTID", 0, PSTW_I4 },
		{ "X-MICROSOFT-DISALLOW-COUNTER", 0x825A, PSTW_BOOL },
		{ "X-MS-OLK-ALLOWEXTERNCHECK", 0x8246, PSTW_BOOL },
		{ "X-MS-OLK-APPTLASTSEQUENCE", 0x8203, PSTW_I4 },
		{ "X-MS-OLK-APPTSEQTIME", 0x8202, PSTW_SYSTIME },
		{ "X-MS-OLK-AUTOFILLLOCATION", 0x823A, PSTW_BOOL },
		{ "X-MS-OLK-CONFTYPE", 0x8241, PSTW_I4 },
	};
	const struct cprop *p;
	struct fixture_raw *r;
	int64_t ft;
	int32_t n;
	int is_date, utc, i;
	size_t k;

	for (k = 0; k < sizeof map / sizeof map[0]; k++) {
		if ((p = prop_get(c, map[k].name)) == NULL)
			continue;
		a->raw = xreallocarray(a->raw, a->nraw + 1, sizeof *a->raw);
		r = &a->raw[a->nraw];
		memset(r, 0, sizeof *r);
		r->type = map[k].type;
		if (map[k].lid == 0)
			r->tag = 0x0062;
		else {
			r->named = 1;
			memcpy(r->guid, pstw_psetid_appointment, 16);
			r->lid = map[k].lid;
		}
		r->val = xcalloc(1, 8);
		if (map[k].type == PSTW_BOOL) {
			if (strcasecmp(p->value, "TRUE") != 0 &&
			    strcasecmp(p->value, "FALSE") != 0) {
				free(r->val);
				return fx_err(cv, p->line, cause, p->name,
				    "expected TRUE or FALSE");
			}
			r->val[0] = strcasecmp(p->value, "TRUE") == 0;
			r->len = 1;
		} else if (map[k].type == PSTW_I4) {
			if (prop_int(cv, p, INT32_MIN, INT32_MAX, &n,
			    cause) != 0) {
				free(r->val);
				return -1;
			}
			le_put32(r->val, (uint32_t)n);
			r->len = 4;
		} else {
			if (parse_time_value(p->value, strlen(p->value), &ft,
			    &is_date, &utc) != 0) {
				free(r->val);
				return fx_err(cv, p->line, cause, p->name,
				    "expected a date-time");
			}
			for (i = 0; i < 8; i++)
				r->val[i] = (uint8_t)((uint64_t)ft >> (8 * i));
			r->len = 8;
		}
		a->nraw++;
	}
	return 0;
}

/* Everything of one VEVENT or mail component but its recurrence. */
static int
ev_from_comp(struct conv *cv, const struct comp *c, struct ev *e,
    char **cause)
{
	struct fixture_appt *a = &e->a;
	const struct zone *dz = NULL, *z;
	const struct cprop *p;
	struct icaldurationtype du;
	const char *s, *v;
	int is_date, end_date;
	size_t i, k;
	int64_t ft;

	e->line = c->line;
	a->mail = strcmp(c->name, "VEVENT") != 0;
	for (i = 0; i < c->nprops; i++) {
		if (strncmp(c->props[i].name, "X-PST-", 6) != 0)
			continue;
		for (k = 0; k < sizeof known_x / sizeof known_x[0]; k++)
			if (strcmp(c->props[i].name, known_x[k]) == 0)
				break;
		if (k == sizeof known_x / sizeof known_x[0])
			return fx_err(cv, c->props[i].line, cause,
			    c->props[i].name, "unknown X-PST property");
	}
	if ((p = prop_get(c, "UID")) != NULL)
		e->uid = xstrdup(p->value);
	a->folder = prop_text(c, "X-PST-FOLDER");
	a->folder_class = prop_text(c, "X-PST-FOLDER-CLASS");
	a->msgclass = prop_text(c, "X-PST-CLASS");
	a->creator = prop_text(c, "X-PST-CREATOR");
	a->modifier = prop_text(c, "X-PST-MODIFIER");
	a->subject = prop_text(c, "SUMMARY");
	a->location = prop_text(c, "LOCATION");
	a->body = prop_text(c, "DESCRIPTION");
	for (i = 0; i < c->nprops; i++) {
		p = &c->props[i];
		if (strcmp(p->name, "X-ALT-DESC") == 0 &&
		    (s = param_get(p, "FMTTYPE")) != NULL &&
		    strcasecmp(s, "text/html") == 0) {
			free(a->html);
			a->html = text_unescape(p->value, NULL, 0);
		}
	}
	if ((p = prop_get(c, "X-PST-CREATED")) != NULL ||
	    (p = prop_get(c, "CREATED")) != NULL)
		if (prop_utc(cv, p, &a->created, cause) != 0)
			return -1;
	if ((p = prop_get(c, "X-PST-MODIFIED")) != NULL ||
	    (p = prop_get(c, "LAST-MODIFIED")) != NULL)
		if (prop_utc(cv, p, &a->modified, cause) != 0)
			return -1;
	if ((p = prop_get(c, "DTSTAMP")) != NULL &&
	    prop_utc(cv, p, &a->dtstamp, cause) != 0)
		return -1;
	if ((p = prop_get(c, "X-PST-TZID")) != NULL &&
	    (dz = zone_find(cv, p->value)) == NULL)
		return fx_err(cv, p->line, cause, p->name,
		    "no VTIMEZONE \"%s\" in this file", p->value);

	if ((p = prop_get(c, "DTSTART")) != NULL) {
		if (prop_time(cv, p, p->value, strlen(p->value), dz,
		    &a->start, &is_date, &e->zone, cause) != 0)
			return -1;
		a->all_day = is_date;
		a->end = a->start;
		if ((p = prop_get(c, "DTEND")) != NULL) {
			if (prop_time(cv, p, p->value, strlen(p->value),
			    e->zone != NULL ? e->zone : dz, &a->end,
			    &end_date, &z, cause) != 0)
				return -1;
			if (end_date != is_date)
				return fx_err(cv, p->line, cause, p->name,
				    "DTSTART and DTEND must both be dates "
				    "or both date-times");
		} else if ((p = prop_get(c, "DURATION")) != NULL) {
			du = icaldurationtype_from_string(p->value);
			if (icaldurationtype_is_bad_duration(du))
				return fx_err(cv, p->line, cause, p->name,
				    "bad duration \"%s\"", p->value);
			a->end = a->start + (int64_t)icaldurationtype_as_int(
			    du) * 10000000LL;
		} else if (is_date)
			a->end = a->start + FT_PER_DAY;
		if (a->end < a->start)
			return fx_err(cv, p->line, cause, p->name,
			    "ends before it starts");
	} else if (!a->mail)
		return fx_err(cv, c->line, cause, c->name, "no DTSTART");
	if ((p = prop_get(c, "X-MICROSOFT-CDO-ALLDAYEVENT")) != NULL)
		a->all_day = strcasecmp(p->value, "TRUE") == 0;
	if (e->zone != NULL) {
		a->tz = &e->zone->rule;
		a->tzid = e->zone->tzid;
		a->tzdesc = e->zone->desc;
	}

	if ((p = prop_get(c, "TRANSP")) != NULL)
		a->busy = strcasecmp(p->value, "TRANSPARENT") == 0 ? 0 : 2;
	if (busy_value(cv, c, &a->busy, "X-MICROSOFT-CDO-BUSYSTATUS",
	    cause) != 0 || busy_value(cv, c, &a->intended_busy,
	    "X-MICROSOFT-CDO-INTENDEDSTATUS", cause) != 0)
		return -1;
	if ((p = prop_get(c, "CLASS")) != NULL) {
		v = p->value;
		if (strcasecmp(v, "PUBLIC") == 0)
			a->sensitivity = 0;
		else if (strcasecmp(v, "X-PERSONAL") == 0 ||
		    strcasecmp(v, "PERSONAL") == 0)
			a->sensitivity = 1;
		else if (strcasecmp(v, "PRIVATE") == 0)
			a->sensitivity = 2;
		else if (strcasecmp(v, "CONFIDENTIAL") == 0)
			a->sensitivity = 3;
		else
			return fx_err(cv, p->line, cause, p->name,
			    "unknown class \"%s\"", v);
	}
	if ((p = prop_get(c, "PRIORITY")) != NULL) {
		int32_t pr;
		if (prop_int(cv, p, 0, 9, &pr, cause) != 0)
			return -1;
		a->importance = pr == 0 || pr == 5 ? 1 : pr < 5 ? 2 : 0;
	}
	if ((p = prop_get(c, "X-MICROSOFT-CDO-IMPORTANCE")) != NULL &&
	    prop_int(cv, p, 0, 2, &a->importance, cause) != 0)
		return -1;
	for (i = 0; i < c->nprops; i++) {
		if (strcmp(c->props[i].name, "CATEGORIES") != 0)
			continue;
		for (s = c->props[i].value; ; s++) {
			a->categories = xreallocarray(a->categories,
			    a->ncategories + 1, sizeof *a->categories);
			a->categories[a->ncategories++] =
			    text_unescape(s, &s, 1);
			if (*s != ',')
				break;
		}
	}
	if ((p = prop_get(c, "SEQUENCE")) != NULL &&
	    prop_int(cv, p, 0, INT32_MAX, &a->sequence, cause) != 0)
		return -1;
	parse_people(c, a);
	if ((p = prop_get(c, "X-PST-STATE")) != NULL) {
		if (prop_int(cv, p, 0, INT32_MAX, &a->state, cause) != 0)
			return -1;
	} else if ((p = prop_get(c, "STATUS")) != NULL &&
	    strcasecmp(p->value, "CANCELLED") == 0)
		a->state = (a->nrcpts > 0) | 0x4;
	if ((p = prop_get(c, "X-PST-RESPONSE")) != NULL &&
	    prop_int(cv, p, 0, 5, &a->response, cause) != 0)
		return -1;
	if (parse_alarm(cv, c, &a->reminder_set, &a->reminder_min,
	    cause) != 0)
		return -1;

	if (prop_get(c, "X-PST-NO-GOID") == NULL) {
		if ((p = prop_get(c, "X-PST-GOID")) != NULL) {
			if (parse_goid_prop(cv, p, &a->goid, &a->goidlen,
			    cause) != 0)
				return -1;
		} else if (e->uid != NULL)
			goid_from_uid(e->uid, &a->goid, &a->goidlen);
		if ((p = prop_get(c, "X-PST-CLEAN-GOID")) != NULL) {
			if (parse_goid_prop(cv, p, &a->clean_goid,
			    &a->cleanlen, cause) != 0)
				return -1;
		} else if (a->goid != NULL) {
			a->clean_goid = xmemdup(a->goid, a->goidlen);
			a->cleanlen = a->goidlen;
			if (a->cleanlen >= 20)
				memset(a->clean_goid + 16, 0, 4);
		}
	}
	if (!a->mail && outlook_x(cv, c, a, cause) != 0)
		return -1;
	for (i = 0; i < c->nprops; i++) {
		p = &c->props[i];
		if (strcmp(p->name, "X-PST-PROP") == 0) {
			a->raw = xreallocarray(a->raw, a->nraw + 1,
			    sizeof *a->raw);
			if (parse_raw(cv, p, &a->raw[a->nraw], cause) != 0)
				return -1;
			a->nraw++;
		} else if (strcmp(p->name, "X-PST-BROKEN") == 0) {
			if (parse_broken(cv, p, &a->broken, cause) != 0)
				return -1;
		} else if (strcmp(p->name, "X-PST-ATTACH-COUNT") == 0) {
			if (prop_int(cv, p, 0, 100000, &a->attach_count,
			    cause) != 0)
				return -1;
		} else if (strcmp(p->name, "X-PST-ATTACH") == 0) {
			if (a->attach_name != NULL)
				return fx_err(cv, p->line, cause, p->name,
				    "only one attachment per item");
			s = param_get(p, "FILENAME");
			a->attach_name = xstrdup(s != NULL ? s :
			    "attachment.txt");
			a->attach_data = (uint8_t *)text_unescape(p->value,
			    NULL, 0);
			a->attach_len = strlen((char *)a->attach_data);
		}
	}
	if ((p = prop_get(c, "X-PST-RTF")) != NULL &&
	    make_rtf(cv, p, a, cause) != 0)
		return -1;

	if ((p = prop_get(c, "RECURRENCE-ID")) != NULL) {
		if (a->mail || e->uid == NULL)
			return fx_err(cv, p->line, cause, p->name,
			    "needs a VEVENT with a UID");
		if (prop_time(cv, p, p->value, strlen(p->value),
		    e->zone != NULL ? e->zone : dz, &e->rid, &is_date, NULL,
		    cause) != 0)
			return -1;
		e->is_exc = 1;
	}
	if ((p = prop_get(c, "RRULE")) != NULL) {
		if (a->mail || e->is_exc)
			return fx_err(cv, p->line, cause, p->name,
			    "only a master VEVENT can recur");
		a->recurring = 1;
		if (parse_rrule(cv, p, e, cause) != 0)
			return -1;
	}
	for (i = 0; i < c->nprops; i++) {
		p = &c->props[i];
		if (strcmp(p->name, "EXDATE") != 0)
			continue;
		if (!a->recurring)
			return fx_err(cv, p->line, cause, p->name,
			    "EXDATE without RRULE");
		for (s = p->value; ; s = v + 1) {
			v = strchr(s, ',');
			if (v == NULL)
				v = s + strlen(s);
			if (prop_time(cv, p, s, v - s, e->zone != NULL ?
			    e->zone : dz, &ft, &is_date, NULL, cause) != 0)
				return -1;
			a->exdates = xreallocarray(a->exdates,
			    a->nexdates + 1, sizeof *a->exdates);
			/* A DATE EXDATE means the instance on that day. */
			if (is_date)
				ft += (int64_t)a->pat.start_offset *
				    FT_PER_MIN;
			a->exdates[a->nexdates++] = ft;
			if (*v == '\0')
				break;
		}
	}
	return 0;
}

static int
str_eq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static char *
differs(char *exc, const char *master)
{
	if (exc == NULL || str_eq(exc, master)) {
		free(exc);
		return NULL;
	}
	return exc;
}

/* Attach exception e to its master among evs. */
static int
add_exception(struct conv *cv, struct ev *evs, size_t n, struct ev *e,
    char **cause)
{
	struct fixture_appt *m = NULL, *a = &e->a;
	struct fixture_exc *x;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!evs[i].is_exc && evs[i].a.recurring &&
		    str_eq(evs[i].uid, e->uid) &&
		    str_eq(evs[i].a.creator, a->creator)) {
			m = &evs[i].a;
			break;
		}
	}
	if (m == NULL)
		return fx_err(cv, e->line, cause, "RECURRENCE-ID",
		    "no recurring VEVENT with UID %s%s%s", e->uid,
		    a->creator != NULL ? " and X-PST-CREATOR " : "",
		    a->creator != NULL ? a->creator : "");
	for (i = 0; i < m->nexcs; i++)
		if (m->excs[i].orig_start == e->rid)
			return fx_err(cv, e->line, cause, "RECURRENCE-ID",
			    "the same occurrence is modified twice");
	m->excs = xreallocarray(m->excs, m->nexcs + 1, sizeof *m->excs);
	x = &m->excs[m->nexcs++];
	memset(x, 0, sizeof *x);
	x->orig_start = e->rid;
	x->start = a->start;
	x->end = a->end;
	x->subject = differs(a->subject, m->subject);
	x->location = differs(a->location, m->location);
	x->body = differs(a->body, m->body);
	a->subject = a->location = a->body = NULL;
	x->busy = a->busy != m->busy ? a->busy : -1;
	x->reminder_set = a->reminder_set != m->reminder_set ?
	    a->reminder_set : -1;
	x->reminder_min = a->reminder_min != m->reminder_min ?
	    a->reminder_min : -1;
	if (a->nrcpts > 0) {
		x->rcpts = a->rcpts;
		x->nrcpts = a->nrcpts;
		a->rcpts = NULL;
		a->nrcpts = 0;
	}
	return 0;
}

static char *
read_all(const char *path, size_t *lenp, char **cause)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len + 65536 + 1 > cap) {
			cap = len + 65536 + 1;
			buf = xreallocarray(buf, cap, 1);
		}
		n = fread(buf + len, 1, 65536, f);
		len += n;
		if (n < 65536)
			break;
	}
	if (ferror(f)) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* X-PST-FORMAT and X-PST-CRYPT in VCALENDAR: the file's form. */
static int
file_form(struct conv *cv, const struct comp *root, struct pstw_opts *po,
    char **cause)
{
	struct cprop *p;

	memset(po, 0, sizeof *po);
	if ((p = prop_get(root, "X-PST-FORMAT")) != NULL) {
		if (strcasecmp(p->value, "ANSI") == 0)
			po->ansi = 1;
		else if (strcasecmp(p->value, "UNICODE") != 0)
			return fx_err(cv, p->line, cause, p->name,
			    "expected ANSI or UNICODE");
	}
	if ((p = prop_get(root, "X-PST-CRYPT")) != NULL) {
		if (strcasecmp(p->value, "PERMUTE") == 0)
			po->crypt = PST_CRYPT_PERMUTE;
		else if (strcasecmp(p->value, "CYCLIC") == 0)
			po->crypt = PST_CRYPT_CYCLIC;
		else if (strcasecmp(p->value, "NONE") != 0)
			return fx_err(cv, p->line, cause, p->name,
			    "expected NONE, PERMUTE or CYCLIC");
	}
	return 0;
}

int
fixture_convert(const char *in, const char *out, int *kind, char **cause)
{
	struct conv cv;
	struct comp *root = NULL, *c;
	struct ev *evs = NULL;
	struct fixture_folders *ff = NULL;
	struct pstw *w = NULL;
	struct pstw_opts po;
	char *text, *why;
	size_t nevs = 0, i, len, nul;
	int rv = -1, line;

	memset(&cv, 0, sizeof cv);
	cv.file = in;
	*kind = FIXTURE_ENOINPUT;
	if ((text = read_all(in, &len, cause)) == NULL)
		return -1;
	*kind = FIXTURE_EDATA;
	if ((nul = strlen(text)) != len) {
		for (i = 0, line = 1; i < nul; i++)
			line += text[i] == '\n';
		fx_err(&cv, line, cause, "NUL", "a NUL byte in the text");
		goto out;
	}
	if (parse_file(&cv, text, &root, cause) != 0)
		goto out;
	for (i = 0; i < root->nkids; i++)
		if (strcmp(root->kids[i]->name, "VTIMEZONE") == 0 &&
		    parse_vtimezone(&cv, root->kids[i], cause) != 0)
			goto out;
	for (i = 0; i < root->nkids; i++) {
		c = root->kids[i];
		if (strcmp(c->name, "VTIMEZONE") == 0)
			continue;
		if (strcmp(c->name, "VEVENT") != 0 &&
		    strcmp(c->name, "VJOURNAL") != 0 &&
		    strcmp(c->name, "X-PST-MAIL") != 0) {
			fx_err(&cv, c->line, cause, c->name, "unsupported "
			    "component (VEVENT, VJOURNAL, X-PST-MAIL)");
			goto out;
		}
		evs = xreallocarray(evs, nevs + 1, sizeof *evs);
		memset(&evs[nevs], 0, sizeof *evs);
		fixture_appt_init(&evs[nevs].a);
		nevs++;
		if (ev_from_comp(&cv, c, &evs[nevs - 1], cause) != 0)
			goto out;
	}
	for (i = 0; i < nevs; i++)
		if (evs[i].is_exc &&
		    add_exception(&cv, evs, nevs, &evs[i], cause) != 0)
			goto out;

	if (file_form(&cv, root, &po, cause) != 0)
		goto out;
	if (pstw_open_opts(out, "Personal Folders", &po, &w, cause) != 0) {
		*kind = FIXTURE_ECREATE;
		goto out;
	}
	ff = fixture_folders_new();
	for (i = 0; i < nevs; i++) {
		if (evs[i].is_exc)
			continue;
		if (fixture_write(w, ff, &evs[i].a, kind, cause) != 0) {
			pstw_abort(w);
			if (*kind == FIXTURE_EDATA) {
				why = *cause;
				fx_err(&cv, evs[i].line, cause, "VEVENT", "%s",
				    why);
				free(why);
			}
			goto out;
		}
	}
	if (pstw_close(w, cause) != 0) {
		*kind = FIXTURE_EIO;
		remove(out);
		goto out;
	}
	rv = 0;
out:
	fixture_folders_free(ff);
	for (i = 0; i < nevs; i++) {
		free(evs[i].uid);
		fixture_appt_free(&evs[i].a);
	}
	free(evs);
	for (i = 0; i < cv.nzones; i++) {
		free(cv.zones[i].tzid);
		free(cv.zones[i].desc);
	}
	free(cv.zones);
	comp_free(root);
	free(text);
	return rv;
}
