/* recur.c: PidLidAppointmentRecur blobs, their RRULE text and equality. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "recur.h"
#include "tz.h"
#include "xmalloc.h"

#define RECUR_FT_PER_MIN	600000000LL
#define RECUR_MIN_PER_DAY	1440
#define RECUR_MIN_PER_WEEK	10080
#define RECUR_READER		0x3004
#define RECUR_READER2		0x3006
#define RECUR_WRITER2		0x3009
#define RECUR_CHANGEHIGHLIGHT	0x3009
#define RECUR_EXC_MIN		14	/* smallest ExceptionInfo */
#define RECUR_NEVER_COUNT	10	/* what Outlook stores for "never" */
#define RECUR_LAST_DAY		(UINT32_MAX / RECUR_MIN_PER_DAY)

struct rd {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
};

struct wr {
	uint8_t		*p;
	size_t		 len;
	size_t		 cap;
};

static int	rd16(struct rd *, uint16_t *);
static int	rd32(struct rd *, uint32_t *);
static int	rdskip32(struct rd *);
static void	wrbytes(struct wr *, const void *, size_t);
static void	wr16(struct wr *, uint16_t);
static void	wr32(struct wr *, uint32_t);
static char	*cp1252_to_utf8(const uint8_t *, size_t);
static uint8_t	*utf8_to_cp1252(const char *, size_t *);
static int	pattern_known(uint16_t);
static int	u32cmp(const void *, const void *);
static int	exccmp(const void *, const void *);
static int	decode_exception(struct rd *, struct recur_exception *,
		    char **);
static int	decode_extended(struct rd *, uint32_t,
		    struct recur_exception *);
static int	never_ends(uint32_t);
static int	month_day(const struct recur *, int, int, int64_t *);
static int	check_pattern(const struct recur *, char **);
static int	enumerate(const struct recur *, int64_t, uint32_t, uint32_t *,
		    uint32_t *);
static uint32_t	first_datetime(const struct recur *);
static int	put_string8(struct wr *, const char *, char **);
static int	put_string16(struct wr *, const char *, char **);
static void	append(char **, size_t *, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	append_days(char **, size_t *, uint32_t);
static int	streq(const char *, const char *);
static int	exc_equal(const struct recur_exception *,
		    const struct recur_exception *);

static const char *const day_names[7] = {
	"SU", "MO", "TU", "WE", "TH", "FR", "SA"
};

static int
rd16(struct rd *r, uint16_t *v)
{
	if (r->len - r->off < 2)
		return -1;
	*v = (uint16_t)(r->p[r->off] | r->p[r->off + 1] << 8);
	r->off += 2;
	return 0;
}

static int
rd32(struct rd *r, uint32_t *v)
{
	const uint8_t *p;

	if (r->len - r->off < 4)
		return -1;
	p = r->p + r->off;
	*v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
	r->off += 4;
	return 0;
}

/* A reserved block: a 32-bit size and that many bytes, skipped. */
static int
rdskip32(struct rd *r)
{
	uint32_t n;

	if (rd32(r, &n) != 0 || n > r->len - r->off)
		return -1;
	r->off += n;
	return 0;
}

static void
wrbytes(struct wr *w, const void *p, size_t n)
{
	if (w->cap - w->len < n) {
		while (w->cap - w->len < n)
			w->cap = w->cap == 0 ? 256 : w->cap * 2;
		w->p = xreallocarray(w->p, w->cap, 1);
	}
	if (n > 0)
		memcpy(w->p + w->len, p, n);
	w->len += n;
}

static void
wr16(struct wr *w, uint16_t v)
{
	uint8_t b[2] = { v & 0xff, v >> 8 };

	wrbytes(w, b, 2);
}

static void
wr32(struct wr *w, uint32_t v)
{
	uint8_t b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff,
	    v >> 24 };

	wrbytes(w, b, 4);
}

/* ExceptionInfo's 8-bit strings are in the writer's ANSI code page;
 * Windows-1252 is the usual one and the only one assumed here. */
static char *
cp1252_to_utf8(const uint8_t *p, size_t n)
{
	char *out = xmalloc(n * 3 + 1);
	size_t i, o = 0;

	for (i = 0; i < n; i++)
		o += appt_utf8_put(appt_cp1252_to_cp(p[i]), out + o);
	out[o] = '\0';
	return appt_text_clean(out);
}

static uint8_t *
utf8_to_cp1252(const char *s, size_t *n)
{
	uint8_t *out = xmalloc(strlen(s) + 1);
	size_t o = 0;
	int b;

	while (*s != '\0') {
		b = appt_cp1252_from_cp(appt_utf8_next(&s));
		out[o++] = b >= 0 ? (uint8_t)b : '?';
	}
	*n = o;
	return out;
}

