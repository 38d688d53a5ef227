/* writer_event.c: one VEVENT, its properties in the order Outlook
 * writes them (attachments, people, bodies, the alarm, Outlook's X-
 * properties), spooled as soon as it is built. */
#include <inttypes.h>
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "model.h"
#include "rtf.h"
#include "writer.h"
#include "writer_int.h"
#include "xmalloc.h"

#define NO_DELTA	0x5AE980E1	/* PidLidReminderDelta "not set" */

static const char *const busy_names[] = {
	"FREE", "TENTATIVE", "BUSY", "OOF", "WORKINGELSEWHERE"
};

static void
add_busy(struct wbuf *ev, const char *name, int32_t v)
{
	if (v >= 0 && v < (int32_t)(sizeof busy_names / sizeof busy_names[0]))
		wr_xprop(ev, name, busy_names[v]);
}

static void
add_bool(struct wbuf *ev, const char *name, int v)
{
	if (v == 0 || v == 1)
		wr_xprop(ev, name, v ? "TRUE" : "FALSE");
}

static void
add_int(struct wbuf *ev, const char *name, int32_t v)
{
	char	buf[16];

	snprintf(buf, sizeof buf, "%" PRId32, v);
	wr_xprop(ev, name, buf);
}

/* The MAPI state Outlook exports as X- properties (MS-OXCICAL
 * 2.1.3.1.1.20), in its alphabetical order, each only when present. */
static void
add_outlook_x(struct wbuf *ev, const struct appt *a)
{
	char	*t;

	if (a->has_owner_appt_id)
		add_int(ev, "X-MICROSOFT-CDO-OWNERAPPTID", a->owner_appt_id);
	add_bool(ev, "X-MICROSOFT-DISALLOW-COUNTER", a->no_counter);
	add_bool(ev, "X-MS-OLK-ALLOWEXTERNCHECK", a->extern_check);
	if (a->last_sequence >= 0)
		add_int(ev, "X-MS-OLK-APPTLASTSEQUENCE", a->last_sequence);
	if (a->seq_time != APPT_NOTIME) {
		t = icaltime_as_ical_string_r(wr_icaltime(a->seq_time, 0, 1));
		wr_xprop(ev, "X-MS-OLK-APPTSEQTIME", t);
		free(t);
	}
	add_bool(ev, "X-MS-OLK-AUTOFILLLOCATION", a->autofill_loc);
	if (a->conf_type >= 0)
		add_int(ev, "X-MS-OLK-CONFTYPE", a->conf_type);
}

static void
add_categories(struct wbuf *ev, const struct appt *a)
{
	char	*all = NULL, *c, *t;
	size_t	 i;

	for (i = 0; i < a->ncategories; i++) {
		if (a->categories[i] == NULL)
			continue;
		c = wr_text(a->categories[i]);
		if (*c != '\0') {
			if (all == NULL)
				all = xstrdup(c);
			else {
				xasprintf(&t, "%s,%s", all, c);
				free(all);
				all = t;
			}
		}
		free(c);
	}
	if (all != NULL)
		wr_prop(ev, icalproperty_new_categories(all));
	free(all);
}

static const char *
mailto(const char *email, char **buf)
{
	char	*t, *p;
	size_t	 n;

	if (email == NULL || *email == '\0')
		return "invalid:nomail";
	t = wr_param(email);
	for (n = strlen(t); n > 0 && t[n - 1] == ' '; n--)
		t[n - 1] = '\0';
	for (p = t; *p == ' '; p++)
		;
	if (*p == '\0') {
		free(t);
		return "invalid:nomail";
	}
	xasprintf(buf, "mailto:%s", p);
	free(t);
	return *buf;
}

static void
add_cn(icalproperty *p, const char *name)
{
	char	*t;

	if (name == NULL || *name == '\0')
		return;
	t = wr_param(name);
	icalproperty_add_parameter(p, icalparameter_new_cn(t));
	free(t);
}

