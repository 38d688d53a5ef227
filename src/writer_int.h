/*
 * writer_int.h: what the iCalendar writer's parts share, private to them
 * (writer.h is the interface).
 *
 * writer.c renders: each item onto the spool, then the calendar's head
 * and the spool onto the output; it also gives items their UIDs and
 * passes warnings on. writer_zone.c holds times and zones: FILETIMEs as
 * libical's times, an item's stored zones, the TZIDs the output uses
 * and their VTIMEZONEs.
 *
 * A struct wstate is one rendering: it owns the zones interned (their
 * TZIDs, handed out as borrowed strings until the end) and the spool's
 * cause; the options, the items and the spool are the caller's. Nothing
 * here fails but the spool: a lost VEVENT sets spool_err, and an item
 * written only in part goes to wr_warn().
 */
#ifndef WRITER_INT_H
#define WRITER_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <libical/ical.h>

#include "model.h"
#include "tz.h"
#include "writer.h"

#define FT_MINUTE	(60 * APPT_FT_PER_SEC)
#define FT_HOUR		(60 * FT_MINUTE)
#define FT_DAY		(24 * FT_HOUR)

/* A VTIMEZONE to write: the single rule every user of the TZID agrees on. */
struct wtz {
	char		*tzid;
	struct tz_rule	 rule;
};

#define SPOOL_IO	1
#define SPOOL_LIBICAL	2

struct wstate {
	const struct writer_opts *opts;
	struct wtz	*zones;
	size_t		 nzones;
	const struct appt *cur;		/* the item being rendered */
	FILE		*spool;		/* VEVENT text; NULL: discard */
	int		 spool_err;	/* SPOOL_*: a VEVENT was lost */
	char		*spool_cause;	/* why, when known */
	int		 inherited;	/* an occurrence that has the master's
					   attachments: reported there */
};

/* An item's zone as stored (tz.h), and its description. */
struct izone {
	struct tz_zone	 tz;
	const char	*desc;
};

/* writer.c */
/* An item written as well as it can be, to opts->warn. */
void	 wr_warn(struct wstate *, const struct appt *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
/* Text as libical must get it: clean UTF-8, LF line ends only; _param:
 * for a parameter or URI, one line. Allocated. */
char	*wr_text(const char *);
char	*wr_param(const char *);

/* writer_zone.c */
/* wr_icaltime() had to move a year into what libical prints;
 * render_item() resets it and reports the item as degraded. */
extern int wr_clamped;
int64_t	 wr_floordiv(int64_t, int64_t);
/* Add without overflowing: FILETIMEs from a file can be anything. */
int64_t	 wr_ft_add(int64_t, int64_t);
/* The year of a FILETIME, within 1601 to 30828. */
int	 wr_ft_year(int64_t);
/* FILETIME (UTC or local) -> icaltimetype; utc marks it Z. */
struct icaltimetype wr_icaltime(int64_t, int, int);
/* A local time rounded to its calendar date (FILETIME of midnight). */
int64_t	 wr_round_date(int64_t);
/* Load an item's zone: the TZDEFINITION, else the TZREG; 1 if any. */
int	 wr_izone_load(struct izone *, const struct appt_blob *,
	    const struct appt_blob *, const char *);
void	 wr_izone_free(struct izone *);
/* The rule in force at a UTC instant, by its local year. */
const struct tz_rule *wr_izone_rule_at(const struct izone *, int64_t);
int64_t	 wr_izone_to_local(const struct izone *, int64_t);
int64_t	 wr_izone_to_utc(const struct izone *, int64_t);
const char *wr_izone_name(const struct izone *);
/* The TZID for a name and rule (owned by st); a clash of rules gets a
 * suffix. A new one is handed to opts->emit. */
const char *wr_zone_intern(struct wstate *, const char *,
	    const struct tz_rule *);
icalcomponent *wr_vtimezone(const struct wtz *);

#endif
