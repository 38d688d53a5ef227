/* writer.h: the clean iCalendar output, through libical.
 *
 * writer.c is the only file of the pipeline that includes libical. It
 * renders a list of appointments as one VCALENDAR (VERSION 2.0, PRODID,
 * METHOD:PUBLISH, X-WR-CALNAME) in the form Outlook writes and imports:
 * VEVENTs with UID from the CleanGlobalObjectId, VTIMEZONEs built from
 * the items' own time-zone blobs, RRULE/EXDATE and RECURRENCE-ID
 * overrides, ORGANIZER/ATTENDEE, VALARM, bodies.
 *
 * Errors: 0, or -1 with *cause allocated. A single item the writer can
 * only partly express is not an error: warn() is told and the item is
 * written as well as it can be.
 * Ownership: writer_render() returns the text in *out, owned by the
 * caller (free()). The items are only read.
 */
#ifndef WRITER_H
#define WRITER_H

#include <stddef.h>

#include "model.h"

struct writer_opts {
	const char	*calname;	/* X-WR-CALNAME */
	/* Called for each item that could not be written faithfully. */
	void		(*warn)(void *, const struct appt *, const char *);
	void		*warn_arg;
};

int	writer_render(struct appt *const *, size_t,
	    const struct writer_opts *, char **, char **);

/* The UID an item gets: uppercase hex of the CleanGlobalObjectId (else
 * GlobalObjectId with the instance date zeroed), the original UID of a
 * vCal-Uid GOID, or a digest of the content. Owned by caller. */
char	*writer_uid(const struct appt *);

/* The libical version string. */
const char *writer_libical_version(void);

#endif