static void
add_attendees(struct wbuf *ev, const struct appt *a)
{
	const struct appt_person	*r;
	icalproperty			*p;
	icalparameter_partstat		 ps;
	char				*buf;
	size_t				 i;

	for (i = 0; i < a->nrcpts; i++) {
		r = &a->rcpts[i];
		if (r->flags != APPT_ABSENT &&
		    (r->flags & (APPT_RCPT_EXC_DELETED | APPT_RCPT_ORGANIZER)))
			continue;
		if (r->track_status == 1)
			continue;
		buf = NULL;
		p = icalproperty_new_attendee(mailto(r->email, &buf));
		free(buf);
		add_cn(p, r->name);
		if (r->type == 3) {
			icalproperty_add_parameter(p,
			    icalparameter_new_cutype(ICAL_CUTYPE_RESOURCE));
			icalproperty_add_parameter(p,
			    icalparameter_new_role(ICAL_ROLE_NONPARTICIPANT));
		} else
			icalproperty_add_parameter(p, icalparameter_new_role(
			    r->type == 2 ? ICAL_ROLE_OPTPARTICIPANT :
			    ICAL_ROLE_REQPARTICIPANT));
		switch (r->track_status) {
		case 2:
			ps = ICAL_PARTSTAT_TENTATIVE;
			break;
		case 3:
			ps = ICAL_PARTSTAT_ACCEPTED;
			break;
		case 4:
			ps = ICAL_PARTSTAT_DECLINED;
			break;
		default:
			ps = ICAL_PARTSTAT_NEEDSACTION;
			break;
		}
		icalproperty_add_parameter(p, icalparameter_new_partstat(ps));
		if (r->type != 3)
			icalproperty_add_parameter(p,
			    icalparameter_new_rsvp(ICAL_RSVP_TRUE));
		wr_prop(ev, p);
	}
}

static void
add_organizer(struct wbuf *ev, const struct appt *a)
{
	const char	*name = a->org_name, *email = a->org_email;
	icalproperty	*p;
	char		*buf = NULL;
	size_t		 i;

	if (email == NULL || *email == '\0') {
		for (i = 0; i < a->nrcpts; i++) {
			if (a->rcpts[i].flags != APPT_ABSENT &&
			    (a->rcpts[i].flags & APPT_RCPT_ORGANIZER)) {
				email = a->rcpts[i].email;
				if (name == NULL || *name == '\0')
					name = a->rcpts[i].name;
				break;
			}
		}
	}
	if ((name == NULL || *name == '\0') &&
	    (email == NULL || *email == '\0'))
		return;
	p = icalproperty_new_organizer(mailto(email, &buf));
	free(buf);
	add_cn(p, name);
	wr_prop(ev, p);
}

/* The plain text of an HTML body, or NULL when it has none. */
static char *
html_plain(struct wstate *st, const struct appt *a, const char *html)
{
	char	*text, *cause = NULL;

	if (html_to_text(html, strlen(html), &text, &cause) != 0) {
		wr_warn(st, a, "HTML body not converted to plain text: %s",
		    cause);
		free(cause);
		return NULL;
	}
	if (*text == '\0') {
		free(text);
		return NULL;
	}
	return text;
}

/* Plain and HTML bodies: the stored ones, else derived from each other
 * or from the RTF, as Outlook exports a DESCRIPTION for every body. */
