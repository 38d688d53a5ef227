/*
 * verify_int.h: what the check of a written calendar shares between its
 * parts, private to them (verify.h is the interface).
 *
 * verify.c reads a calendar (verify_ics) and checks one parsed VEVENT:
 * its UID finds the item (or the series it overrides); it also says
 * which lines libical is handed at all. verify_time.c turns the file's
 * VTIMEZONEs into rules and a time property into local time and zone,
 * and checks DTSTART-like properties against an item's instants.
 * verify_event.c checks a master event against its item (SUMMARY,
 * ATTENDEEs, the times of one occurrence) and hands a series on to
 * verify_series.c: whether the writer gives the item an RRULE, the
 * master's times, RRULE and EXDATEs, the overrides that must and may
 * follow it. verify_async.c runs the same checks on two threads
 * (libical's parse, then the checks in order) fed the text while it is
 * written, and compares the file with what was checked.
 *
 * A struct vstate is one check of one calendar: it owns the expected
 * UIDs' hashes, the flags of the items found, the file's VTIMEZONEs and
 * the series open; the items and the options are the caller's. Every
 * check returns 0, or -1 with an allocated cause that names the item
 * (vf_fail()) and the field that differs.
 */
#ifndef VERIFY_INT_H
#define VERIFY_INT_H

#include <stddef.h>
#include <stdint.h>

#include <libical/ical.h>

#include "model.h"
#include "recur.h"
#include "tz.h"
#include "verify.h"

#define FT_SEC		APPT_FT_PER_SEC
#define FT_MIN		(60 * FT_SEC)
#define FT_HOUR		(60 * FT_MIN)
#define FT_DAY		(24 * FT_HOUR)

/* An expected UID: its hash and the item. */
struct vexp {
	uint64_t	 hash;
	size_t		 idx;
};

/* A VTIMEZONE of the file, as the rule it states. */
struct vzone {
	char		*tzid;
	struct tz_rule	 rule;
};

/* The last master read: the overrides that must and may follow it. */
struct vseries {
	int		 active;
	size_t		 idx;
	char		*uid;
	int		 all_day;
	int64_t		*req;		/* RECURRENCE-IDs, local FILETIME */
	char		*req_seen;
	size_t		 nreq;
	int64_t		*extra;		/* allowed besides */
	char		*extra_seen;
	size_t		 nextra;
};

/* One time property as read. */
struct vtime {
	int64_t			 ft;	/* its local (or UTC) FILETIME */
	int			 is_date;
	int			 utc;
	const struct tz_rule	*rule;	/* of its TZID, or NULL */
};

struct vstate {
	const struct verify_opts *opts;
	struct appt *const	*items;
	size_t			 n;
	struct vexp		*exp;
	uint8_t			*found;
	struct vzone		*zones;
	size_t			 nzones;
	struct vseries		 ser;
	size_t			 nevents;
	size_t			 noverrides;
	size_t			 max_chunk;
};

/* verify.c */
/* The expected UIDs, then the items' own check: 0, or -1 with *cause. */
int	 vf_state_init(struct vstate *, struct appt *const *, size_t,
	    const struct verify_opts *, char **);
/* After the last event: the series open, then every item seen. */
int	 vf_state_end(struct vstate *, char **);
void	 vf_state_fini(struct vstate *);
/* One parsed VEVENT (NULL: libical could not parse it), freed. */
int	 vf_check_parsed(struct vstate *, icalcomponent *, char **);
/* 1 for a line not handed to libical: a property no check reads. */
int	 vf_skipped_prop(const char *);
/* "subject (folder/0xid): " and the message, allocated. */
char	*vf_fail(const struct appt *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The one property of a kind, or NULL; NULL with *why when there are
 * more. */
icalproperty *vf_only_prop(icalcomponent *, icalproperty_kind,
	    const char *, const struct appt *, char **);

/* verify_time.c */
int64_t	 vf_floordiv(int64_t, int64_t);
int	 vf_year(int64_t);
/* Whole seconds (or the date), clamped to what libical 3.0 prints. */
int64_t	 vf_clamp(int64_t, int);
/* A FILETIME as iCalendar text (a date when is_date), into buf. */
void	 vf_ftstr(int64_t, int, char *, size_t);
/* A local time rounded to its date, as the writer rounds all-day items. */
int64_t	 vf_to_date(int64_t);
int	 vf_zone_has(const struct tz_zone *);
int64_t	 vf_zone_local(const struct tz_zone *, int64_t);
/* A VTIMEZONE of the file (strict: as the writer writes it). */
int	 vf_zone_add(struct vstate *, const char *, char **);
/* A DTSTART, DTEND, RECURRENCE-ID or EXDATE as local time and zone: 0,
 * or -1 with *why. */
int	 vf_time_get(struct vstate *, icalproperty *, struct vtime *,
	    char **);
/* A time property that must show a UTC instant (APPT_NOTIME: absent),
 * one that must show a local time in a zone (NULL: UTC), one that must
 * be a date. */
int	 vf_check_instant(struct vstate *, const struct appt *,
	    icalcomponent *, icalproperty_kind, const char *, int64_t,
	    char **);
int	 vf_check_local(struct vstate *, const struct appt *, icalproperty *,
	    const char *, int64_t, const struct tz_zone *, char **);
int	 vf_check_date(struct vstate *, const struct appt *, icalproperty *,
	    const char *, int64_t, char **);

/* verify_event.c */
/* A master event against item idx; passed, it opens st->ser. */
int	 vf_check_master(struct vstate *, size_t, icalcomponent *,
	    const char *, char **);

/* verify_series.c */
/* Whether the writer gives the item an RRULE; then r holds the decoded
 * pattern, for the caller to free. */
int	 vf_written_as_series(const struct appt *, struct recur *);
/* A series master's times, RRULE and EXDATEs; fills in the overrides
 * that must and may follow. */
int	 vf_check_series(struct vstate *, const struct appt *,
	    icalcomponent *, const struct recur *, struct vseries *, char **);
void	 vf_series_clear(struct vseries *);
/* Every override the last master needs was there. */
int	 vf_series_end(struct vstate *, char **);
/* An override (RECURRENCE-ID) of the series open. */
int	 vf_check_override(struct vstate *, icalcomponent *, const char *,
	    icalproperty *, char **);

#endif
