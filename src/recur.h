/* recur.h: PidLidAppointmentRecur <-> struct recur, and RRULE text.
 *
 * Pure code: bytes in, a struct out, no libpff or libical. Follows
 * MS-OXOCAL 2.2.1.44 (RecurrencePattern, AppointmentRecurrencePattern,
 * ExceptionInfo, ExtendedException; reader 0x3004/0x3006, writer
 * 0x3004/0x3008 or 0x3009). Every read is bounds-checked, every count
 * is checked against the bytes that remain before anything is
 * allocated.
 *
 * All "minutes" are minutes since 1601-01-01 00:00 in the series'
 * local time zone, exactly as stored.
 *
 * Errors: 0 on success, -1 with *cause allocated (caller frees).
 * Ownership: struct recur owns its arrays and strings; recur_free()
 * releases them, not the struct.
 */
#ifndef RECUR_H
#define RECUR_H

#include <stddef.h>
#include <stdint.h>

#include "tz.h"

#define RECUR_FREQ_DAILY	0x200A
#define RECUR_FREQ_WEEKLY	0x200B
#define RECUR_FREQ_MONTHLY	0x200C
#define RECUR_FREQ_YEARLY	0x200D

#define RECUR_PAT_DAY		0x0
#define RECUR_PAT_WEEK		0x1
#define RECUR_PAT_MONTH		0x2
#define RECUR_PAT_MONTHNTH	0x3
#define RECUR_PAT_MONTHEND	0x4
#define RECUR_PAT_HJMONTH	0xA
#define RECUR_PAT_HJMONTHNTH	0xB
#define RECUR_PAT_HJMONTHEND	0xC

#define RECUR_END_DATE		0x2021
#define RECUR_END_COUNT		0x2022
#define RECUR_END_NEVER		0x2023
#define RECUR_NO_END_DATE	0x5AE980DFu	/* 4500-08-31 */

/* ExceptionInfo OverrideFlags. */
#define RECUR_ARO_SUBJECT	0x0001
#define RECUR_ARO_MEETINGTYPE	0x0002
#define RECUR_ARO_REMINDERDELTA	0x0004
#define RECUR_ARO_REMINDER	0x0008
#define RECUR_ARO_LOCATION	0x0010
#define RECUR_ARO_BUSYSTATUS	0x0020
#define RECUR_ARO_ATTACHMENT	0x0040
#define RECUR_ARO_SUBTYPE	0x0080
#define RECUR_ARO_APPTCOLOR	0x0100
#define RECUR_ARO_EXCEPTIONAL_BODY 0x0200

/* One ExceptionInfo with its ExtendedException merged in. */
struct recur_exception {
	uint32_t	 start;		/* new start, local minutes */
	uint32_t	 end;		/* new end, local minutes */
	uint32_t	 orig_start;	/* original start, local minutes */
	uint16_t	 flags;		/* RECUR_ARO_* */
	char		*subject;	/* UTF-8; wide form preferred */
	char		*location;	/* UTF-8; wide form preferred */
	int32_t		 meeting_type;
	int32_t		 reminder_delta;
	int32_t		 reminder_set;
	int32_t		 busy;
	int32_t		 attachment;
	int32_t		 subtype;	/* all-day */
	int32_t		 color;
};

struct recur {
	uint16_t	 freq;		/* RECUR_FREQ_* */
	uint16_t	 pattern;	/* RECUR_PAT_* */
	uint16_t	 cal_type;	/* 0 Gregorian; others non-Gregorian */
	uint32_t	 first_datetime;
	uint32_t	 period;	/* daily: minutes; weekly: weeks;
					   monthly/yearly: months */
	uint32_t	 day_mask;	/* week / monthnth: bit0 = Sunday */
	uint32_t	 day_of_month;	/* month / monthend */
	uint32_t	 nth;		/* monthnth: 1..4, 5 = last */
	uint32_t	 end_type;	/* RECUR_END_*; 0xFFFFFFFF = never */
	uint32_t	 count;		/* occurrence count */
	uint32_t	 first_dow;	/* 0 Sunday .. 6 Saturday */
	uint32_t	*deleted;	/* deleted instance dates, sorted */
	size_t		 ndeleted;
	uint32_t	*modified;	/* modified instance dates, sorted */
	size_t		 nmodified;
	uint32_t	 start_date;	/* local midnight of first instance */
	uint32_t	 end_date;	/* local midnight of last instance */
	uint32_t	 writer_version2; /* 0x3008 / 0x3009 */
	uint32_t	 start_offset;	/* minutes after local midnight */
	uint32_t	 end_offset;
	struct recur_exception *excs;
	size_t		 nexcs;
};

int	recur_decode(const uint8_t *, size_t, struct recur *, char **);
void	recur_free(struct recur *);

/* Encode (for the fixture generator). Fills first_datetime itself when
 * it is 0, and like Outlook: count for an end date when count is 0,
 * end_date for a count when end_date is 0, count 10 and end 4500-08-31
 * for "never" when they are 0, writer_version2 0x3009 when 0. Result
 * owned by caller. */
int	recur_encode(const struct recur *, uint8_t **, size_t *, char **);
/* Put deleted and modified dates in order, and exceptions by their new
 * start, as recur_encode() expects of a pattern built by hand. */
void	recur_sort(struct recur *);

/* A pattern's changes built by hand (the .ics reader, mkpst): room for
 * nexdates deleted dates (the EXDATEs, first) and nexcs exceptions,
 * each array one longer than needed and counted; the caller fills the
 * EXDATEs and each exception (its times and overrides, strings
 * borrowed). recur_exc_dates() then adds the exceptions' deleted and
 * modified dates and sorts (recur_sort()); recur_exc_free() frees the
 * three arrays, not the strings (not recur_free()). */
void	recur_exc_alloc(struct recur *, size_t, size_t);
void	recur_exc_dates(struct recur *, size_t);
void	recur_exc_free(struct recur *);

/* Whether the pattern can be written as a plain RFC 5545 RRULE
 * (Gregorian calendar, known pattern type). */
int	recur_is_gregorian(const struct recur *);

/* RRULE value text in the shapes Outlook imports (no "RRULE:" prefix),
 * e.g. "FREQ=WEEKLY;INTERVAL=1;BYDAY=TU;WKST=SU;COUNT=10". For an end
 * date, UNTIL is computed from end_date + start_offset through rule
 * (NULL = the minutes are already UTC) and written in UTC, or as a
 * DATE when all_day. Owned by caller; -1 with *cause if the pattern
 * cannot be expressed. */
int	recur_rrule(const struct recur *, const struct tz_rule *, int,
	    char **, char **);

/* Instance dates that are deleted and not modified (the EXDATEs), as
 * local minutes of the original start (date + start_offset). Owned by
 * caller, *n set. */
uint32_t *recur_exdates(const struct recur *, size_t *);

/* Exact comparison of two patterns for dedup (pattern, range, deleted
 * and modified dates, exception times and overrides). 1 if equal. */
int	recur_equal(const struct recur *, const struct recur *);

/* The same pattern and range, exceptions aside. 1 if so. */
int	recur_same_pattern(const struct recur *, const struct recur *);

/* Whether a holds all of b's changes: the same pattern and range, every
 * deleted and modified date of b also in a, every exception of b equal
 * to one of a's. 1 if so (also when equal). */
int	recur_includes(const struct recur *, const struct recur *);

/* The midnight that starts the day of a minute. */
uint32_t recur_midnight(uint32_t);

/* Minutes since 1601 <-> FILETIME. */
int64_t	recur_min_to_ft(uint32_t);
uint32_t recur_ft_to_min(int64_t);

#endif
