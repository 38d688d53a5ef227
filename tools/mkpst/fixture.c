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
 * BYMONTH and BYDAY (or BYMONTHDAY) RRULE, read by pstdedup's own zone
 * reader (icsread_zone); the TZID is the Windows key name.
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
 *   X-PST-ATTACH;FILENAME=f:text   a file attachment (;X-METHOD=OLE:
 *                            an OLE object, method 6, its bytes text)
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
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "fixture_int.h"
#include "ft.h"
#include "goid.h"
#include "le.h"
#include "pst/mapi.h"
#include "pstwrite.h"
#include "xmalloc.h"

static const char *const known_x[] = {
	"X-PST-FOLDER", "X-PST-FOLDER-CLASS", "X-PST-CLASS", "X-PST-CREATOR",
	"X-PST-MODIFIER", "X-PST-CREATED", "X-PST-MODIFIED", "X-PST-GOID",
	"X-PST-CLEAN-GOID", "X-PST-NO-GOID", "X-PST-STATE", "X-PST-RESPONSE",
	"X-PST-TZID", "X-PST-RTF", "X-PST-ATTACH", "X-PST-PROP",
	"X-PST-BROKEN", "X-PST-ATTACH-COUNT"
};

/* Outlook's X- properties as their MAPI properties, before X-PST-PROP
 * so that it still overrides. */
