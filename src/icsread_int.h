/*
 * icsread_int.h: what the .ics reader's parts share, private to them
 * (icsread.h is the interface).
 *
 * icsread_chunk.c cuts the file into components (the chunker, shared
 * with verify*.c); icsread_zone.c turns a VTIMEZONE into a tz_rule;
 * icsread_rrule.c an RRULE into Outlook's pattern; icsread_props.c a
 * VEVENT's plain properties (text, people, alarm, attachments, raw
 * properties) into struct appt fields; icsread_series.c joins overrides
 * (RECURRENCE-ID) to their series and builds the recurrence blob;
 * icsread.c reads the file: times and zones of an event, the event to
 * an item, the folder.
 *
 * A struct irs is one reading of a file and owns everything in it
 * until finish() hands the items over to the reader_result. Nothing
 * here prints; what cannot be read becomes a reader_skip
 * (ics_skip_add()).
 */
#ifndef ICSREAD_INT_H
#define ICSREAD_INT_H

#include <stddef.h>
#include <stdint.h>

#include <libical/ical.h>

#include "model.h"
#include "reader.h"
#include "recur.h"
#include "tz.h"

#define FT_SEC		APPT_FT_PER_SEC
#define FT_MIN		(60 * FT_SEC)
#define FT_DAY		(1440 * FT_MIN)
#define ICS_LIMIT	((size_t)256 << 20)	/* longest component */
#define NO_DELTA	0x5AE980E1		/* PidLidReminderDelta unset */

struct izone {
	char		*tzid;
	char		*bad;		/* why it cannot be used, or NULL */
	struct tz_rule	 rule;
	struct appt_blob reg, def, rdef;	/* blobs for the model */
};

/* A recurring master while its overrides may still come. */
struct iseries {
	size_t		 idx;		/* in rs->items */
	char		*uid;
	struct recur	 pat;		/* pattern and range */
	int		 has_rule;	/* else minutes are UTC */
	struct tz_rule	 rule;
	uint32_t	*exdel;		/* EXDATEs, local minutes */
	size_t		 nexdel;
};

struct ipending {
	char		*uid;
	struct appt	*item;		/* the override, times UTC */
	int64_t		 rid;		/* original start, UTC */
};

struct irs {
	const char		*path;
	const struct reader_opts *opts;
	struct reader_result	*res;
	char			*calname;	/* the file's base name */
	char			*xname;		/* X-WR-CALNAME, or NULL */
	struct izone		*zones;
	size_t			 nzones;
	struct appt_list	 items;
	char			**uids;	/* per item */
	struct iseries		*series;
	size_t			 nseries;
	struct ipending		*pend;
	size_t			 npend;
	size_t			 nevents;
};

/* icsread.c: a skipped item (damaged: the item itself is bad, else
 * Outlook cannot hold it), in rs->res. */
void	ics_skip_add(struct irs *, const char *, const char *, int,
	    const char *, ...) __attribute__((format(printf, 5, 6)));

/* icsread_rrule.c */
/* UTC to local time in rule r (NULL: UTC). */
int64_t	ics_to_local(const struct tz_rule *, int64_t);

/* icsread_props.c */
/* libical's text as clean model text (allocated), NULL for NULL. */
char	*ics_xtext(const char *);
/* An X- property as a boolean: 1, 0, or APPT_ABSENT when absent or
 * neither. */
int	 ics_x_bool(icalcomponent *, const char *);
/* Put back the white space that ended a text value in the file. */
void	 ics_restore_tail(char **, const char *, const char *);
void	 ics_common_props(icalcomponent *, struct appt *);
void	 ics_attachments(struct irs *, icalcomponent *, struct appt *, int);

/* icsread_series.c */
/* The series of this UID still open, or NULL. */
struct iseries *ics_series_find(struct irs *, const char *);
/* An override (owned from now on) into its series' exceptions. */
void	 ics_series_attach(struct irs *, struct iseries *, struct appt *,
	    int64_t);
/* The recurrence blob of a series, its overrides all known: 0, or -1
 * with *why. */
int	 ics_series_blob(struct irs *, struct iseries *, char **);

#endif