static int
pattern_known(uint16_t pattern)
{
	switch (pattern) {
	case RECUR_PAT_DAY:
	case RECUR_PAT_WEEK:
	case RECUR_PAT_MONTH:
	case RECUR_PAT_MONTHNTH:
	case RECUR_PAT_MONTHEND:
	case RECUR_PAT_HJMONTH:
	case RECUR_PAT_HJMONTHNTH:
	case RECUR_PAT_HJMONTHEND:
		return 1;
	}
	return 0;
}

static int
u32cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
exccmp(const void *a, const void *b)
{
	const struct recur_exception *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

void
recur_sort(struct recur *rc)
{
	qsort(rc->deleted, rc->ndeleted, sizeof *rc->deleted, u32cmp);
	qsort(rc->modified, rc->nmodified, sizeof *rc->modified, u32cmp);
	qsort(rc->excs, rc->nexcs, sizeof *rc->excs, exccmp);
}

static int
decode_exception(struct rd *r, struct recur_exception *e, char **cause)
{
	uint16_t len, len2;

	if (rd32(r, &e->start) != 0 || rd32(r, &e->end) != 0 ||
	    rd32(r, &e->orig_start) != 0 || rd16(r, &e->flags) != 0)
		goto trunc;
	if (e->flags & RECUR_ARO_SUBJECT) {
		if (rd16(r, &len) != 0 || rd16(r, &len2) != 0 ||
		    len2 > r->len - r->off)
			goto trunc;
		e->subject = cp1252_to_utf8(r->p + r->off, len2);
		r->off += len2;
	}
	if ((e->flags & RECUR_ARO_MEETINGTYPE) &&
	    rd32(r, (uint32_t *)&e->meeting_type) != 0)
		goto trunc;
	if ((e->flags & RECUR_ARO_REMINDERDELTA) &&
	    rd32(r, (uint32_t *)&e->reminder_delta) != 0)
		goto trunc;
	if ((e->flags & RECUR_ARO_REMINDER) &&
	    rd32(r, (uint32_t *)&e->reminder_set) != 0)
		goto trunc;
	if (e->flags & RECUR_ARO_LOCATION) {
		if (rd16(r, &len) != 0 || rd16(r, &len2) != 0 ||
		    len2 > r->len - r->off)
			goto trunc;
		e->location = cp1252_to_utf8(r->p + r->off, len2);
		r->off += len2;
	}
	if ((e->flags & RECUR_ARO_BUSYSTATUS) &&
	    rd32(r, (uint32_t *)&e->busy) != 0)
		goto trunc;
	if ((e->flags & RECUR_ARO_ATTACHMENT) &&
	    rd32(r, (uint32_t *)&e->attachment) != 0)
		goto trunc;
	if ((e->flags & RECUR_ARO_SUBTYPE) &&
	    rd32(r, (uint32_t *)&e->subtype) != 0)
		goto trunc;
	if ((e->flags & RECUR_ARO_APPTCOLOR) &&
	    rd32(r, (uint32_t *)&e->color) != 0)
		goto trunc;
	return 0;
trunc:
	xasprintf(cause, "recurrence exception truncated at byte %zu",
	    r->off);
	return -1;
}

/* One ExtendedException; its wide strings replace the 8-bit ones.
 * -1 if it is truncated (the strings already taken stay). */
static int
decode_extended(struct rd *r, uint32_t writer2, struct recur_exception *e)
{
	uint32_t skip;
	uint16_t n;

	if (writer2 >= RECUR_CHANGEHIGHLIGHT && rdskip32(r) != 0)
		return -1;
	if (rdskip32(r) != 0)
		return -1;
	if ((e->flags & (RECUR_ARO_SUBJECT | RECUR_ARO_LOCATION)) == 0)
		return 0;
	/* Start, end and original start repeat the ExceptionInfo. */
	if (rd32(r, &skip) != 0 || rd32(r, &skip) != 0 ||
	    rd32(r, &skip) != 0)
		return -1;
	if (e->flags & RECUR_ARO_SUBJECT) {
		if (rd16(r, &n) != 0 || (size_t)n * 2 > r->len - r->off)
			return -1;
		free(e->subject);
		e->subject = appt_utf16le_to_utf8(r->p + r->off, 2 * n);
		r->off += 2 * (size_t)n;
	}
	if (e->flags & RECUR_ARO_LOCATION) {
		if (rd16(r, &n) != 0 || (size_t)n * 2 > r->len - r->off)
			return -1;
		free(e->location);
		e->location = appt_utf16le_to_utf8(r->p + r->off, 2 * n);
		r->off += 2 * (size_t)n;
	}
	if (rdskip32(r) != 0)
		return -1;
	return 0;
}

int
recur_decode(const uint8_t *p, size_t len, struct recur *rc, char **cause)
{
	struct rd r = { p, len, 0 };
	uint16_t reader, writer, nexc;
	uint32_t sliding, n, reader2;
	size_t i;

	memset(rc, 0, sizeof *rc);
	if (rd16(&r, &reader) != 0 || rd16(&r, &writer) != 0 ||
	    rd16(&r, &rc->freq) != 0 || rd16(&r, &rc->pattern) != 0 ||
	    rd16(&r, &rc->cal_type) != 0 ||
	    rd32(&r, &rc->first_datetime) != 0 ||
	    rd32(&r, &rc->period) != 0 || rd32(&r, &sliding) != 0)
		goto trunc;
	if (reader != RECUR_READER) {
		xasprintf(cause, "recurrence reader version 0x%04x, want "
		    "0x3004", reader);
		return -1;
	}
	if (rc->freq < RECUR_FREQ_DAILY || rc->freq > RECUR_FREQ_YEARLY) {
		xasprintf(cause, "unknown recurrence frequency 0x%04x",
		    rc->freq);
		return -1;
	}
	if (!pattern_known(rc->pattern)) {
		xasprintf(cause, "unknown recurrence pattern type 0x%x",
		    rc->pattern);
		return -1;
	}
	switch (rc->pattern) {
	case RECUR_PAT_WEEK:
		if (rd32(&r, &rc->day_mask) != 0)
			goto trunc;
		break;
	case RECUR_PAT_MONTHNTH:
	case RECUR_PAT_HJMONTHNTH:
		if (rd32(&r, &rc->day_mask) != 0 || rd32(&r, &rc->nth) != 0)
			goto trunc;
		break;
	case RECUR_PAT_MONTH:
	case RECUR_PAT_MONTHEND:
	case RECUR_PAT_HJMONTH:
	case RECUR_PAT_HJMONTHEND:
		if (rd32(&r, &rc->day_of_month) != 0)
			goto trunc;
		break;
	}
	if (rd32(&r, &rc->end_type) != 0 || rd32(&r, &rc->count) != 0 ||
	    rd32(&r, &rc->first_dow) != 0 || rd32(&r, &n) != 0)
		goto trunc;
	if (n > (r.len - r.off) / 4)
		goto trunc;
	rc->ndeleted = n;
	rc->deleted = xcalloc(n ? n : 1, sizeof *rc->deleted);
	for (i = 0; i < n; i++)
		rd32(&r, &rc->deleted[i]);
	if (rd32(&r, &n) != 0 || n > (r.len - r.off) / 4)
		goto trunc;
	rc->nmodified = n;
	rc->modified = xcalloc(n ? n : 1, sizeof *rc->modified);
	for (i = 0; i < n; i++)
		rd32(&r, &rc->modified[i]);
	qsort(rc->deleted, rc->ndeleted, sizeof *rc->deleted, u32cmp);
	qsort(rc->modified, rc->nmodified, sizeof *rc->modified, u32cmp);
	if (rd32(&r, &rc->start_date) != 0 || rd32(&r, &rc->end_date) != 0)
		goto trunc;

	/* AppointmentRecurrencePattern. */
	if (rd32(&r, &reader2) != 0 || rd32(&r, &rc->writer_version2) != 0 ||
	    rd32(&r, &rc->start_offset) != 0 ||
	    rd32(&r, &rc->end_offset) != 0 || rd16(&r, &nexc) != 0)
		goto trunc;
	if (reader2 != RECUR_READER2) {
		xasprintf(cause, "appointment recurrence reader version "
		    "0x%04x, want 0x3006", reader2);
		recur_free(rc);
		return -1;
	}
	if (nexc > (r.len - r.off) / RECUR_EXC_MIN)
		goto trunc;
	rc->nexcs = nexc;
	rc->excs = xcalloc(nexc ? nexc : 1, sizeof *rc->excs);
	for (i = 0; i < rc->nexcs; i++) {
		if (decode_exception(&r, &rc->excs[i], cause) != 0) {
			recur_free(rc);
			return -1;
		}
	}
	if (rdskip32(&r) != 0)
		goto trunc;
	/* The ExtendedExceptions only add wide copies of the strings.
	 * Some writers omit them and damage there loses nothing the 8-bit
	 * strings do not have, so the pattern stands either way. The
	 * reserved block after them carries nothing. */
	for (i = 0; i < rc->nexcs; i++)
		if (decode_extended(&r, rc->writer_version2,
		    &rc->excs[i]) != 0)
			break;
	return 0;
trunc:
	xasprintf(cause, "recurrence blob truncated or inconsistent at byte "
	    "%zu of %zu", r.off, r.len);
	recur_free(rc);
	return -1;
}

void
recur_free(struct recur *rc)
{
	size_t i;

	for (i = 0; i < rc->nexcs; i++) {
		free(rc->excs[i].subject);
		free(rc->excs[i].location);
	}
	free(rc->excs);
	free(rc->deleted);
	free(rc->modified);
	rc->excs = NULL;
	rc->deleted = rc->modified = NULL;
	rc->nexcs = rc->ndeleted = rc->nmodified = 0;
}

static int
never_ends(uint32_t end_type)
{
	return end_type != RECUR_END_DATE && end_type != RECUR_END_COUNT;
}

/* The day of an occurrence in month (y, m) for the monthly patterns;
 * 0 with *day set, or -1 when the month has no such day. */
static int
month_day(const struct recur *rc, int y, int m, int64_t *day)
{
	int64_t first, next, d, found = -1;
	int dim, hits = 0;

	first = tz_days_from_civil(y, m, 1);
	next = m == 12 ? tz_days_from_civil(y + 1, 1, 1) :
	    tz_days_from_civil(y, m + 1, 1);
	dim = (int)(next - first);
	switch (rc->pattern) {
	case RECUR_PAT_MONTH:
		*day = first + ((int)rc->day_of_month > dim ? dim :
		    (int)rc->day_of_month) - 1;
		return 0;
	case RECUR_PAT_MONTHEND:
		*day = next - 1;
		return 0;
	case RECUR_PAT_MONTHNTH:
		for (d = first; d < next; d++) {
			if ((rc->day_mask & (1u << tz_weekday(d))) == 0)
				continue;
			found = d;
			if (++hits == (int)rc->nth)
				break;
		}
		if (found < 0)
			return -1;
		*day = found;
		return 0;
	}
	return -1;
}

/* Whether the pattern fields make sense for enumeration and RRULEs. */
static int
check_pattern(const struct recur *rc, char **cause)
{
	if (!recur_is_gregorian(rc)) {
		xasprintf(cause, "non-Gregorian recurrence (calendar type "
		    "0x%x, pattern 0x%x)", rc->cal_type, rc->pattern);
		return -1;
	}
	if (rc->period == 0) {
		xasprintf(cause, "recurrence period is zero");
		return -1;
	}
	switch (rc->pattern) {
	case RECUR_PAT_DAY:
		if (rc->period % RECUR_MIN_PER_DAY != 0) {
			xasprintf(cause, "daily period of %u minutes is not "
			    "whole days", rc->period);
			return -1;
		}
		break;
	case RECUR_PAT_WEEK:
		if ((rc->day_mask & 0x7f) == 0 || rc->first_dow > 6) {
			xasprintf(cause, "weekly recurrence without days or "
			    "with first day %u", rc->first_dow);
			return -1;
		}
		break;
	case RECUR_PAT_MONTH:
		if (rc->day_of_month < 1 || rc->day_of_month > 31) {
			xasprintf(cause, "monthly day %u out of range",
			    rc->day_of_month);
			return -1;
		}
		break;
	case RECUR_PAT_MONTHNTH:
		if ((rc->day_mask & 0x7f) == 0 || rc->nth < 1 ||
		    rc->nth > 5) {
			xasprintf(cause, "month-nth recurrence with mask 0x%x "
			    "and week %u", rc->day_mask, rc->nth);
			return -1;
		}
		break;
	}
	if (rc->pattern >= RECUR_PAT_MONTH && rc->period > 99 * 12) {
		xasprintf(cause, "monthly period of %u months", rc->period);
		return -1;
	}
	return 0;
}

/* Walk the occurrences (local dates, in minutes) from start_date until
 * one passes until_day or max have been seen; *n gets how many, *last
 * the date of the last one. */
static int
enumerate(const struct recur *rc, int64_t until_day, uint32_t max,
    uint32_t *n, uint32_t *last)
{
	int64_t start, d, w, step;
	int y, m, dd, i, mi;

	*n = 0;
	*last = rc->start_date;
	start = rc->start_date / RECUR_MIN_PER_DAY;
	if (until_day > (int64_t)RECUR_LAST_DAY)
		until_day = RECUR_LAST_DAY;
	switch (rc->pattern) {
	case RECUR_PAT_DAY:
		step = rc->period / RECUR_MIN_PER_DAY;
		for (d = start; d <= until_day && *n < max; d += step) {
			(*n)++;
			*last = (uint32_t)(d * RECUR_MIN_PER_DAY);
		}
		return 0;
	case RECUR_PAT_WEEK:
		w = start - (tz_weekday(start) - (int)rc->first_dow + 7) % 7;
		for (; w <= until_day && *n < max; w += 7 * (int64_t)rc->period)
			for (i = 0; i < 7 && *n < max; i++) {
				d = w + i;
				if (d < start || d > until_day ||
				    !(rc->day_mask & (1u << tz_weekday(d))))
					continue;
				(*n)++;
				*last = (uint32_t)(d * RECUR_MIN_PER_DAY);
			}
		return 0;
	case RECUR_PAT_MONTH:
	case RECUR_PAT_MONTHEND:
	case RECUR_PAT_MONTHNTH:
		tz_civil_from_days(start, &y, &m, &dd);
		for (mi = y * 12 + m - 1; *n < max; mi += (int)rc->period) {
			if (month_day(rc, mi / 12, mi % 12 + 1, &d) != 0)
				continue;
			if (d > until_day)
				break;
			if (d < start)
				continue;
			(*n)++;
			*last = (uint32_t)(d * RECUR_MIN_PER_DAY);
		}
		return 0;
	}
	return -1;
}

/* MS-OXOCAL 2.2.1.44.1.1: the start of the first period, reduced
 * modulo the period, in minutes. */
static uint32_t
first_datetime(const struct recur *rc)
{
	int64_t start, ws;
	int y, m, d, months;

	start = rc->start_date / RECUR_MIN_PER_DAY;
	switch (rc->pattern) {
	case RECUR_PAT_DAY:
		return rc->period ? rc->start_date % rc->period : 0;
	case RECUR_PAT_WEEK:
		ws = start - (tz_weekday(start) - (int)(rc->first_dow % 7) +
		    7) % 7;
		if (ws < 0)
			ws = 0;
		return (uint32_t)((ws * RECUR_MIN_PER_DAY) %
		    ((int64_t)(rc->period ? rc->period : 1) *
		    RECUR_MIN_PER_WEEK));
	default:
		tz_civil_from_days(start, &y, &m, &d);
		months = ((y - 1601) * 12 + m - 1) %
		    (int)(rc->period ? rc->period : 1);
		return (uint32_t)(tz_days_from_civil(1601 + months / 12,
		    months % 12 + 1, 1) * RECUR_MIN_PER_DAY);
	}
}

static int
put_string8(struct wr *w, const char *s, char **cause)
{
	uint8_t *b;
	size_t n;

	b = utf8_to_cp1252(s != NULL ? s : "", &n);
	if (n >= 0xffff) {
		free(b);
		xasprintf(cause, "exception text of %zu bytes is too long", n);
		return -1;
	}
	wr16(w, (uint16_t)(n + 1));
	wr16(w, (uint16_t)n);
	wrbytes(w, b, n);
	free(b);
	return 0;
}

static int
put_string16(struct wr *w, const char *s, char **cause)
{
	uint8_t *b;
	size_t n;

	if (s == NULL)
		s = "";
	n = appt_utf8_to_utf16le(s, NULL);
	b = xmalloc(2 * n + 2);
	appt_utf8_to_utf16le(s, b);
	if (n > 0xffff) {
		free(b);
		xasprintf(cause, "exception text of %zu units is too long", n);
		return -1;
	}
	wr16(w, (uint16_t)n);
	wrbytes(w, b, 2 * n);
	free(b);
	return 0;
}

int
recur_encode(const struct recur *in, uint8_t **out, size_t *outlen,
    char **cause)
{
	struct recur rc = *in;
	struct wr w = { NULL, 0, 0 };
	const struct recur_exception *e;
	uint32_t n, last;
	size_t i;

	if (rc.freq < RECUR_FREQ_DAILY || rc.freq > RECUR_FREQ_YEARLY ||
	    !pattern_known(rc.pattern)) {
		xasprintf(cause, "cannot encode frequency 0x%x pattern 0x%x",
		    rc.freq, rc.pattern);
		return -1;
	}
	if (rc.nexcs > 0xffff) {
		xasprintf(cause, "%zu exceptions do not fit", rc.nexcs);
		return -1;
	}
	if (rc.writer_version2 == 0)
		rc.writer_version2 = RECUR_WRITER2;
	if (rc.end_type == RECUR_END_COUNT && rc.end_date == 0) {
		if (check_pattern(&rc, cause) != 0 ||
		    enumerate(&rc, RECUR_LAST_DAY, rc.count, &n, &last) != 0)
			return -1;
		rc.end_date = last;
	}
	if (rc.end_type == RECUR_END_DATE && rc.count == 0) {
		if (check_pattern(&rc, cause) != 0 ||
		    enumerate(&rc, rc.end_date / RECUR_MIN_PER_DAY, UINT32_MAX,
		    &n, &last) != 0)
			return -1;
		rc.count = n;
	}
	if (never_ends(rc.end_type)) {
		if (rc.count == 0)
			rc.count = RECUR_NEVER_COUNT;
		if (rc.end_date == 0)
			rc.end_date = RECUR_NO_END_DATE;
	}
	if (rc.first_datetime == 0)
		rc.first_datetime = first_datetime(&rc);

	wr16(&w, RECUR_READER);
	wr16(&w, RECUR_READER);
	wr16(&w, rc.freq);
	wr16(&w, rc.pattern);
	wr16(&w, rc.cal_type);
	wr32(&w, rc.first_datetime);
	wr32(&w, rc.period);
	wr32(&w, 0);		/* SlidingFlag: tasks only */
	switch (rc.pattern) {
	case RECUR_PAT_WEEK:
		wr32(&w, rc.day_mask);
		break;
	case RECUR_PAT_MONTHNTH:
	case RECUR_PAT_HJMONTHNTH:
		wr32(&w, rc.day_mask);
		wr32(&w, rc.nth);
		break;
	case RECUR_PAT_MONTH:
	case RECUR_PAT_MONTHEND:
	case RECUR_PAT_HJMONTH:
	case RECUR_PAT_HJMONTHEND:
		wr32(&w, rc.day_of_month);
		break;
	}
	wr32(&w, rc.end_type);
	wr32(&w, rc.count);
	wr32(&w, rc.first_dow);
	wr32(&w, (uint32_t)rc.ndeleted);
	for (i = 0; i < rc.ndeleted; i++)
		wr32(&w, rc.deleted[i]);
	wr32(&w, (uint32_t)rc.nmodified);
	for (i = 0; i < rc.nmodified; i++)
		wr32(&w, rc.modified[i]);
	wr32(&w, rc.start_date);
	wr32(&w, rc.end_date);

	wr32(&w, RECUR_READER2);
	wr32(&w, rc.writer_version2);
	wr32(&w, rc.start_offset);
	wr32(&w, rc.end_offset);
	wr16(&w, (uint16_t)rc.nexcs);
	for (i = 0; i < rc.nexcs; i++) {
		e = &rc.excs[i];
		wr32(&w, e->start);
		wr32(&w, e->end);
		wr32(&w, e->orig_start);
		wr16(&w, e->flags);
		if ((e->flags & RECUR_ARO_SUBJECT) &&
		    put_string8(&w, e->subject, cause) != 0)
			goto fail;
		if (e->flags & RECUR_ARO_MEETINGTYPE)
			wr32(&w, (uint32_t)e->meeting_type);
		if (e->flags & RECUR_ARO_REMINDERDELTA)
			wr32(&w, (uint32_t)e->reminder_delta);
		if (e->flags & RECUR_ARO_REMINDER)
			wr32(&w, (uint32_t)e->reminder_set);
		if ((e->flags & RECUR_ARO_LOCATION) &&
		    put_string8(&w, e->location, cause) != 0)
			goto fail;
		if (e->flags & RECUR_ARO_BUSYSTATUS)
			wr32(&w, (uint32_t)e->busy);
		if (e->flags & RECUR_ARO_ATTACHMENT)
			wr32(&w, (uint32_t)e->attachment);
		if (e->flags & RECUR_ARO_SUBTYPE)
			wr32(&w, (uint32_t)e->subtype);
		if (e->flags & RECUR_ARO_APPTCOLOR)
			wr32(&w, (uint32_t)e->color);
	}
	wr32(&w, 0);		/* ReservedBlock1Size */
	for (i = 0; i < rc.nexcs; i++) {
		e = &rc.excs[i];
		if (rc.writer_version2 >= RECUR_CHANGEHIGHLIGHT) {
			wr32(&w, 4);	/* ChangeHighlightSize */
			wr32(&w, 0);	/* ChangeHighlightValue */
		}
		wr32(&w, 0);	/* ReservedBlockEE1Size */
		if ((e->flags & (RECUR_ARO_SUBJECT | RECUR_ARO_LOCATION)) == 0)
			continue;
		wr32(&w, e->start);
		wr32(&w, e->end);
		wr32(&w, e->orig_start);
		if ((e->flags & RECUR_ARO_SUBJECT) &&
		    put_string16(&w, e->subject, cause) != 0)
			goto fail;
		if ((e->flags & RECUR_ARO_LOCATION) &&
		    put_string16(&w, e->location, cause) != 0)
			goto fail;
		wr32(&w, 0);	/* ReservedBlockEE2Size */
	}
	wr32(&w, 0);		/* ReservedBlock2Size */
	*out = w.p;
	*outlen = w.len;
	return 0;
fail:
	free(w.p);
	return -1;
}

int
recur_is_gregorian(const struct recur *rc)
{
	switch (rc->cal_type) {
	case 0x0:	/* default */
	case 0x1:	/* Gregorian (localized) */
	case 0x2:	/* Gregorian (US English) */
	case 0x9:	/* Gregorian Middle East French */
	case 0xA:	/* Gregorian Arabic */
	case 0xB:	/* Gregorian transliterated English */
	case 0xC:	/* Gregorian transliterated French */
		break;
	default:
		return 0;
	}
	switch (rc->pattern) {
	case RECUR_PAT_DAY:
	case RECUR_PAT_WEEK:
	case RECUR_PAT_MONTH:
	case RECUR_PAT_MONTHNTH:
	case RECUR_PAT_MONTHEND:
		return 1;
	}
	return 0;
}

static void
append(char **s, size_t *len, const char *fmt, ...)
{
	va_list ap;
	char buf[128];
	int n;

	/* Only short RRULE parts pass through here. */
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf)
		return;
	*s = xreallocarray(*s, *len + (size_t)n + 1, 1);
	memcpy(*s + *len, buf, (size_t)n + 1);
	*len += (size_t)n;
}

