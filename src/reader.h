/* reader.h: calendar items out of a PST/OST, through our own reader
 * (src/pst/) or libpff.
 *
 * reader.c is the backend-neutral part, reader_pst.c and
 * reader_libpff.c the backends (reader_impl.h); only reader_libpff.c
 * includes <libpff.h>. The walk goes through every
 * folder, treats as calendars the folders whose PidTagContainerClass
 * starts with "IPF.Appointment", and turns each IPM.Appointment* item
 * into a struct appt (model.h). Named properties are matched on
 * property-set GUID and LID; strings come from raw UTF-16LE or from
 * the chosen codepage and are cleaned (text_clean).
 * A file whose content is iCalendar goes to icsread_read() (icsread.h)
 * instead, which fills the same result.
 *
 * Errors: reader_read() returns 0, or READER_NOINPUT / READER_DATAERR /
 * READER_IOERR with *cause allocated (caller frees): the file cannot be
 * opened at all, it is not a readable PST, or the spool failed. A
 * damaged item is not an error: it is listed in skips and the walk goes
 * on.
 * Ownership: the result owns everything in it; reader_result_free().
 */
#ifndef READER_H
#define READER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "model.h"

struct appt_pool;

#define READER_DATAERR	ERR_DATA	/* not a PST, or damaged beyond
					   reading */
#define READER_NOINPUT	ERR_NOINPUT	/* missing, unreadable, a
					   directory */
#define READER_IOERR	ERR_IO		/* the spool could not be written */

/* Which backend reads the file. */
enum reader_kind {
	READER_DEFAULT = 0,	/* READER_PST */
	READER_PST,		/* our own; libpff when it finds the
				   structure damaged beyond reading */
	READER_LIBPFF		/* libpff only */
};

struct reader_opts {
	enum reader_kind reader;
	int		 codepage;	/* Windows codepage for ANSI files;
					   0 = 1252 */
	int		 all_folders;	/* also take appointments that sit
					   outside calendar folders */
	const char	*folder;	/* only this calendar folder (path
					   or name), or NULL */
	/* The content spool (model.h): attachment bytes are streamed to it
	 * and each item's bodies spooled (appt_spool) instead of being kept
	 * in memory; NULL keeps them. Stays the caller's. */
	FILE		*spool;
	/* Called with 0, 0 once the file is open, then now and then
	 * during the walk; may be NULL. */
	void		(*progress)(void *, size_t folders, size_t items);
	void		*progress_arg;
};

/* A folder that is a calendar, or that held appointments. */
struct reader_folder {
	char		*path;		/* "/Top of Personal Folders/..." */
	char		*container_class; /* or NULL */
	int		 is_calendar;
	int		 selected;	/* its items were taken */
	size_t		 nappts;	/* IPM.Appointment* items in it */
	size_t		 nother;	/* other items in it */
	uint32_t	 nid;		/* its node id */
	size_t		 first;		/* its taken items are appts.v[first]
					   .. appts.v[first + count - 1] */
	size_t		 count;
	int		 is_default;	/* the store's default calendar, as
					   PidTagIpmAppointmentEntryId says */
};

/* An item that was read but not taken into the model. */
struct reader_skip {
	uint64_t	 id;		/* NID, 0 if unknown */
	char		*folder;
	char		*msgclass;	/* or NULL */
	char		*subject;	/* or NULL */
	char		*reason;	/* "meeting request", "no start
					   time", libpff's reason, ... */
	int		 damaged;	/* 1 damaged, 0 skipped by policy */
};

struct reader_result {
	struct appt_list	 appts;	/* items taken, in walk order */
	struct reader_folder	*folders;
	size_t			 nfolders;
	struct reader_skip	*skips;
	size_t			 nskips;
	size_t			 left_out; /* appointments outside the
					   selected folders, not taken */
	int			 file_type; /* 32 ANSI, 64 Unicode, 65 4k */
	int			 password;  /* has a PST password (ignored) */
	const char		*reader;    /* "pst" or "libpff": who read */
	char			*fallback;  /* why our reader gave the file
					       to libpff, or NULL */
	char			*store_name; /* PidTagDisplayName of the
					   store, or NULL when absent or "" */
	char			*top;	/* path of the IPM subtree ("top of
					   the store"), or NULL if unknown */
	/* Values the items share (pack.h): with a content spool, each
	 * item taken is packed; NULL when none is. */
	struct appt_pool	*pool;
};

int	reader_read(const char *, const struct reader_opts *,
	    struct reader_result *, char **);
void	reader_result_free(struct reader_result *);

/* "pst" or "libpff" to a kind; 0, or -1 if unknown. */
int	reader_kind_parse(const char *, enum reader_kind *);

/* The libpff version string ("20180714"; "none" in a build without
 * libpff, where reader_libpff_available() is 0). */
const char *reader_libpff_version(void);
int	reader_libpff_available(void);

/* Whether libpff accepts this Windows codepage. */
int	reader_codepage_ok(int);

#endif
