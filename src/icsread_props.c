/* icsread_props.c: a VEVENT's plain properties into struct appt
 * fields: text, people, alarm, busy status, attachments and the
 * properties kept raw. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "ft.h"
#include "icsread_int.h"
#include "model.h"
#include "text.h"
#include "xmalloc.h"

/* libical's text as clean model text. */
char *
ics_xtext(const char *s)
{
	return s != NULL ? text_clean(xstrdup(s)) : NULL;
}

static const char *
x_value(icalcomponent *ev, const char *name)
{
	icalproperty	*p;
	const char	*xn;

	for (p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(ev,
	    ICAL_X_PROPERTY)) {
		if ((xn = icalproperty_get_x_name(p)) != NULL &&
		    strcasecmp(xn, name) == 0)
			return icalproperty_get_x(p);
	}
	return NULL;
}

int
ics_x_bool(icalcomponent *ev, const char *name)
{
	const char	*v = x_value(ev, name);

	if (v == NULL)
		return APPT_ABSENT;
	return strcasecmp(v, "TRUE") == 0 ? 1 :
	    strcasecmp(v, "FALSE") == 0 ? 0 : APPT_ABSENT;
}

static int
x_int(icalcomponent *ev, const char *name, int32_t *out)
{
	const char	*v = x_value(ev, name);
	char		*end;
	long long	 n;

	if (v == NULL)
		return 0;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0 || n < INT32_MIN ||
	    n > INT32_MAX)
		return 0;
	*out = (int32_t)n;
	return 1;
}

static int32_t
busy_of(const char *v)
{
	static const char *const names[] = {
		"FREE", "TENTATIVE", "BUSY", "OOF", "WORKINGELSEWHERE"
	};
	size_t	i;

	for (i = 0; v != NULL && i < 5; i++)
		if (strcasecmp(v, names[i]) == 0)
			return (int32_t)i;
	return APPT_ABSENT;
}

static int64_t
utc_of(icalproperty *p)
{
	struct icaltimetype	t;

	if (p == NULL)
		return APPT_NOTIME;
	t = icalvalue_get_datetime(icalproperty_get_value(p));
	if (icaltime_is_null_time(t) || t.year < 1601 || t.month < 1 ||
	    t.month > 12 || t.day < 1 || t.day > 31)
		return APPT_NOTIME;
	return ft_from_civil(t.year, t.month, t.day, t.hour, t.minute,
	    t.second);
}

static char *
strip_mailto(const char *s)
{
	if (s == NULL)
		return NULL;
	if (strncasecmp(s, "mailto:", 7) == 0)
		s += 7;
	if (strcasecmp(s, "invalid:nomail") == 0 || *s == '\0')
		return NULL;
	return ics_xtext(s);
}

static void
people(icalcomponent *ev, struct appt *a)
{
	icalproperty	*p;
	icalparameter	*par;
	struct appt_person *r;
	const char	*cn;

	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_ORGANIZER_PROPERTY)) != NULL) {
		a->org_email = strip_mailto(icalproperty_get_organizer(p));
		if ((par = icalproperty_get_first_parameter(p,
		    ICAL_CN_PARAMETER)) != NULL &&
		    (cn = icalparameter_get_cn(par)) != NULL)
			a->org_name = ics_xtext(cn);
		a->state = APPT_STATE_MEETING;
	}
	for (p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(ev,
	    ICAL_ATTENDEE_PROPERTY)) {
		a->rcpts = xreallocarray(a->rcpts, a->nrcpts + 1,
		    sizeof *a->rcpts);
		r = &a->rcpts[a->nrcpts++];
		memset(r, 0, sizeof *r);
		r->email = strip_mailto(icalproperty_get_attendee(p));
		r->addrtype = xstrdup("SMTP");
		if ((par = icalproperty_get_first_parameter(p,
		    ICAL_CN_PARAMETER)) != NULL &&
		    (cn = icalparameter_get_cn(par)) != NULL)
			r->name = ics_xtext(cn);
		r->type = 1;
		if ((par = icalproperty_get_first_parameter(p,
		    ICAL_CUTYPE_PARAMETER)) != NULL &&
		    icalparameter_get_cutype(par) == ICAL_CUTYPE_RESOURCE)
			r->type = 3;
		else if ((par = icalproperty_get_first_parameter(p,
		    ICAL_ROLE_PARAMETER)) != NULL &&
		    icalparameter_get_role(par) == ICAL_ROLE_OPTPARTICIPANT)
			r->type = 2;
		r->flags = APPT_RCPT_SENDABLE;
		r->track_status = 0;
		if ((par = icalproperty_get_first_parameter(p,
		    ICAL_PARTSTAT_PARAMETER)) != NULL) {
			switch (icalparameter_get_partstat(par)) {
			case ICAL_PARTSTAT_TENTATIVE:
				r->track_status = 2;
				break;
			case ICAL_PARTSTAT_ACCEPTED:
				r->track_status = 3;
				break;
			case ICAL_PARTSTAT_DECLINED:
				r->track_status = 4;
				break;
			default:
				break;
			}
		}
		a->state = APPT_STATE_MEETING;
	}
}