static void
append_days(char **s, size_t *len, uint32_t mask)
{
	int i, first = 1;

	append(s, len, ";BYDAY=");
	for (i = 0; i < 7; i++) {
		if (mask & (1u << i)) {
			append(s, len, "%s%s", first ? "" : ",", day_names[i]);
			first = 0;
		}
	}
}

int
recur_rrule(const struct recur *rc, const struct tz_rule *rule, int all_day,
    char **out, char **cause)
{
	char *s = NULL;
	size_t len = 0;
	uint32_t interval, mday;
	int64_t until, days;
	int y, m, d, yearly;

	if (check_pattern(rc, cause) != 0)
		return -1;
	s = xstrdup("");
	switch (rc->pattern) {
	case RECUR_PAT_DAY:
		append(&s, &len, "FREQ=DAILY;INTERVAL=%u",
		    rc->period / RECUR_MIN_PER_DAY);
		break;
	case RECUR_PAT_WEEK:
		append(&s, &len, "FREQ=WEEKLY;INTERVAL=%u", rc->period);
		append_days(&s, &len, rc->day_mask);
		append(&s, &len, ";WKST=%s", day_names[rc->first_dow]);
		break;
	default:
		yearly = rc->period % 12 == 0;
		interval = yearly ? rc->period / 12 : rc->period;
		append(&s, &len, "FREQ=%s;INTERVAL=%u",
		    yearly ? "YEARLY" : "MONTHLY", interval);
		if (yearly) {
			tz_civil_from_days(rc->start_date / RECUR_MIN_PER_DAY,
			    &y, &m, &d);
			append(&s, &len, ";BYMONTH=%d", m);
		}
		if (rc->pattern == RECUR_PAT_MONTHNTH) {
			append_days(&s, &len, rc->day_mask);
			append(&s, &len, ";BYSETPOS=%d",
			    rc->nth == 5 ? -1 : (int)rc->nth);
		} else {
			mday = rc->pattern == RECUR_PAT_MONTHEND ? 31 :
			    rc->day_of_month;
			append(&s, &len, ";BYMONTHDAY=%d",
			    mday == 31 ? -1 : (int)mday);
		}
		break;
	}
	switch (rc->end_type) {
	case RECUR_END_COUNT:
		append(&s, &len, ";COUNT=%u", rc->count);
		break;
	case RECUR_END_DATE:
		days = rc->end_date / RECUR_MIN_PER_DAY;
		if (all_day) {
			tz_civil_from_days(days, &y, &m, &d);
			append(&s, &len, ";UNTIL=%04d%02d%02d", y, m, d);
			break;
		}
		until = recur_min_to_ft(rc->end_date) +
		    (int64_t)rc->start_offset * RECUR_FT_PER_MIN;
		if (rule != NULL)
			until = tz_local_to_utc(rule, until);
		until /= RECUR_FT_PER_MIN;	/* minutes, UTC */
		if (until < 0)
			until = 0;
		tz_civil_from_days(until / RECUR_MIN_PER_DAY, &y, &m, &d);
		append(&s, &len, ";UNTIL=%04d%02d%02dT%02d%02d00Z", y, m, d,
		    (int)(until % RECUR_MIN_PER_DAY / 60),
		    (int)(until % 60));
		break;
	}
	*out = s;
	return 0;
}