static void
bodies(struct wstate *st, const struct appt *a, char **plain, char **html)
{
	char	*rtf, *rhtml = NULL, *cause = NULL;
	size_t	 len;
	int	 enc;

	*plain = a->body != NULL ? xstrdup(a->body) : NULL;
	*html = a->html != NULL ? xstrdup(a->html) : NULL;
	if (*plain == NULL && *html != NULL)
		*plain = html_plain(st, a, *html);
	if ((*plain != NULL && *html != NULL) || a->rtf.data == NULL)
		return;
	if (rtf_decompress(a->rtf.data, a->rtf.len, &rtf, &len, &cause) != 0) {
		wr_warn(st, a, "RTF body not decoded: %s", cause);
		free(cause);
		return;
	}
	/* RTF that carries HTML: its text through the HTML parser. */
	enc = rtf_to_html(rtf, len, &rhtml) == 1;
	if (*plain == NULL)
		*plain = enc ? html_plain(st, a, rhtml) : rtf_to_text(rtf, len);
	if (enc && *html == NULL) {
		*html = rhtml;
		rhtml = NULL;
	}
	if (enc)
		free(rhtml);
	free(rtf);
}

/* The VALARM, after every property of the VEVENT, as libical puts
 * components; its TRIGGER is libical's text of the duration. */
static void
valarm(struct wbuf *ev, const struct appt *a)
{
	static const char	 begin[] = "BEGIN:VALARM\r\n";
	static const char	 rest[] = "ACTION:DISPLAY\r\n"
	    "DESCRIPTION:Reminder\r\nEND:VALARM\r\n";
	char			*dur;
	int32_t			 min = a->reminder_min;

	if (a->reminder_set != 1)
		return;
	if (min == APPT_ABSENT || min == NO_DELTA || min < 0 ||
	    min > 0x7fffffff / 60)
		min = 15;
	wr_add(ev, begin, sizeof begin - 1);
	dur = icaldurationtype_as_ical_string_r(
	    icaldurationtype_from_int(-min * 60));
	if (dur == NULL || wr_line(ev, "TRIGGER", NULL, dur) != 0)
		wr_prop(ev, icalproperty_new_trigger(
		    icaltriggertype_from_int(-min * 60)));
	free(dur);
	wr_add(ev, rest, sizeof rest - 1);
}

static int64_t
dtstamp(const struct appt *a)
{
	if (a->crit_change != APPT_NOTIME)
		return a->crit_change;
	if (a->modified != APPT_NOTIME)
		return a->modified;
	if (a->created != APPT_NOTIME)
		return a->created;
	return a->start;
}

/* RFC 4648 base64 on one line: libical folds it. */
static char *
base64(const uint8_t *p, size_t n)
{
	static const char	 tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char			*out, *o;
	uint32_t		 v;
	size_t			 i;

	out = o = xreallocarray(NULL, n / 3 + 2, 4);
	for (i = 0; n - i >= 3; i += 3) {
		v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 0x3F];
		*o++ = tab[(v >> 6) & 0x3F];
		*o++ = tab[v & 0x3F];
	}
	if (n - i > 0) {
		v = (uint32_t)p[i] << 16;
		if (n - i == 2)
			v |= (uint32_t)p[i + 1] << 8;
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 0x3F];
		*o++ = n - i == 2 ? tab[(v >> 6) & 0x3F] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

/* libical frees inline ATTACH data through this when the value goes. */
static void
free_attach(char *data, void *arg)
{
	(void)arg;
	free(data);
}

/* A reference an .ics input had (VALUE=URI or CID), written back as
 * it was: Outlook does not fetch it, but nothing is lost. */
static void
attach_ref(struct wbuf *ev, const struct appt_attach *at)
{
	icalattach	*ia;
	icalproperty	*p;
	char		*t;

	ia = icalattach_new_from_url(at->uri);
	p = icalproperty_new_attach(ia);
	icalattach_unref(ia);
	if (at->mime != NULL && *at->mime != '\0') {
		t = wr_param(at->mime);
		icalproperty_add_parameter(p, icalparameter_new_fmttype(t));
		free(t);
	}
	wr_prop(ev, p);
}

/* Attachments as Outlook exports them: the bytes inline in base64, the
 * file name in X-FILENAME. Whatever has no bytes here is reported. */
