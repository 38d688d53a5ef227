/* writer.h: the clean iCalendar output, through libical.
 *
 * writer*.c are the only files of the pipeline that write with libical
 * (verify*.c read the result back with it; writer_int.h says which part
 * does what). It renders a list of appointments as one VCALENDAR
 * (VERSION 2.0, PRODID, METHOD:PUBLISH, X-WR-CALNAME) in the form
 * Outlook writes and imports: VEVENTs with UID from the
 * CleanGlobalObjectId, VTIMEZONEs built from the items' own time-zone
 * blobs, RRULE/EXDATE and RECURRENCE-ID overrides, ORGANIZER/ATTENDEE,
 * VALARM, bodies.
 *
 * Errors (err.h): 0, or WRITER_LIBICAL (libical failed, no memory for
 * the spool) or WRITER_IOERR (the spool could not be written or read
 * back) with *cause allocated. A single item the writer can
 * only partly express is not an error: warn() is told and the item is
 * written as well as it can be.
 * Memory: each VEVENT is serialized as soon as it is built and spooled;
 * the VTIMEZONEs, known only after the last item, are written first and
 * the spool is copied after them. So the writer holds one item's
 * rendering at a time, plus the spool when it is in memory. Spooled
 * content (model.h) is brought back for one item while it is rendered.
 * Ownership: the items are only read, but for that; out and the spools
 * stay the caller's.
 */
#ifndef WRITER_H
#define WRITER_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "model.h"

#define WRITER_IOERR	ERR_IO
#define WRITER_LIBICAL	ERR_SOFTWARE

struct writer_opts {
	const char	*calname;	/* X-WR-CALNAME */
	/* Called for each item that could not be written faithfully. */
	void		(*warn)(void *, const struct appt *, const char *);
	void		*warn_arg;
	/* Scratch stream (read and write, empty) for the VEVENTs, e.g. an
	 * unlinked file; NULL: a memory buffer. */
	FILE		*spool;
	/* The content spool of spooled items (model.h), or NULL. */
	FILE		*content;
	/* Called now and then with items done and items in all; may be
	 * NULL. */
	void		(*progress)(void *, size_t, size_t);
	void		*progress_arg;
	/* When out is not NULL: handed the text as it is written, to own:
	 * each VTIMEZONE when its TZID is first used (before the VEVENTs
	 * that use it), each VEVENT, then the head (VCALENDAR, its
	 * properties and every VTIMEZONE; no END). NULL: not called. */
	void		(*emit)(void *, int, char *);
	void		*emit_arg;
};
#define WRITER_EMIT_ZONE	1
#define WRITER_EMIT_EVENT	2
#define WRITER_EMIT_HEAD	3

/* Render the items onto out; out NULL renders for the warnings only. */
int	writer_render(struct appt *const *, size_t,
	    const struct writer_opts *, FILE *, char **);

/* The UID an item gets: its uid override when set, else uppercase hex
 * of the CleanGlobalObjectId (else GlobalObjectId with the instance date
 * zeroed), the original UID of a vCal-Uid GOID, or a digest of the
 * content. Owned by caller. */
char	*writer_uid(const struct appt *);

/* The libical version string. */
const char *writer_libical_version(void);

#endif