uint32_t *
recur_exdates(const struct recur *rc, size_t *n)
{
	uint32_t *v, day;
	size_t i, j, k = 0;
	int kept;

	*n = 0;
	if (rc->ndeleted == 0)
		return NULL;
	v = xcalloc(rc->ndeleted, sizeof *v);
	for (i = 0; i < rc->ndeleted; i++) {
		day = rc->deleted[i] / RECUR_MIN_PER_DAY;
		kept = 0;
		/* A deleted date that an exception replaces is no EXDATE. */
		for (j = 0; j < rc->nexcs && !kept; j++)
			if (rc->excs[j].orig_start / RECUR_MIN_PER_DAY == day)
				kept = 1;
		/* Exceptions missing from the blob: trust ModifiedInstances. */
		if (rc->nexcs < rc->nmodified)
			for (j = 0; j < rc->nmodified && !kept; j++)
				if (rc->modified[j] / RECUR_MIN_PER_DAY == day)
					kept = 1;
		if (kept)
			continue;
		if ((uint64_t)day * RECUR_MIN_PER_DAY + rc->start_offset >
		    UINT32_MAX)
			continue;
		v[k++] = day * RECUR_MIN_PER_DAY + rc->start_offset;
	}
	*n = k;
	if (k == 0) {
		free(v);
		return NULL;
	}
	return v;
}