static void
add_attachs(struct wstate *st, struct wbuf *ev, const struct appt *a)
{
	const struct appt_attach *at;
	const char		*name;
	icalattach		*ia;
	icalproperty		*p;
	icalparameter		*x;
	char			*t;
	size_t			 i;

	for (i = 0; i < a->nattach && a->attachs != NULL; i++) {
		at = &a->attachs[i];
		name = at->name != NULL ? at->name : "(no name)";
		if (at->unread != NULL) {
			if (!st->inherited)
				wr_warn(st, a, "%s", at->unread);
			continue;
		}
		if (at->embedded) {
			wr_warn(st, a, "attachment \"%s\" is an embedded "
			    "message and is not written", name);
			continue;
		}
		if (at->uri != NULL) {
			attach_ref(ev, at);
			continue;
		}
		if ((at->data.data == NULL && !at->spooled) ||
		    at->data.len == 0) {
			wr_warn(st, a, "attachment \"%s\" has %s and is not "
			    "written", name, at->data.len == 0 &&
			    (at->spooled || at->data.data != NULL) ?
			    "no content" :
			    "no data in the file");
			continue;
		}
		if (at->data.data == NULL) {
			/* Spooled, and the spool was not given. */
			if (!st->spool_err) {
				st->spool_err = SPOOL_IO;
				st->spool_cause = xstrdup("internal error: "
				    "attachment bytes left in the spool");
			}
			continue;
		}
		ia = icalattach_new_from_data(base64(at->data.data,
		    at->data.len), free_attach, NULL);
		p = icalproperty_new_attach(ia);
		icalattach_unref(ia);
		t = wr_param(at->mime != NULL ? at->mime : "");
		icalproperty_add_parameter(p, icalparameter_new_fmttype(
		    *t != '\0' ? t : "application/octet-stream"));
		free(t);
		icalproperty_add_parameter(p,
		    icalparameter_new_encoding(ICAL_ENCODING_BASE64));
		icalproperty_add_parameter(p,
		    icalparameter_new_value(ICAL_VALUE_BINARY));
		if (at->name != NULL) {
			t = wr_param(at->name);
			x = icalparameter_new_x(t);
			icalparameter_set_xname(x, "X-FILENAME");
			icalproperty_add_parameter(p, x);
			free(t);
		}
		wr_prop(ev, p);
	}
}

/* Serialize one VEVENT and let it go: the calendar is never held
 * whole, so memory stays at one item's worth whatever the bodies and
 * attachments weigh. */
static void
spool_event(struct wstate *st, struct wbuf *ev)
{
	if (st->spool != NULL && !st->spool_err) {
		if (ev->err)
			st->spool_err = SPOOL_LIBICAL;
		else if (fwrite(ev->p, 1, ev->len, st->spool) != ev->len)
			st->spool_err = SPOOL_IO;
		else if (st->opts != NULL && st->opts->emit != NULL) {
			/* The check may queue megabytes of events: hand
			 * over a copy of the text, not the buffer with its
			 * spare room (shrinking it in place instead left a
			 * remainder for malloc to sort at every event). */
			st->opts->emit(st->opts->emit_arg, WRITER_EMIT_EVENT,
			    xmemdup(ev->p, ev->len + 1));
		}
	}
	free(ev->p);
}

/* One VEVENT, properties in Outlook's (alphabetical) order. Takes the
 * time properties in *tm. */
void
wr_vevent(struct wstate *st, const struct appt *a, const char *uid,
    struct wtimes *tm)
{
	static const char	 begin[] = "BEGIN:VEVENT\r\n";
	static const char	 end[] = "END:VEVENT\r\n";
	static const char *const classes[] = {
		"PUBLIC", "PRIVATE", "PRIVATE", "CONFIDENTIAL"
	};
	static const char *const priorities[] = { "9", "5", "1" };
	struct wbuf		 ev;
	struct wtime		 w;
	icalproperty		*p;
	char			*plain, *html, *t, num[16];
	int			 meeting;
	size_t			 i;

