/* recur.c: PidLidAppointmentRecur blobs decoded, the pattern's
 * arithmetic and equality (recur_int.h: the other parts). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ft.h"
#include "model.h"
#include "recur.h"
#include "recur_int.h"
#include "text.h"
#include "tz.h"
#include "xmalloc.h"

struct rd {
	const uint8_t	*p;
	size_t		 len;
	size_t		 off;
};

static int	rd16(struct rd *, uint16_t *);
static int	rd32(struct rd *, uint32_t *);
static int	rdskip32(struct rd *);
static char	*cp1252_to_utf8(const uint8_t *, size_t);
static int	u32cmp(const void *, const void *);
static int	exccmp(const void *, const void *);
static int	decode_exception(struct rd *, struct recur_exception *,
		    char **);
static int	decode_extended(struct rd *, uint32_t,
		    struct recur_exception *);
static int	month_day(const struct recur *, int, int, int64_t *);
static int	streq(const char *, const char *);
static int	exc_equal(const struct recur_exception *,
		    const struct recur_exception *);

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

/* ExceptionInfo's 8-bit strings are in the writer's ANSI code page;
 * Windows-1252 is the usual one and the only one assumed here. */
static char *
cp1252_to_utf8(const uint8_t *p, size_t n)
{
	char *out = xmalloc(n * 3 + 1);
	size_t i, o = 0;

	for (i = 0; i < n; i++)
		o += text_utf8_put(text_cp1252_to_cp(p[i]), out + o);
	out[o] = '\0';
	return text_clean(out);
}

int
rec_pattern_known(uint16_t pattern)
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
		e->subject = text_utf16le_to_utf8(r->p + r->off, 2 * n);
		r->off += 2 * (size_t)n;
	}
	if (e->flags & RECUR_ARO_LOCATION) {
		if (rd16(r, &n) != 0 || (size_t)n * 2 > r->len - r->off)
			return -1;
		free(e->location);
		e->location = text_utf16le_to_utf8(r->p + r->off, 2 * n);
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
	if (!rec_pattern_known(rc->pattern)) {
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
recur_exc_alloc(struct recur *r, size_t nexdates, size_t nexcs)
{
	r->ndeleted = nexdates + nexcs;
	r->deleted = xcalloc(r->ndeleted + 1, sizeof *r->deleted);
	r->nmodified = nexcs;
	r->modified = xcalloc(r->nmodified + 1, sizeof *r->modified);
	r->nexcs = nexcs;
	r->excs = xcalloc(r->nexcs + 1, sizeof *r->excs);
}

/* An exception deletes the occurrence it replaces and adds one on its
 * new day (MS-OXOCAL 2.2.1.44.1: both lists, each date a midnight). */
void
recur_exc_dates(struct recur *r, size_t nexdates)
{
	size_t i;

	for (i = 0; i < r->nexcs; i++) {
		r->deleted[nexdates + i] = recur_midnight(
		    r->excs[i].orig_start);
		r->modified[i] = recur_midnight(r->excs[i].start);
	}
	recur_sort(r);
}

void
recur_exc_free(struct recur *r)
{
	free(r->deleted);
	free(r->modified);
	free(r->excs);
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

int
rec_never_ends(uint32_t end_type)
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

	first = ft_days_from_civil(y, m, 1);
	next = m == 12 ? ft_days_from_civil(y + 1, 1, 1) :
	    ft_days_from_civil(y, m + 1, 1);
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

int
rec_check_pattern(const struct recur *rc, char **cause)
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

int
rec_enumerate(const struct recur *rc, int64_t until_day, uint32_t max,
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
		ft_civil_from_days(start, &y, &m, &dd);
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

uint32_t
rec_first_datetime(const struct recur *rc)
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
		ft_civil_from_days(start, &y, &m, &d);
		months = ((y - 1601) * 12 + m - 1) %
		    (int)(rc->period ? rc->period : 1);
		return (uint32_t)(ft_days_from_civil(1601 + months / 12,
		    months % 12 + 1, 1) * RECUR_MIN_PER_DAY);
	}
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
	if (rec_never_ends(a->end_type) != rec_never_ends(b->end_type))
		return 0;
	if (!rec_never_ends(a->end_type) && (a->end_type != b->end_type ||
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

uint32_t
recur_midnight(uint32_t min)
{
	return min - min % RECUR_MIN_PER_DAY;
}

int64_t
recur_min_to_ft(uint32_t min)
{
	return (int64_t)min * FT_MIN;
}

uint32_t
recur_ft_to_min(int64_t ft)
{
	int64_t m;

	if (ft <= 0)
		return 0;
	m = ft / FT_MIN;
	return m > UINT32_MAX ? UINT32_MAX : (uint32_t)m;
}