static void
alarm(icalcomponent *ev, struct appt *a)
{
	icalcomponent		*al;
	icalproperty		*p;
	struct icaltriggertype	 tr;
	int			 sec;

	if ((al = icalcomponent_get_first_component(ev,
	    ICAL_VALARM_COMPONENT)) == NULL)
		return;
	a->reminder_set = 1;
	a->reminder_min = 15;
	if ((p = icalcomponent_get_first_property(al,
	    ICAL_TRIGGER_PROPERTY)) == NULL)
		return;
	tr = icalproperty_get_trigger(p);
	if (!icaltime_is_null_time(tr.time))
		return;
	sec = -icaldurationtype_as_int(tr.duration);
	if (sec >= 0)
		a->reminder_min = sec / 60;
}

/*
 * The spaces and tabs that end property name's value in the raw text
 * of one VEVENT (its own lines, not a VALARM's), folds undone: libical's
 * parser drops them. Allocated, or NULL when there are none.
 */
static char *
raw_tail(const char *text, const char *name)
{
	const char	*l, *p, *end, *next;
	char		*u = NULL, *t;
	size_t		 n = strlen(name), len = 0, k;
	int		 depth = 0, want;

	for (l = text; *l != '\0'; l = next) {
		if (strncasecmp(l, "BEGIN:", 6) == 0)
			depth++;
		else if (strncasecmp(l, "END:", 4) == 0)
			depth--;
		want = depth == 1 && strncasecmp(l, name, n) == 0 &&
		    (l[n] == ':' || l[n] == ';');
		/* One logical line, its folds undone into u when wanted. */
		for (p = l;; p = next + 1) {
			end = p + strcspn(p, "\r\n");
			if (want) {
				u = xreallocarray(u, len +
				    (size_t)(end - p) + 1, 1);
				memcpy(u + len, p, (size_t)(end - p));
				len += (size_t)(end - p);
			}
			next = end;
			if (*next == '\r')
				next++;
			if (*next == '\n')
				next++;
			if (next == end || (*next != ' ' && *next != '\t'))
				break;
		}
		if (want)
			break;
	}
	if (u == NULL)
		return NULL;
	for (k = 0; k < len && (u[len - 1 - k] == ' ' ||
	    u[len - 1 - k] == '\t'); k++)
		;
	t = k > 0 && k < len ? xstrndup(u + len - k, k) : NULL;
	free(u);
	return t;
}

/* Put back the white space that ended a text value in the file. */
void
ics_restore_tail(char **val, const char *text, const char *name)
{
	char	*tail;
	size_t	 k, n;

	if (*val == NULL || (n = strlen(*val)) == 0 ||
	    (*val)[n - 1] == ' ' || (*val)[n - 1] == '\t' ||
	    (tail = raw_tail(text, name)) == NULL)
		return;
	k = strlen(tail);
	*val = xreallocarray(*val, n + k + 1, 1);
	memcpy(*val + n, tail, k + 1);
	free(tail);
}