static int
outlook_x(struct conv *cv, const struct comp *c, struct fixture_appt *a,
    char **cause)
{
	static const struct {
		const char	*name;
		uint32_t	 lid;		/* 0: MAPI_ID_OWNER_APPT_ID */
		uint16_t	 type;
	} map[] = {
		{ "X-MICROSOFT-CDO-OWNERAPPTID", 0, PSTW_I4 },
		{ "X-MICROSOFT-DISALLOW-COUNTER",
		    MAPI_LID_APPT_NOT_ALLOW_PROPOSE, PSTW_BOOL },
		{ "X-MS-OLK-ALLOWEXTERNCHECK",
		    MAPI_LID_ALLOW_EXTERNAL_CHECK, PSTW_BOOL },
		{ "X-MS-OLK-APPTLASTSEQUENCE",
		    MAPI_LID_APPT_LAST_SEQUENCE, PSTW_I4 },
		{ "X-MS-OLK-APPTSEQTIME",
		    MAPI_LID_APPT_SEQUENCE_TIME, PSTW_SYSTIME },
		{ "X-MS-OLK-AUTOFILLLOCATION",
		    MAPI_LID_AUTOFILL_LOCATION, PSTW_BOOL },
		{ "X-MS-OLK-CONFTYPE",
		    MAPI_LID_CONFERENCING_TYPE, PSTW_I4 },
	};
	const struct cprop *p;
	struct fixture_raw *r;
	int64_t ft;
	int32_t n;
	int is_date, utc, i;
	size_t k;

	for (k = 0; k < sizeof map / sizeof map[0]; k++) {
		if ((p = fx_prop_get(c, map[k].name)) == NULL)
			continue;
		a->raw = xreallocarray(a->raw, a->nraw + 1, sizeof *a->raw);
		r = &a->raw[a->nraw];
		memset(r, 0, sizeof *r);
		r->type = map[k].type;
		if (map[k].lid == 0)
			r->tag = MAPI_ID_OWNER_APPT_ID;
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
			if (fx_prop_int(cv, p, INT32_MIN, INT32_MAX, &n,
			    cause) != 0) {
				free(r->val);
				return -1;
			}
			le_put32(r->val, (uint32_t)n);
			r->len = 4;
		} else {
			if (fx_parse_time_value(p->value, strlen(p->value), &ft,
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

/* Unknown X-PST- properties are errors (a typo would go unnoticed). */
static int
ev_known_x(struct conv *cv, const struct comp *c, char **cause)
{
	size_t	i, k;

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
	return 0;
}

/* UID, folder, class, people's names and the texts. */
static void
ev_texts(const struct comp *c, struct ev *e)
{
	struct fixture_appt	*a = &e->a;
	const struct cprop	*p;
	const char		*s;
	size_t			 i;

	if ((p = fx_prop_get(c, "UID")) != NULL)
		e->uid = xstrdup(p->value);
	a->folder = fx_prop_text(c, "X-PST-FOLDER");
	a->folder_class = fx_prop_text(c, "X-PST-FOLDER-CLASS");
	a->msgclass = fx_prop_text(c, "X-PST-CLASS");
	a->creator = fx_prop_text(c, "X-PST-CREATOR");
	a->modifier = fx_prop_text(c, "X-PST-MODIFIER");
	a->subject = fx_prop_text(c, "SUMMARY");
	a->location = fx_prop_text(c, "LOCATION");
	a->body = fx_prop_text(c, "DESCRIPTION");
	for (i = 0; i < c->nprops; i++) {
		p = &c->props[i];
		if (strcmp(p->name, "X-ALT-DESC") == 0 &&
		    (s = fx_param_get(p, "FMTTYPE")) != NULL &&
		    strcasecmp(s, "text/html") == 0) {
			free(a->html);
			a->html = fx_text_unescape(p->value, NULL, 0);
		}
	}
}

/* Creation, modification and DTSTAMP, all UTC. */
static int
ev_stamps(struct conv *cv, const struct comp *c, struct fixture_appt *a,
    char **cause)
{
	const struct cprop	*p;

	if ((p = fx_prop_get(c, "X-PST-CREATED")) != NULL ||
	    (p = fx_prop_get(c, "CREATED")) != NULL)
		if (fx_prop_utc(cv, p, &a->created, cause) != 0)
			return -1;
	if ((p = fx_prop_get(c, "X-PST-MODIFIED")) != NULL ||
	    (p = fx_prop_get(c, "LAST-MODIFIED")) != NULL)
		if (fx_prop_utc(cv, p, &a->modified, cause) != 0)
			return -1;
	if ((p = fx_prop_get(c, "DTSTAMP")) != NULL &&
	    fx_prop_utc(cv, p, &a->dtstamp, cause) != 0)
		return -1;
	return 0;
}

/* X-PST-TZID (the zone of floating times, into *dz), start, end or
 * duration, all-day and the zone of the times. */
static int
ev_times(struct conv *cv, const struct comp *c, struct ev *e,
    const struct zone **dzp, char **cause)
{
	struct fixture_appt	*a = &e->a;
	const struct zone	*dz = NULL, *z;
	const struct cprop	*p;
	struct icaldurationtype	 du;
	int			 is_date, end_date;

	if ((p = fx_prop_get(c, "X-PST-TZID")) != NULL &&
	    (dz = fx_zone_find(cv, p->value)) == NULL)
		return fx_err(cv, p->line, cause, p->name,
		    "no VTIMEZONE \"%s\" in this file", p->value);

	if ((p = fx_prop_get(c, "DTSTART")) != NULL) {
		if (fx_prop_time(cv, p, p->value, strlen(p->value), dz,
		    &a->start, &is_date, &e->zone, cause) != 0)
			return -1;
		a->all_day = is_date;
		a->end = a->start;
		if ((p = fx_prop_get(c, "DTEND")) != NULL) {
			if (fx_prop_time(cv, p, p->value, strlen(p->value),
			    e->zone != NULL ? e->zone : dz, &a->end,
			    &end_date, &z, cause) != 0)
				return -1;
			if (end_date != is_date)
				return fx_err(cv, p->line, cause, p->name,
				    "DTSTART and DTEND must both be dates "
				    "or both date-times");
		} else if ((p = fx_prop_get(c, "DURATION")) != NULL) {
			du = icaldurationtype_from_string(p->value);
			if (icaldurationtype_is_bad_duration(du))
				return fx_err(cv, p->line, cause, p->name,
				    "bad duration \"%s\"", p->value);
			a->end = a->start + (int64_t)icaldurationtype_as_int(
			    du) * FT_SEC;
		} else if (is_date)
			a->end = a->start + FT_DAY;
		if (a->end < a->start)
			return fx_err(cv, p->line, cause, p->name,
			    "ends before it starts");
	} else if (!a->mail)
		return fx_err(cv, c->line, cause, c->name, "no DTSTART");
	if ((p = fx_prop_get(c, "X-MICROSOFT-CDO-ALLDAYEVENT")) != NULL)
		a->all_day = strcasecmp(p->value, "TRUE") == 0;
	if (e->zone != NULL) {
		a->tz = &e->zone->rule;
		a->tzid = e->zone->tzid;
		a->tzdesc = e->zone->desc;
	}
	*dzp = dz;
	return 0;
}

/* Busy status, sensitivity, importance and categories. */
static int
ev_flags(struct conv *cv, const struct comp *c, struct fixture_appt *a,
    char **cause)
{
	const struct cprop	*p;
	const char		*s, *v;
	size_t			 i;

	if ((p = fx_prop_get(c, "TRANSP")) != NULL)
		a->busy = strcasecmp(p->value, "TRANSPARENT") == 0 ? 0 : 2;
	if (fx_busy_value(cv, c, &a->busy, "X-MICROSOFT-CDO-BUSYSTATUS",
	    cause) != 0 || fx_busy_value(cv, c, &a->intended_busy,
	    "X-MICROSOFT-CDO-INTENDEDSTATUS", cause) != 0)
		return -1;
	if ((p = fx_prop_get(c, "CLASS")) != NULL) {
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
	if ((p = fx_prop_get(c, "PRIORITY")) != NULL) {
		int32_t pr;
		if (fx_prop_int(cv, p, 0, 9, &pr, cause) != 0)
			return -1;
		a->importance = pr == 0 || pr == 5 ? 1 : pr < 5 ? 2 : 0;
	}
	if ((p = fx_prop_get(c, "X-MICROSOFT-CDO-IMPORTANCE")) != NULL &&
	    fx_prop_int(cv, p, 0, 2, &a->importance, cause) != 0)
		return -1;
	for (i = 0; i < c->nprops; i++) {
		if (strcmp(c->props[i].name, "CATEGORIES") != 0)
			continue;
		for (s = c->props[i].value; ; s++) {
			a->categories = xreallocarray(a->categories,
			    a->ncategories + 1, sizeof *a->categories);
			a->categories[a->ncategories++] =
			    fx_text_unescape(s, &s, 1);
			if (*s != ',')
				break;
		}
	}
	return 0;
}

/* Sequence, organizer and attendees, state, response and the alarm. */
static int
ev_people(struct conv *cv, const struct comp *c, struct fixture_appt *a,
    char **cause)
{
	const struct cprop	*p;

	if ((p = fx_prop_get(c, "SEQUENCE")) != NULL &&
	    fx_prop_int(cv, p, 0, INT32_MAX, &a->sequence, cause) != 0)
		return -1;
	fx_parse_people(c, a);
	if ((p = fx_prop_get(c, "X-PST-STATE")) != NULL) {
		if (fx_prop_int(cv, p, 0, INT32_MAX, &a->state, cause) != 0)
			return -1;
	} else if ((p = fx_prop_get(c, "STATUS")) != NULL &&
	    strcasecmp(p->value, "CANCELLED") == 0)
		a->state = (a->nrcpts > 0) | 0x4;
	if ((p = fx_prop_get(c, "X-PST-RESPONSE")) != NULL &&
	    fx_prop_int(cv, p, 0, 5, &a->response, cause) != 0)
		return -1;
	if (fx_parse_alarm(cv, c, &a->reminder_set, &a->reminder_min,
	    cause) != 0)
		return -1;
	return 0;
}

/* The GOID and Clean GOID: explicit, or from the UID. */
static int
ev_goid(struct conv *cv, const struct comp *c, struct ev *e, char **cause)
{
	struct fixture_appt	*a = &e->a;
	const struct cprop	*p;

	if (fx_prop_get(c, "X-PST-NO-GOID") == NULL) {
		if ((p = fx_prop_get(c, "X-PST-GOID")) != NULL) {
			if (fx_parse_goid_prop(cv, p, &a->goid, &a->goidlen,
			    cause) != 0)
				return -1;
		} else if (e->uid != NULL)
			goid_from_uid(e->uid, &a->goid, &a->goidlen);
		if ((p = fx_prop_get(c, "X-PST-CLEAN-GOID")) != NULL) {
			if (fx_parse_goid_prop(cv, p, &a->clean_goid,
			    &a->cleanlen, cause) != 0)
				return -1;
		} else if (a->goid != NULL) {
			a->clean_goid = xmemdup(a->goid, a->goidlen);
			a->cleanlen = a->goidlen;
			if (a->cleanlen >= 20)
				memset(a->clean_goid + 16, 0, 4);
		}
	}
	return 0;
}

/* Outlook's X- properties, raw properties, damage, attachments, RTF. */
static int
ev_extras(struct conv *cv, const struct comp *c, struct fixture_appt *a,
    char **cause)
{
	const struct cprop	*p;
	const char		*s;
	size_t			 i;

	if (!a->mail && outlook_x(cv, c, a, cause) != 0)
		return -1;
	for (i = 0; i < c->nprops; i++) {
		p = &c->props[i];
		if (strcmp(p->name, "X-PST-PROP") == 0) {
			a->raw = xreallocarray(a->raw, a->nraw + 1,
			    sizeof *a->raw);
			if (fx_parse_raw(cv, p, &a->raw[a->nraw], cause) != 0)
				return -1;
			a->nraw++;
		} else if (strcmp(p->name, "X-PST-BROKEN") == 0) {
			if (fx_parse_broken(cv, p, &a->broken, cause) != 0)
				return -1;
		} else if (strcmp(p->name, "X-PST-ATTACH-COUNT") == 0) {
			if (fx_prop_int(cv, p, 0, 100000, &a->attach_count,
			    cause) != 0)
				return -1;
		} else if (strcmp(p->name, "X-PST-ATTACH") == 0) {
			if (a->attach_name != NULL)
				return fx_err(cv, p->line, cause, p->name,
				    "only one attachment per item");
			s = fx_param_get(p, "FILENAME");
			a->attach_name = xstrdup(s != NULL ? s :
			    "attachment.txt");
			a->attach_data = (uint8_t *)fx_text_unescape(p->value,
			    NULL, 0);
			a->attach_len = strlen((char *)a->attach_data);
			s = fx_param_get(p, "X-METHOD");
			a->attach_ole = s != NULL && strcasecmp(s, "OLE") == 0;
		}
	}
	if ((p = fx_prop_get(c, "X-PST-RTF")) != NULL &&
	    fx_make_rtf(cv, p, a, cause) != 0)
		return -1;
	return 0;
}

/* RECURRENCE-ID, RRULE and EXDATE; dz: the X-PST-TZID zone. */
static int
ev_recurrence(struct conv *cv, const struct comp *c, struct ev *e,
    const struct zone *dz, char **cause)
{
	struct fixture_appt	*a = &e->a;
	const struct cprop	*p;
	const char		*s, *v;
	int			 is_date;
	int64_t			 ft;
	size_t			 i;

	if ((p = fx_prop_get(c, "RECURRENCE-ID")) != NULL) {
		if (a->mail || e->uid == NULL)
			return fx_err(cv, p->line, cause, p->name,
			    "needs a VEVENT with a UID");
		if (fx_prop_time(cv, p, p->value, strlen(p->value),
		    e->zone != NULL ? e->zone : dz, &e->rid, &is_date, NULL,
		    cause) != 0)
			return -1;
		e->is_exc = 1;
	}
	if ((p = fx_prop_get(c, "RRULE")) != NULL) {
		if (a->mail || e->is_exc)
			return fx_err(cv, p->line, cause, p->name,
			    "only a master VEVENT can recur");
		a->recurring = 1;
		if (fx_parse_rrule(cv, p, e, cause) != 0)
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
			if (fx_prop_time(cv, p, s, v - s, e->zone != NULL ?
			    e->zone : dz, &ft, &is_date, NULL, cause) != 0)
				return -1;
			a->exdates = xreallocarray(a->exdates,
			    a->nexdates + 1, sizeof *a->exdates);
			/* A DATE EXDATE means the instance on that day. */
			if (is_date)
				ft += (int64_t)a->pat.start_offset *
				    FT_MIN;
			a->exdates[a->nexdates++] = ft;
			if (*v == '\0')
				break;
		}
	}
	return 0;
}

/* Everything of one VEVENT or mail component but its recurrence. */
static int
ev_from_comp(struct conv *cv, const struct comp *c, struct ev *e,
    char **cause)
{
	const struct zone	*dz = NULL;

	e->line = c->line;
	e->a.mail = strcmp(c->name, "VEVENT") != 0;
	if (ev_known_x(cv, c, cause) != 0)
		return -1;
	ev_texts(c, e);
	if (ev_stamps(cv, c, &e->a, cause) != 0 ||
	    ev_times(cv, c, e, &dz, cause) != 0 ||
	    ev_flags(cv, c, &e->a, cause) != 0 ||
	    ev_people(cv, c, &e->a, cause) != 0 ||
	    ev_goid(cv, c, e, cause) != 0 ||
	    ev_extras(cv, c, &e->a, cause) != 0 ||
	    ev_recurrence(cv, c, e, dz, cause) != 0)
		return -1;
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

/* X-PST-FORMAT and X-PST-CRYPT in VCALENDAR: the file's form. */
static int
file_form(struct conv *cv, const struct comp *root, struct pstw_opts *po,
    char **cause)
{
	struct cprop *p;

	memset(po, 0, sizeof *po);
	if ((p = fx_prop_get(root, "X-PST-FORMAT")) != NULL) {
		if (strcasecmp(p->value, "ANSI") == 0)
			po->ansi = 1;
		else if (strcasecmp(p->value, "UNICODE") != 0)
			return fx_err(cv, p->line, cause, p->name,
			    "expected ANSI or UNICODE");
	}
	if ((p = fx_prop_get(root, "X-PST-CRYPT")) != NULL) {
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
	if ((text = fx_read_all(in, &len, cause)) == NULL)
		return -1;
	*kind = FIXTURE_EDATA;
	if ((nul = strlen(text)) != len) {
		for (i = 0, line = 1; i < nul; i++)
			line += text[i] == '\n';
		fx_err(&cv, line, cause, "NUL", "a NUL byte in the text");
		goto out;
	}
	if (fx_parse_file(&cv, text, &root, cause) != 0)
		goto out;
	for (i = 0; i < root->nkids; i++)
		if (strcmp(root->kids[i]->name, "VTIMEZONE") == 0 &&
		    fx_parse_vtimezone(&cv, root->kids[i], cause) != 0)
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
	fx_comp_free(root);
	free(text);
	return rv;
}
