/* verify.h: read a written .ics back and check it against the model.
 *
 * verify*.c are the .ics-reading side (like the .ics input reader) and
 * may include libical (verify_int.h says which part does what). It
 * reads the calendar as a stream: the VTIMEZONEs first (kept, small:
 * they resolve the TZIDs), then each VEVENT alone, its lines collected
 * from BEGIN:VEVENT to END:VEVENT and parsed by libical, checked and
 * freed before the next. Only the properties it checks (below) and the
 * BEGIN/END lines are collected: parsing the others would cost more
 * than every check, and a bad line among them (a body, an X- property)
 * is not seen. So what it holds is one event's checked properties plus
 * 16 bytes and a flag per expected item, whatever the file weighs.
 *
 * Expectations come from the model, not from the writer's text: UID
 * (writer_uid() or the caller's function), DTSTART/DTEND as the items'
 * UTC instants seen through the file's own VTIMEZONE (dates for
 * all-day items), SUMMARY, RRULE FREQ/INTERVAL/COUNT/UNTIL/BYDAY from
 * the decoded pattern (recur.h) when the writer can express it (else a
 * single occurrence, as the writer falls back), the EXDATE set, the
 * RECURRENCE-ID set of the overrides (which follow their master), and
 * the ATTENDEE addresses. Every item must be there exactly once as a
 * master; no other event may be.
 *
 * Errors: 0, or -1 with *cause allocated, naming the item (subject,
 * folder/id) and the field that differs.
 * Ownership: items and the stream stay the caller's; the stream is read
 * from where it stands to its end.
 */
#ifndef VERIFY_H
#define VERIFY_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"

struct verify_stats {
	size_t		 events;	/* VEVENTs read */
	size_t		 overrides;	/* of them with RECURRENCE-ID */
	size_t		 max_chunk;	/* largest text held for one
					   VEVENT, bytes */
};

struct verify_opts {
	/* The UID an item is written with (allocated); NULL: writer_uid. */
	char		*(*uid)(void *, const struct appt *);
	void		*uid_arg;
	/* Items may share a UID, each with its own master (the writer
	 * still keeps both copies of a conflict group under one UID);
	 * 0: two items with one UID are an error. */
	int		 shared_uids;
	/* Filled in when not NULL. */
	struct verify_stats *stats;
};

int	verify_ics(FILE *, struct appt *const *, size_t,
	    const struct verify_opts *, char **);

/*
 * The same checks on two more threads (one parses with libical, one
 * checks in order), fed the text while it is written
 * (writer.h's emit): each VTIMEZONE before the first VEVENT that uses
 * it, each VEVENT in file order, then the calendar's head (its
 * properties and VTIMEZONEs, without END:VCALENDAR). verify_async_end()
 * waits for the threads, then reads the written file and compares it
 * with what was checked: the head byte for byte (its VTIMEZONEs must be
 * exactly the ones fed), the VEVENTs by an XXH64 digest, then
 * END:VCALENDAR. So the result and the errors are verify_ics()'s on the
 * same file, but for which of two failures is named when a file has
 * both a wrong event and a broken structure.
 *
 * verify_async_start: NULL when the threads cannot be made (then use
 * verify_ics). The items must stay unchanged in what verify reads
 * (not bodies or attachments) until verify_async_end.
 * verify_async_put: takes the allocated text; blocks while the threads
 * are more than a few MB behind. Call from one thread. It fits
 * writer_opts.emit (the kinds have the writer's WRITER_EMIT_* values).
 * verify_async_end: with the file read from its start, 0 or -1 with
 * *cause allocated; with NULL (the writer failed), only stops the
 * threads and returns 0. Frees everything but the items.
 */
#define VERIFY_ZONE	1
#define VERIFY_EVENT	2
#define VERIFY_HEAD	3

struct verify_async;

struct verify_async *verify_async_start(struct appt *const *, size_t,
	    const struct verify_opts *);
void	verify_async_put(void *, int, char *);
int	verify_async_end(struct verify_async *, FILE *, char **);

#endif
