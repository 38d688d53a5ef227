/*
 * writer_int.h: what the iCalendar writer's parts share, private to them
 * (writer.h is the interface).
 *
 * writer.c renders: each item onto the spool (render_item() chooses
 * series or single occurrence), then the calendar's head and the spool
 * onto the output; it gives items their UIDs and passes warnings on.
 * writer_series.c gives an item its times: one occurrence in its
 * display zones, or a series master with RRULE and EXDATEs followed by
 * its overrides (RECURRENCE-ID). writer_event.c writes one VEVENT's
 * properties in Outlook's order (attachments, people, bodies, alarm, X-
 * properties) and spools it. writer_line.c builds that text in a
 * struct wbuf: text cleaned for libical, each property as libical
 * writes it or, where libical would write exactly that, the line
 * written directly; time properties. writer_zone.c holds times and
 * zones: FILETIMEs as libical's times, an item's stored zones, the
 * TZIDs the output uses and their VTIMEZONEs.
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

/* A time property: written by wr_timeprop() where it is plain, else by
 * libical. */
struct wtime {
	int			 set;		/* 0: none */
	icalproperty_kind	 kind;
	struct icaltimetype	 t;
	const char		*tzid;		/* owned by the wstate */
};

/* The time properties of one VEVENT, built by the caller. */
struct wtimes {
	struct wtime	 dtstart, dtend, rid;
	icalproperty	*rrule;
	struct wtime	*exdates;
	size_t		 nexdates;
};

/* One VEVENT's text while it is built, property by property in the
 * order written: libical's text of each property, or the line itself
 * where libical would write it the same, unescaped and unfolded (see
 * wr_line()): that saves building and serializing most properties.
 * Not buf.h's struct buf: a VEVENT is a few KB, built from about a
 * hundred small adds; buf_add()'s growth from 256 bytes and its checks
 * cost writer_render() 3% more instructions (bench/instr, --synth 3000:
 * 48.6k against 47.2k an item; 48.2k with 4 KB reserved first). */
struct wbuf {
	char		*p;
	size_t		 len, cap;
	int		 err;		/* libical could not serialize one */
};

/* writer.c */
/* An item written as well as it can be, to opts->warn. */
void	 wr_warn(struct wstate *, const struct appt *, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

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

/* writer_line.c */
/* Text as libical must get it: clean UTF-8, LF line ends only; _param:
 * for a parameter or URI, one line. Allocated. */
char	*wr_text(const char *);
char	*wr_param(const char *);
/* A local time in a written zone (tzid NULL: UTC), a UTC time. */
struct wtime wr_local_time(icalproperty_kind, int64_t, int, const char *);
struct wtime wr_utc_time(icalproperty_kind, int64_t);
void	 wr_add(struct wbuf *, const char *, size_t);
/* A property as libical writes it (folded), then freed. */
void	 wr_prop(struct wbuf *, icalproperty *);
/* NAME[;TZID=tzid]:value written directly: 0, or -1 (nothing written)
 * where libical must write it. */
int	 wr_line(struct wbuf *, const char *, const char *, const char *);
/* A time property, plain where libical would print it so. */
void	 wr_timeprop(struct wbuf *, const struct wtime *);
/* A property of one enumerated or numeric value, always plain. */
void	 wr_word(struct wbuf *, const char *, const char *);
/* A text property (mk: libical's constructor), left out when empty. */
void	 wr_textprop(struct wbuf *, const char *,
	    icalproperty *(*)(const char *), const char *);
/* An X- property, left out when empty. */
void	 wr_xprop(struct wbuf *, const char *, const char *);

/* writer_event.c */
/* One VEVENT, properties in Outlook's order, spooled; takes the time
 * properties in *tm (its rrule). */
void	 wr_vevent(struct wstate *, const struct appt *, const char *,
	    struct wtimes *);

/* writer_series.c */
/* An item written as one occurrence: display zones, else UTC. */
void	 wr_render_single(struct wstate *, const struct appt *, const char *);
/* A recurring item: the master and its overrides. 0, or -1 with *why
 * (allocated, nothing written) when it must be written as one
 * occurrence. */
int	 wr_render_series(struct wstate *, const struct appt *, const char *,
	    char **);

#endif
