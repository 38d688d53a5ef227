/* writer_line.c: a VEVENT's text as it is built: text cleaned for
 * libical, each property as libical writes it or, where libical would
 * write exactly that, the line written directly; time properties. */
#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "writer.h"
#include "writer_int.h"
#include "xmalloc.h"

/* Text as libical must get it: clean UTF-8, LF line ends only. */
char *
wr_text(const char *s)
{
	const char	*cr;
	char		*t, *d;

	t = xstrdup(s);
	if ((cr = strchr(s, '\r')) == NULL)
		return appt_text_clean(t);
	for (d = t + (cr - s), s = cr; *s != '\0'; s++) {
		if (*s == '\r') {
			if (s[1] != '\n')
				*d++ = '\n';
			continue;
		}
		*d++ = *s;
	}
	*d = '\0';
	return appt_text_clean(t);
}

/* Text for a parameter or URI, which libical does not escape: one line. */
char *
wr_param(const char *s)
{
	char	*t, *p;

	t = wr_text(s);
	for (p = t; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\t')
			*p = ' ';
	}
	return t;
}

static icalproperty *
time_prop(icalproperty_kind kind, struct icaltimetype t, const char *tzid)
{
	icalproperty	*p;

	switch (kind) {
	case ICAL_DTSTART_PROPERTY:
		p = icalproperty_new_dtstart(t);
		break;
	case ICAL_DTEND_PROPERTY:
		p = icalproperty_new_dtend(t);
		break;
	case ICAL_RECURRENCEID_PROPERTY:
		p = icalproperty_new_recurrenceid(t);
		break;
	case ICAL_EXDATE_PROPERTY:
		p = icalproperty_new_exdate(t);
		break;
	case ICAL_DTSTAMP_PROPERTY:
		p = icalproperty_new_dtstamp(t);
		break;
	case ICAL_CREATED_PROPERTY:
		p = icalproperty_new_created(t);
		break;
	default:
		p = icalproperty_new_lastmodified(t);
		break;
	}
	/* libical adds TZID itself only for DTSTART/DTEND with a zone. */
	if (tzid != NULL && !t.is_date)
		icalproperty_add_parameter(p, icalparameter_new_tzid(tzid));
	return p;
}

/* A local time in a written zone (or UTC when the zone is NULL). */
struct wtime
wr_local_time(icalproperty_kind kind, int64_t local, int is_date,
    const char *tzid)
{
	struct wtime	w;

	w.set = 1;
	w.kind = kind;
	w.t = wr_icaltime(local, is_date, tzid == NULL && !is_date);
	w.tzid = tzid;
	return w;
}

struct wtime
wr_utc_time(icalproperty_kind kind, int64_t utc)
{
	struct wtime	w;

	w.set = 1;
	w.kind = kind;
	w.t = wr_icaltime(utc, 0, 1);
	w.tzid = NULL;
	return w;
}

void
wr_add(struct wbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = b->len + n + 1 < 2048 ? 4096 : (b->len + n + 1) * 2;
		b->p = xreallocarray(b->p, 1, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* A property as libical writes it (folded), then freed. */
void
wr_prop(struct wbuf *b, icalproperty *p)
{
	char	*s;

	if ((s = icalproperty_as_ical_string_r(p)) == NULL)
		b->err = 1;
	else {
		wr_add(b, s, strlen(s));
		free(s);
	}
	icalproperty_free(p);
}

/*
 * NAME[;TZID=tzid]:value written directly, where libical would write
 * exactly that: a value of printable ASCII without anything libical
 * escapes or that could matter to it (\ ; , : "), a TZID of letters,
 * digits and " ._/()+-", and a line far shorter than the 75 octets at
 * which libical folds. 0, or -1 (nothing written) for libical to do.
 */
#define PLAIN_LINE	64
int
wr_line(struct wbuf *b, const char *name, const char *tzid,
    const char *value)
{
	const char	*c;
	size_t		 ln, lt, lv;

	if (*value == '\0')
		return -1;
	for (c = value; *c != '\0'; c++) {
		if (*c < 0x20 || *c > 0x7E || *c == '\\' || *c == ';' ||
		    *c == ',' || *c == ':' || *c == '"')
			return -1;
	}
	lv = (size_t)(c - value);
	for (c = tzid; c != NULL && *c != '\0'; c++) {
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
		    (*c >= '0' && *c <= '9') || *c == ' ' || *c == '.' ||
		    *c == '_' || *c == '/' || *c == '(' || *c == ')' ||
		    *c == '+' || *c == '-'))
			return -1;
	}
	lt = tzid != NULL ? (size_t)(c - tzid) : 0;
	if (tzid != NULL && lt == 0)
		return -1;
	ln = strlen(name);
	if (ln + (tzid != NULL ? 6 + lt : 0) + 1 + lv > PLAIN_LINE)
		return -1;
	wr_add(b, name, ln);
	if (tzid != NULL) {
		wr_add(b, ";TZID=", 6);
		wr_add(b, tzid, lt);
	}
	wr_add(b, ":", 1);
	wr_add(b, value, lv);
	wr_add(b, "\r\n", 2);
	return 0;
}

