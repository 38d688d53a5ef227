/* report.h: what a run did, for people and for programs.
 *
 * report.c prints the end-of-run summary, the warnings for skipped and
 * damaged items, the progress line and the folder list, and renders the
 * full report (totals, every duplicate group, every skipped item) as
 * text, JSON or CSV (report_int.h says which part does what). It only
 * reads the reader and dedup results.
 *
 * Message format everywhere: "pstdedup: FILE: what: why".
 * Errors: report_totals() returns -1 with *cause allocated when the
 * counts do not add up (an internal error). The functions that write a
 * FILE return 0, or -1 when a write failed (errno is set).
 */
#ifndef REPORT_H
#define REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "dedup.h"
#include "model.h"
#include "reader.h"

enum report_format {
	REPORT_TEXT = 0,
	REPORT_JSON,
	REPORT_CSV,
	REPORT_HTML		/* report_html.h */
};

struct report_totals {
	size_t		 folders;	/* calendar folders */
	size_t		 read;		/* = kept + removed + skipped */
	size_t		 kept;
	size_t		 removed;
	size_t		 groups;	/* groups with removed copies */
	size_t		 conflicts;	/* conflict groups */
	size_t		 review;	/* groups to review by hand */
	size_t		 skipped;
	size_t		 damaged;	/* of skipped */
	size_t		 left_out;	/* outside the selected folders */
	size_t		 degraded;	/* of kept: written with less than
					   they had (report_count_degraded) */
};

/* Something the writer could not express faithfully for one item. */
struct report_warning {
	const struct appt	*item;	/* borrowed; may be an exception's
					   master */
	char			*msg;	/* owned by whoever built the list */
	int			 degraded; /* the item is kept: it was
					   written with less than it had */
};

/* One calendar folder's counts and files (a batch worker's report). */
struct report_folder {
	const char	*folder;	/* below the top of the store */
	const char	*calendar;	/* file written, or NULL */
	const char	*removed_file;	/* -r's file, or NULL */
	size_t		 read, kept, removed, skipped;
};

/* One run, borrowed. */
struct report_run {
	const char			*file;	/* the input, as given */
	const struct reader_result	*rr;
	const struct dedup_result	*dr;
	struct report_totals		 totals;
	const struct report_warning	*warnings;
	size_t				 nwarnings;
	const char			*only_folder;	/* -F, or NULL */
	const struct report_folder	*folders;	/* NULL: none; JSON
							   gets "folders",
							   and for the HTML
							   page of a batch
							   run "store",
							   "file_type",
							   "options" and
							   each item's
							   "shown" */
	size_t				 nfolders;
	const char			*options;	/* the options in
							   effect, readable
							   (cli_options_text),
							   or NULL */
};

/* "text", "json", "csv", "html" -> format; 0, or -1 if unknown. */
int	report_format_parse(const char *, enum report_format *);

/* The format a report path implies by its extension (.json, .csv,
 * .html or .htm, .txt); text when there is none. */
enum report_format report_format_guess(const char *);

/* Count everything and check read = kept + removed + skipped. */
int	report_totals(const struct reader_result *,
	    const struct dedup_result *, struct report_totals *, char **);

/* "pstdedup: FILE: reader: pst", or libpff and why our reader gave the
 * file to it. The summary has it after a fallback, -v always. */
int	report_reader(FILE *, const struct report_run *);

/* The item at an index of the run's list, or NULL when out of range
 * (the report's writers, report_html.c). */
const struct appt *report_run_item(const struct report_run *, size_t);

/* The full report. */
int	report_write(FILE *, const struct report_run *, enum report_format);

/* Every duplicate group, as in the text report (for -v). */
int	report_groups(FILE *, const struct report_run *);

/* One warning per skipped item:
 * pstdedup: FILE: FOLDER/0xNID "subject": skipped: reason */
int	report_skips(FILE *, const struct report_run *);

/* A warning about one item (e.g. from the writer). */
int	report_item_warning(FILE *, const char *, const struct appt *,
	    const char *);

/* A kept item written with less than it had, listed like a skip:
 * pstdedup: FILE: FOLDER/0xNID "subject": degraded: what */
int	report_item_degraded(FILE *, const char *, const struct appt *,
	    const char *);

/* The distinct items among the warnings marked degraded. */
size_t	report_count_degraded(const struct report_warning *, size_t);

/* The short summary; output, removed and report name the files
 * written, or are NULL. */
int	report_summary(FILE *, const struct report_run *, const char *,
	    const char *, const char *);
/* Its first part: the totals (and "no calendar folder" when so). */
int	report_summary_totals(FILE *, const struct report_run *);

/* Monotonic seconds, for the phase times of -v. */
double	report_clock(void);

/* -v: where the time went, one line:
 * pstdedup: FILE: time: read R s, dedup D s, write W s */
int	report_phases(FILE *, const char *, double, double, double);

/* The folders that are calendars or hold appointments (for -l). */
int	report_folders(FILE *, const struct reader_result *);

/* A progress line on a terminal: shown only after about a second,
 * updated a few times a second, cleared by report_progress_done().
 * libpff's open says nothing and can take minutes on a big mailbox, so
 * report_progress_opening() arms a once-a-second "opening" line, written
 * from a SIGALRM handler until the next report_progress() call or
 * report_progress_done(). Only one progress line runs at a time. */
struct report_progress {
	FILE		*fp;		/* NULL: disabled */
	const char	*file;
	double		 t0;		/* monotonic seconds at start */
	double		 twalk;		/* ...when the file was open */
	double		 last;		/* last update */
	int		 shown;
	int		 opening;	/* the SIGALRM timer is armed */
};

void	report_progress_init(struct report_progress *, FILE *,
	    const char *);
void	report_progress_opening(struct report_progress *);
void	report_progress(void *, size_t, size_t);	/* reader_opts */
void	report_progress_write(void *, size_t, size_t);	/* writer_opts */
void	report_progress_done(struct report_progress *);

#endif