/* The properties an event has whether master, single or override. */
void
ics_common_props(icalcomponent *ev, struct appt *a)
{
	icalproperty	*p;
	icalparameter	*par;
	const char	*v, *fmt;
	int32_t		 n;
	char		*all, *tok, *save;

	a->subject = ics_xtext(icalcomponent_get_summary(ev));
	a->location = ics_xtext(icalcomponent_get_location(ev));
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_DESCRIPTION_PROPERTY)) != NULL)
		a->body = ics_xtext(icalproperty_get_description(p));
	for (p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(ev,
	    ICAL_X_PROPERTY)) {
		if ((v = icalproperty_get_x_name(p)) == NULL ||
		    strcasecmp(v, "X-ALT-DESC") != 0)
			continue;
		par = icalproperty_get_first_parameter(p,
		    ICAL_FMTTYPE_PARAMETER);
		fmt = par != NULL ? icalparameter_get_fmttype(par) : NULL;
		if (fmt != NULL && strcasecmp(fmt, "text/html") == 0 &&
		    a->html == NULL)
			a->html = ics_xtext(icalproperty_get_x(p));
	}
	for (p = icalcomponent_get_first_property(ev,
	    ICAL_CATEGORIES_PROPERTY); p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_CATEGORIES_PROPERTY)) {
		if ((v = icalproperty_get_categories(p)) == NULL)
			continue;
		all = xstrdup(v);
		for (tok = strtok_r(all, ",", &save); tok != NULL;
		    tok = strtok_r(NULL, ",", &save)) {
			a->categories = xreallocarray(a->categories,
			    a->ncategories + 1, sizeof *a->categories);
			a->categories[a->ncategories++] = ics_xtext(tok);
		}
		free(all);
	}
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_CLASS_PROPERTY)) != NULL) {
		switch (icalproperty_get_class(p)) {
		case ICAL_CLASS_PUBLIC:
			a->sensitivity = 0;
			break;
		case ICAL_CLASS_PRIVATE:
			a->sensitivity = 2;
			break;
		case ICAL_CLASS_CONFIDENTIAL:
			a->sensitivity = 3;
			break;
		default:
			break;
		}
	}
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_PRIORITY_PROPERTY)) != NULL) {
		n = icalproperty_get_priority(p);
		a->importance = n == 0 ? APPT_ABSENT : n < 5 ? 2 : n == 5 ?
		    1 : 0;
	}
	if (x_int(ev, "X-MICROSOFT-CDO-IMPORTANCE", &n) && n >= 0 && n <= 2)
		a->importance = n;
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_TRANSP_PROPERTY)) != NULL)
		a->busy = icalproperty_get_transp(p) ==
		    ICAL_TRANSP_TRANSPARENT ? 0 : 2;
	if ((n = busy_of(x_value(ev, "X-MICROSOFT-CDO-BUSYSTATUS"))) !=
	    APPT_ABSENT)
		a->busy = n;
	a->intended_busy = busy_of(x_value(ev,
	    "X-MICROSOFT-CDO-INTENDEDSTATUS"));
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_SEQUENCE_PROPERTY)) != NULL)
		a->sequence = icalproperty_get_sequence(p);
	a->created = utc_of(icalcomponent_get_first_property(ev,
	    ICAL_CREATED_PROPERTY));
	a->modified = utc_of(icalcomponent_get_first_property(ev,
	    ICAL_LASTMODIFIED_PROPERTY));
	a->crit_change = utc_of(icalcomponent_get_first_property(ev,
	    ICAL_DTSTAMP_PROPERTY));
	if (x_int(ev, "X-MICROSOFT-CDO-OWNERAPPTID", &n)) {
		a->has_owner_appt_id = 1;
		a->owner_appt_id = n;
	}
	a->no_counter = ics_x_bool(ev, "X-MICROSOFT-DISALLOW-COUNTER");
	a->extern_check = ics_x_bool(ev, "X-MS-OLK-ALLOWEXTERNCHECK");
	a->autofill_loc = ics_x_bool(ev, "X-MS-OLK-AUTOFILLLOCATION");
	if (x_int(ev, "X-MS-OLK-APPTLASTSEQUENCE", &n))
		a->last_sequence = n;
	if (x_int(ev, "X-MS-OLK-CONFTYPE", &n))
		a->conf_type = n;
	if ((v = x_value(ev, "X-MS-OLK-APPTSEQTIME")) != NULL) {
		struct icaltimetype t = icaltime_from_string(v);

		if (!icaltime_is_null_time(t) && t.year >= 1601)
			a->seq_time = ft_from_civil(t.year, t.month, t.day,
			    t.hour, t.minute, t.second);
	}
	people(ev, a);
	if ((p = icalcomponent_get_first_property(ev,
	    ICAL_STATUS_PROPERTY)) != NULL &&
	    icalproperty_get_status(p) == ICAL_STATUS_CANCELLED)
		a->state = (a->state == APPT_ABSENT ? 0 : a->state) |
		    APPT_STATE_MEETING | APPT_STATE_CANCELED;
	alarm(ev, a);
}