/* n in digits zero-padded to width, at p. */
static void
put_digits(char *p, int n, int width)
{
	while (width-- > 0) {
		p[width] = (char)('0' + n % 10);
		n /= 10;
	}
}

/* A time property: plain when libical would print it so, else libical. */
void
wr_timeprop(struct wbuf *b, const struct wtime *w)
{
	const char	*name;
	char		 v[32];

	if (!w->set)
		return;
	switch (w->kind) {
	case ICAL_DTSTART_PROPERTY:
		name = "DTSTART";
		break;
	case ICAL_DTEND_PROPERTY:
		name = "DTEND";
		break;
	case ICAL_RECURRENCEID_PROPERTY:
		name = "RECURRENCE-ID";
		break;
	case ICAL_EXDATE_PROPERTY:
		name = "EXDATE";
		break;
	case ICAL_DTSTAMP_PROPERTY:
		name = "DTSTAMP";
		break;
	case ICAL_CREATED_PROPERTY:
		name = "CREATED";
		break;
	default:
		name = "LAST-MODIFIED";
		break;
	}
	/* Dates carry VALUE=DATE, odd years libical's own quirks. */
	if (!w->t.is_date && w->t.year >= 1000 && w->t.year <= 2999 &&
	    w->t.month >= 1 && w->t.month <= 12 && w->t.day >= 1 &&
	    w->t.day <= 31 && w->t.hour >= 0 && w->t.hour <= 23 &&
	    w->t.minute >= 0 && w->t.minute <= 59 && w->t.second >= 0 &&
	    w->t.second <= 59 && (w->tzid == NULL) == icaltime_is_utc(w->t)) {
		/* "%04d%02d%02dT%02d%02d%02d" and Z for UTC, as libical. */
		put_digits(v, w->t.year, 4);
		put_digits(v + 4, w->t.month, 2);
		put_digits(v + 6, w->t.day, 2);
		v[8] = 'T';
		put_digits(v + 9, w->t.hour, 2);
		put_digits(v + 11, w->t.minute, 2);
		put_digits(v + 13, w->t.second, 2);
		v[15] = 'Z';
		v[w->tzid == NULL ? 16 : 15] = '\0';
		if (wr_line(b, name, w->tzid, v) == 0)
			return;
	}
	wr_prop(b, time_prop(w->kind, w->t, w->tzid));
}

/* A property of one enumerated or numeric value, always plain. */
void
wr_word(struct wbuf *b, const char *name, const char *value)
{
	if (wr_line(b, name, NULL, value) != 0)
		b->err = 1;
}

/* Empty text is left out: libical's parser rejects "NAME:" lines. */
void
wr_textprop(struct wbuf *ev, const char *name,
    icalproperty *(*mk)(const char *), const char *s)
{
	char	*t = wr_text(s);

	if (*t != '\0' && wr_line(ev, name, NULL, t) != 0)
		wr_prop(ev, mk(t));
	free(t);
}

/* An X- property of the VEVENT. */
void
wr_xprop(struct wbuf *ev, const char *name, const char *value)
{
	icalproperty	*p;
	char		*t = wr_text(value);

	if (*t != '\0' && wr_line(ev, name, NULL, t) != 0) {
		p = icalproperty_new_x(t);
		icalproperty_set_x_name(p, name);
		wr_prop(ev, p);
	}
	free(t);
}

