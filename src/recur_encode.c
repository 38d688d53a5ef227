/* recur_encode.c: struct recur as a PidLidAppointmentRecur blob
 * (recur_encode() in recur.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "recur.h"
#include "recur_int.h"
#include "text.h"
#include "xmalloc.h"

struct wr {
	uint8_t		*p;
	size_t		 len;
	size_t		 cap;
};

static void	wrbytes(struct wr *, const void *, size_t);
static void	wr16(struct wr *, uint16_t);
static void	wr32(struct wr *, uint32_t);
static uint8_t	*utf8_to_cp1252(const char *, size_t *);
static int	put_string8(struct wr *, const char *, char **);
static int	put_string16(struct wr *, const char *, char **);

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

static uint8_t *
utf8_to_cp1252(const char *s, size_t *n)
{
	uint8_t *out = xmalloc(strlen(s) + 1);
	size_t o = 0;
	int b;

	while (*s != '\0') {
		b = text_cp1252_from_cp(text_utf8_next(&s));
		out[o++] = b >= 0 ? (uint8_t)b : '?';
	}
	*n = o;
	return out;
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
	n = text_utf8_to_utf16le(s, NULL);
	b = xmalloc(2 * n + 2);
	text_utf8_to_utf16le(s, b);
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

/* The counts and dates the blob needs that the caller left 0. */
static int
encode_complete(struct recur *rc, char **cause)
{
	uint32_t n, last;

	if (rc->freq < RECUR_FREQ_DAILY || rc->freq > RECUR_FREQ_YEARLY ||
	    !rec_pattern_known(rc->pattern)) {
		xasprintf(cause, "cannot encode frequency 0x%x pattern 0x%x",
		    rc->freq, rc->pattern);
		return -1;
	}
	if (rc->nexcs > 0xffff) {
		xasprintf(cause, "%zu exceptions do not fit", rc->nexcs);
		return -1;
	}
	if (rc->writer_version2 == 0)
		rc->writer_version2 = RECUR_WRITER2;
	if (rc->end_type == RECUR_END_COUNT && rc->end_date == 0) {
		if (rec_check_pattern(rc, cause) != 0 ||
		    rec_enumerate(rc, RECUR_LAST_DAY, rc->count, &n,
		    &last) != 0)
			return -1;
		rc->end_date = last;
	}
	if (rc->end_type == RECUR_END_DATE && rc->count == 0) {
		if (rec_check_pattern(rc, cause) != 0 ||
		    rec_enumerate(rc, rc->end_date / RECUR_MIN_PER_DAY,
		    UINT32_MAX, &n, &last) != 0)
			return -1;
		rc->count = n;
	}
	if (rec_never_ends(rc->end_type)) {
		if (rc->count == 0)
			rc->count = RECUR_NEVER_COUNT;
		if (rc->end_date == 0)
			rc->end_date = RECUR_NO_END_DATE;
	}
	if (rc->first_datetime == 0)
		rc->first_datetime = rec_first_datetime(rc);
	return 0;
}

/* RecurrencePattern and the fixed part of AppointmentRecurrencePattern
 * up to ExceptionCount. */
static void
encode_pattern(struct wr *w, const struct recur *rc)
{
	size_t i;

	wr16(w, RECUR_READER);
	wr16(w, RECUR_READER);
	wr16(w, rc->freq);
	wr16(w, rc->pattern);
	wr16(w, rc->cal_type);
	wr32(w, rc->first_datetime);
	wr32(w, rc->period);
	wr32(w, 0);		/* SlidingFlag: tasks only */
	switch (rc->pattern) {
	case RECUR_PAT_WEEK:
		wr32(w, rc->day_mask);
		break;
	case RECUR_PAT_MONTHNTH:
	case RECUR_PAT_HJMONTHNTH:
		wr32(w, rc->day_mask);
		wr32(w, rc->nth);
		break;
	case RECUR_PAT_MONTH:
	case RECUR_PAT_MONTHEND:
	case RECUR_PAT_HJMONTH:
	case RECUR_PAT_HJMONTHEND:
		wr32(w, rc->day_of_month);
		break;
	}
	wr32(w, rc->end_type);
	wr32(w, rc->count);
	wr32(w, rc->first_dow);
	wr32(w, (uint32_t)rc->ndeleted);
	for (i = 0; i < rc->ndeleted; i++)
		wr32(w, rc->deleted[i]);
	wr32(w, (uint32_t)rc->nmodified);
	for (i = 0; i < rc->nmodified; i++)
		wr32(w, rc->modified[i]);
	wr32(w, rc->start_date);
	wr32(w, rc->end_date);

	wr32(w, RECUR_READER2);
	wr32(w, rc->writer_version2);
	wr32(w, rc->start_offset);
	wr32(w, rc->end_offset);
}