static int
streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static int
exc_equal(const struct recur_exception *a, const struct recur_exception *b)
{
	uint16_t f = a->flags;

	if (a->start != b->start || a->end != b->end ||
	    a->orig_start != b->orig_start || a->flags != b->flags)
		return 0;
	if ((f & RECUR_ARO_SUBJECT) && !streq(a->subject, b->subject))
		return 0;
	if ((f & RECUR_ARO_LOCATION) && !streq(a->location, b->location))
		return 0;
	if ((f & RECUR_ARO_MEETINGTYPE) && a->meeting_type != b->meeting_type)
		return 0;
	if ((f & RECUR_ARO_REMINDERDELTA) &&
	    a->reminder_delta != b->reminder_delta)
		return 0;
	if ((f & RECUR_ARO_REMINDER) && a->reminder_set != b->reminder_set)
		return 0;
	if ((f & RECUR_ARO_BUSYSTATUS) && a->busy != b->busy)
		return 0;
	if ((f & RECUR_ARO_ATTACHMENT) && a->attachment != b->attachment)
		return 0;
	if ((f & RECUR_ARO_SUBTYPE) && a->subtype != b->subtype)
		return 0;
	if ((f & RECUR_ARO_APPTCOLOR) && a->color != b->color)
		return 0;
	return 1;
}