/* RFC 4648 base64, white space ignored; -1 if not base64. */
static int
unbase64(const char *s, uint8_t **out, size_t *lenp)
{
	uint8_t		*o;
	uint32_t	 v = 0;
	size_t		 n = 0, len = 0;
	int		 c, d, pad = 0;

	o = xmalloc(strlen(s) / 4 * 3 + 3);
	for (; (c = (unsigned char)*s) != '\0'; s++) {
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad > 0)
			goto bad;
		if (c >= 'A' && c <= 'Z')
			d = c - 'A';
		else if (c >= 'a' && c <= 'z')
			d = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			d = c - '0' + 52;
		else if (c == '+' || c == '-')
			d = 62;
		else if (c == '/' || c == '_')
			d = 63;
		else
			goto bad;
		v = v << 6 | (uint32_t)d;
		if (++n == 4) {
			o[len++] = (uint8_t)(v >> 16);
			o[len++] = (uint8_t)(v >> 8);
			o[len++] = (uint8_t)v;
			n = 0;
			v = 0;
		}
	}
	if (n == 1 || pad > 2)
		goto bad;
	if (n == 2)
		o[len++] = (uint8_t)(v >> 4);
	else if (n == 3) {
		o[len++] = (uint8_t)(v >> 10);
		o[len++] = (uint8_t)(v >> 2);
	}
	*out = o;
	*lenp = len;
	return 0;
bad:
	free(o);
	return -1;
}

/* ATTACH values: inline bytes, or a reference (URI, CID) kept as one;
 * inline data that is no base64 is kept without bytes, so the writer
 * lists the item as degraded. */
void
ics_attachments(struct irs *rs, icalcomponent *ev, struct appt *a, int where)
{
	icalproperty		*p;
	icalparameter		*par;
	icalattach		*ia;
	struct appt_attach	*at;
	const char		*data, *xn;
	uint8_t			*bytes;
	size_t			 len;

	for (p = icalcomponent_get_first_property(ev, ICAL_ATTACH_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(ev,
	    ICAL_ATTACH_PROPERTY)) {
		if ((ia = icalproperty_get_attach(p)) == NULL)
			continue;
		bytes = NULL;
		len = 0;
		if (!icalattach_get_is_url(ia) &&
		    ((data = (const char *)icalattach_get_data(ia)) == NULL ||
		    unbase64(data, &bytes, &len) != 0)) {
			bytes = NULL;
			len = 0;
		}
		a->attachs = xreallocarray(a->attachs, a->nattach + 1,
		    sizeof *a->attachs);
		at = &a->attachs[a->nattach++];
		memset(at, 0, sizeof *at);
		if (icalattach_get_is_url(ia))
			at->uri = ics_xtext(icalattach_get_url(ia));
		at->data.data = bytes;
		at->data.len = len;
		if ((par = icalproperty_get_first_parameter(p,
		    ICAL_FMTTYPE_PARAMETER)) != NULL)
			at->mime = ics_xtext(icalparameter_get_fmttype(par));
		for (par = icalproperty_get_first_parameter(p,
		    ICAL_X_PARAMETER); par != NULL;
		    par = icalproperty_get_next_parameter(p,
		    ICAL_X_PARAMETER)) {
			xn = icalparameter_get_xname(par);
			if (xn != NULL && strcasecmp(xn, "X-FILENAME") == 0 &&
			    at->name == NULL)
				at->name = ics_xtext(
				    icalparameter_get_xvalue(par));
		}
	}
	(void)rs;
	(void)where;
}