/* ExceptionInfo, one per exception. */
static int
encode_exceptions(struct wr *w, const struct recur *rc, char **cause)
{
	const struct recur_exception *e;
	size_t i;

	wr16(w, (uint16_t)rc->nexcs);
	for (i = 0; i < rc->nexcs; i++) {
		e = &rc->excs[i];
		wr32(w, e->start);
		wr32(w, e->end);
		wr32(w, e->orig_start);
		wr16(w, e->flags);
		if ((e->flags & RECUR_ARO_SUBJECT) &&
		    put_string8(w, e->subject, cause) != 0)
			return -1;
		if (e->flags & RECUR_ARO_MEETINGTYPE)
			wr32(w, (uint32_t)e->meeting_type);
		if (e->flags & RECUR_ARO_REMINDERDELTA)
			wr32(w, (uint32_t)e->reminder_delta);
		if (e->flags & RECUR_ARO_REMINDER)
			wr32(w, (uint32_t)e->reminder_set);
		if ((e->flags & RECUR_ARO_LOCATION) &&
		    put_string8(w, e->location, cause) != 0)
			return -1;
		if (e->flags & RECUR_ARO_BUSYSTATUS)
			wr32(w, (uint32_t)e->busy);
		if (e->flags & RECUR_ARO_ATTACHMENT)
			wr32(w, (uint32_t)e->attachment);
		if (e->flags & RECUR_ARO_SUBTYPE)
			wr32(w, (uint32_t)e->subtype);
		if (e->flags & RECUR_ARO_APPTCOLOR)
			wr32(w, (uint32_t)e->color);
	}
	return 0;
}

/* ExtendedException, one per exception: the wide strings. */
static int
encode_extended(struct wr *w, const struct recur *rc, char **cause)
{
	const struct recur_exception *e;
	size_t i;

	for (i = 0; i < rc->nexcs; i++) {
		e = &rc->excs[i];
		if (rc->writer_version2 >= RECUR_CHANGEHIGHLIGHT) {
			wr32(w, 4);	/* ChangeHighlightSize */
			wr32(w, 0);	/* ChangeHighlightValue */
		}
		wr32(w, 0);	/* ReservedBlockEE1Size */
		if ((e->flags & (RECUR_ARO_SUBJECT | RECUR_ARO_LOCATION)) == 0)
			continue;
		wr32(w, e->start);
		wr32(w, e->end);
		wr32(w, e->orig_start);
		if ((e->flags & RECUR_ARO_SUBJECT) &&
		    put_string16(w, e->subject, cause) != 0)
			return -1;
		if ((e->flags & RECUR_ARO_LOCATION) &&
		    put_string16(w, e->location, cause) != 0)
			return -1;
		wr32(w, 0);	/* ReservedBlockEE2Size */
	}
	return 0;
}

int
recur_encode(const struct recur *in, uint8_t **out, size_t *outlen,
    char **cause)
{
	struct recur rc = *in;
	struct wr w = { NULL, 0, 0 };

	if (encode_complete(&rc, cause) != 0)
		return -1;
	encode_pattern(&w, &rc);
	if (encode_exceptions(&w, &rc, cause) != 0)
		goto fail;
	wr32(&w, 0);		/* ReservedBlock1Size */
	if (encode_extended(&w, &rc, cause) != 0)
		goto fail;
	wr32(&w, 0);		/* ReservedBlock2Size */
	*out = w.p;
	*outlen = w.len;
	return 0;
fail:
	free(w.p);
	return -1;
}
