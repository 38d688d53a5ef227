/*
 * report_int.h: what the parts of the report share, private to them
 * (report.h is the interface).
 *
 * report.c counts the totals, prints the end-of-run summary, the
 * warnings and the folder list, renders the text report and chooses
 * the format's writer; report_progress.c is the progress line on the
 * terminal, with the SIGALRM timer that ticks while libpff opens a
 * file, and the clock; report_json.c and report_csv.c render the JSON
 * and CSV reports (report_html*.c, a module of its own, the HTML page).
 *
 * Nothing here owns the run: every part only reads the reader and
 * dedup results of a struct report_run. What a writer returns is
 * ferror()'s verdict on its FILE.
 */
#ifndef REPORT_INT_H
#define REPORT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dedup.h"
#include "reader.h"
#include "report.h"

/* A skip reason and how many items it skipped. */
struct report_reason {
	const char	*reason;
	size_t		 n;
};

/* report.c */
/* FILETIME as ISO 8601 UTC into buf; "" when absent or out of range. */
void	 rp_iso(char *, size_t, int64_t);
/* Distinct skip reasons with their counts, sorted; caller frees. */
struct report_reason *rp_reasons(const struct reader_result *, size_t *);
/* one when n is 1, else many. */
const char *rp_plural(size_t, const char *, const char *);
/* Copy j of group g: "kept", "removed", or "older" for a copy removed
 * as an older revision of the meeting. */
const char *rp_status(const struct report_run *, const struct dedup_group *,
	    size_t);

/* report_json.c */
int	 rp_json_write(FILE *, const struct report_run *);

/* report_csv.c */
int	 rp_csv_write(FILE *, const struct report_run *);

#endif