int
recur_same_pattern(const struct recur *a, const struct recur *b)
{
	if (a->freq != b->freq || a->pattern != b->pattern ||
	    a->cal_type != b->cal_type || a->period != b->period ||
	    a->start_date != b->start_date ||
	    a->start_offset != b->start_offset ||
	    a->end_offset != b->end_offset)
		return 0;
	switch (a->pattern) {
	case RECUR_PAT_WEEK:
		if (a->day_mask != b->day_mask || a->first_dow != b->first_dow)
			return 0;
		break;
	case RECUR_PAT_MONTHNTH:
	case RECUR_PAT_HJMONTHNTH:
		if (a->day_mask != b->day_mask || a->nth != b->nth)
			return 0;
		break;
	case RECUR_PAT_MONTH:
	case RECUR_PAT_HJMONTH:
		if (a->day_of_month != b->day_of_month)
			return 0;
		break;
	}
	/* Both "never" spellings are the same range. */
	if (never_ends(a->end_type) != never_ends(b->end_type))
		return 0;
	if (!never_ends(a->end_type) && (a->end_type != b->end_type ||
	    a->end_date != b->end_date ||
	    (a->end_type == RECUR_END_COUNT && a->count != b->count)))
		return 0;
	return 1;
}

int
recur_equal(const struct recur *a, const struct recur *b)
{
	size_t i;

	if (!recur_same_pattern(a, b))
		return 0;
	if (a->ndeleted != b->ndeleted || a->nmodified != b->nmodified ||
	    a->nexcs != b->nexcs)
		return 0;
	for (i = 0; i < a->ndeleted; i++)
		if (a->deleted[i] != b->deleted[i])
			return 0;
	for (i = 0; i < a->nmodified; i++)
		if (a->modified[i] != b->modified[i])
			return 0;
	for (i = 0; i < a->nexcs; i++)
		if (!exc_equal(&a->excs[i], &b->excs[i]))
			return 0;
	return 1;
}

/* Whether the sorted dates b (nb) are all in the sorted dates a (na). */
static int
dates_include(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i = 0, j;

	for (j = 0; j < nb; j++) {
		while (i < na && a[i] < b[j])
			i++;
		if (i == na || a[i] != b[j])
			return 0;
	}
	return 1;
}

int
recur_includes(const struct recur *a, const struct recur *b)
{
	size_t i, j;

	if (!recur_same_pattern(a, b) ||
	    !dates_include(a->deleted, a->ndeleted, b->deleted, b->ndeleted) ||
	    !dates_include(a->modified, a->nmodified, b->modified,
	    b->nmodified))
		return 0;
	for (j = 0; j < b->nexcs; j++) {
		for (i = 0; i < a->nexcs; i++)
			if (exc_equal(&a->excs[i], &b->excs[j]))
				break;
		if (i == a->nexcs)
			return 0;
	}
	return 1;
}

int64_t
recur_min_to_ft(uint32_t min)
{
	return (int64_t)min * RECUR_FT_PER_MIN;
}

uint32_t
recur_ft_to_min(int64_t ft)
{
	int64_t m;

	if (ft <= 0)
		return 0;
	m = ft / RECUR_FT_PER_MIN;
	return m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
}
