/* icsread.h: an iCalendar file as calendar items, through libical.
 *
 * icsread*.c are, with writer*.c and verify*.c, the only files that
 * include libical (icsread_int.h says which part does what). They read
 * an .ics file one component at a time (the chunker below, shared with
 * verify*.c): VTIMEZONEs become Outlook time-zone blobs (tz.h), each
 * VEVENT a struct appt (model.h) in one calendar folder, RECURRENCE-ID
 * overrides the exceptions of their series. What cannot be expressed
 * is a reader_skip with the reason.
 *
 * Errors: 0, or READER_NOINPUT / READER_DATAERR / READER_IOERR with
 * *cause allocated, as reader_read(). Ownership as reader.h.
 */
#ifndef ICSREAD_H
#define ICSREAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "reader.h"
#include "recur.h"
#include "tz.h"

/* Whether these first bytes of a file are iCalendar: BEGIN:VCALENDAR
 * after an optional UTF-8 BOM and white space. */
int	icsread_sniff(const uint8_t *, size_t);

int	icsread_read(const char *, const struct reader_opts *,
	    struct reader_result *, char **);

/*
 * The chunker: reads lines, hands each VTIMEZONE and VEVENT as text
 * (CRLF lines, still folded) to a callback. Calendar-level lines go to
 * calprop, other components to other (NULL: they are an error). A
 * callback returns 0 or -1 with *cause. Returns 0, -1 with *cause, or
 * ICSREAD_TRUNCATED with *cause when the file ends inside the calendar
 * (everything before was handed over).
 */
#define ICSREAD_TRUNCATED	(-2)

struct icsread_chunker {
	int	(*calprop)(void *, const char *, int, char **);
	int	(*zone)(void *, const char *, int, char **);
	int	(*event)(void *, const char *, int, char **);
	int	(*other)(void *, const char *, int, char **);
	int	(*skip_prop)(const char *);	/* lines not kept, or NULL */
	void	*arg;
	size_t	 limit;		/* longest component, 0: no limit */
	size_t	 max_chunk;	/* out: longest VEVENT handed over */
};

int	icsread_chunks(FILE *, struct icsread_chunker *, char **);

/* A VTIMEZONE's text as one rule: the STANDARD and DAYLIGHT parts in
 * force last (strict: exactly Outlook's one STANDARD and at most one
 * DAYLIGHT, both yearly rules). *tzid allocated. 0 or -1 with *cause. */
int	icsread_zone(const char *, int, char **, struct tz_rule *, char **);

/* An RRULE value as Outlook's pattern and range for a series that
 * starts at start (UTC; ends at end) in zone tz (NULL: UTC), a UTC
 * UNTIL read in zone until_tz; without WKST the week starts on Sunday
 * if sunday, else Monday (RFC 5545). 0, or -1 with *why when Outlook
 * cannot represent it. */
int	icsread_rrule(const char *, const struct tz_rule *,
	    const struct tz_rule *, int64_t, int64_t, int, struct recur *,
	    char **);

#endif