	meeting = a->state != APPT_ABSENT && (a->state & APPT_STATE_MEETING);
	bodies(st, a, &plain, &html);
	memset(&ev, 0, sizeof ev);
	wr_add(&ev, begin, sizeof begin - 1);
	add_attachs(st, &ev, a);
	if (meeting)
		add_attendees(&ev, a);
	add_categories(&ev, a);
	if (a->sensitivity >= 0 && a->sensitivity <= 3)
		wr_word(&ev, "CLASS", classes[a->sensitivity]);
	if (a->created != APPT_NOTIME) {
		w = wr_utc_time(ICAL_CREATED_PROPERTY, a->created);
		wr_timeprop(&ev, &w);
	}
	if (plain != NULL)
		wr_textprop(&ev, "DESCRIPTION", icalproperty_new_description,
		    plain);
	wr_timeprop(&ev, &tm->dtend);
	if (dtstamp(a) != APPT_NOTIME) {
		w = wr_utc_time(ICAL_DTSTAMP_PROPERTY, dtstamp(a));
		wr_timeprop(&ev, &w);
	}
	wr_timeprop(&ev, &tm->dtstart);
	for (i = 0; i < tm->nexdates; i++)
		wr_timeprop(&ev, &tm->exdates[i]);
	if (a->modified != APPT_NOTIME) {
		w = wr_utc_time(ICAL_LASTMODIFIED_PROPERTY, a->modified);
		wr_timeprop(&ev, &w);
	}
	if (a->location != NULL)
		wr_textprop(&ev, "LOCATION", icalproperty_new_location,
		    a->location);
	if (meeting)
		add_organizer(&ev, a);
	if (a->importance >= 0 && a->importance <= 2)
		wr_word(&ev, "PRIORITY", priorities[a->importance]);
	wr_timeprop(&ev, &tm->rid);
	if (tm->rrule != NULL) {
		wr_prop(&ev, tm->rrule);
		tm->rrule = NULL;
	}
	if (a->sequence >= 0) {
		snprintf(num, sizeof num, "%" PRId32, a->sequence);
		wr_word(&ev, "SEQUENCE", num);
	}
	/* asfCanceled: without it the meeting comes back live. */
	if (a->state != APPT_ABSENT && (a->state & APPT_STATE_CANCELED))
		wr_word(&ev, "STATUS", "CANCELLED");
	if (a->subject != NULL)
		wr_textprop(&ev, "SUMMARY", icalproperty_new_summary,
		    a->subject);
	if (a->busy >= 0 && a->busy <= 4)
		wr_word(&ev, "TRANSP", a->busy == 0 ? "TRANSPARENT" :
		    "OPAQUE");
	if (wr_line(&ev, "UID", NULL, uid) != 0)
		wr_prop(&ev, icalproperty_new_uid(uid));
	if (html != NULL) {
		t = wr_text(html);
		if (*t != '\0') {
			p = icalproperty_new_x(t);
			icalproperty_set_x_name(p, "X-ALT-DESC");
			icalproperty_add_parameter(p,
			    icalparameter_new_fmttype("text/html"));
			wr_prop(&ev, p);
		}
		free(t);
	}
	if (a->all_day == 1)
		wr_xprop(&ev, "X-MICROSOFT-CDO-ALLDAYEVENT", "TRUE");
	add_busy(&ev, "X-MICROSOFT-CDO-BUSYSTATUS", a->busy);
	if (a->importance >= 0 && a->importance <= 2)
		wr_xprop(&ev, "X-MICROSOFT-CDO-IMPORTANCE",
		    a->importance == 0 ? "0" : a->importance == 1 ? "1" : "2");
	add_busy(&ev, "X-MICROSOFT-CDO-INTENDEDSTATUS", a->intended_busy);
	add_outlook_x(&ev, a);
	valarm(&ev, a);
	wr_add(&ev, end, sizeof end - 1);
	free(plain);
	free(html);
	spool_event(st, &ev);
}
