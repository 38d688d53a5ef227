/*
 * recur_int.h: what the recurrence blob's parts share, private to them
 * (recur.h is the interface).
 *
 * recur.c decodes the blob and holds the pattern's arithmetic (the
 * occurrences of a pattern, the first period) and equality;
 * recur_encode.c writes the blob; recur_rrule.c writes a pattern as
 * RRULE and EXDATE text. Pure code: nothing here allocates but the
 * *cause of rec_check_pattern() (the caller's); nothing is owned.
 */
#ifndef RECUR_INT_H
#define RECUR_INT_H

#include <stdint.h>

#include "recur.h"

#define RECUR_MIN_PER_DAY	1440
#define RECUR_MIN_PER_WEEK	10080
#define RECUR_READER		0x3004
#define RECUR_READER2		0x3006
#define RECUR_WRITER2		0x3009
#define RECUR_CHANGEHIGHLIGHT	0x3009
#define RECUR_EXC_MIN		14	/* smallest ExceptionInfo */
#define RECUR_NEVER_COUNT	10	/* what Outlook stores for "never" */
#define RECUR_LAST_DAY		(UINT32_MAX / RECUR_MIN_PER_DAY)

/* Whether a PatternType is one this code knows. */
int	 rec_pattern_known(uint16_t);
/* Whether an EndType means no end (Outlook writes two such values). */
int	 rec_never_ends(uint32_t);
/* Whether the pattern fields make sense for enumeration and RRULEs:
 * 0, or -1 with *cause. */
int	 rec_check_pattern(const struct recur *, char **);
/* Walk the occurrences (local dates, in minutes) from start_date until
 * one passes until_day or max have been seen; *n gets how many, *last
 * the date of the last one. 0, or -1 when the walk cannot go on. */
int	 rec_enumerate(const struct recur *, int64_t, uint32_t, uint32_t *,
	    uint32_t *);
/* MS-OXOCAL 2.2.1.44.1.1: the start of the first period, reduced
 * modulo the period, in minutes. */
uint32_t rec_first_datetime(const struct recur *);

#endif
