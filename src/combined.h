/* combined.h: one report for a run over many inputs.
 *
 * The combined report is a JSON document (jansson), built from each
 * input's own JSON report (run_main() with -f json, or a batch run's
 * -R x.json read again by --combine: one parser for both):
 *
 *   {"pstdedup":VERSION,"status":WORST,"totals":{... summed ...,
 *    "inputs":N,"by_status":{"0":n,...}},
 *    "inputs":[{"input":PATH,"status":S,"store","file_type","options",
 *               "totals":{...},
 *               "folders":[{"folder","read","kept","removed","skipped",
 *                           "calendar","removed_file"}]}],
 *    "groups":[{"input":PATH,...}],"skipped":[...],"warnings":[...]}
 *
 * Every group, item, skip and warning carries "input". A format is a
 * function over the whole document (combined_write()).
 * Ownership: the document belongs to the caller (json_decref()).
 * Errors: -1 with *cause allocated ("what: why").
 */
#ifndef COMBINED_H
#define COMBINED_H

#include <stdio.h>

#include <jansson.h>

#include "report.h"

/* Exit statuses from best to worst: 0 1 3 66 65 74 73 70. */
int	 combined_worse(int, int);
/* The status after s in that order (-1: the first), -1 after the last,
 * -2 for a status not in the list. */
int	 combined_next(int);
/* "done", "nothing to write", "partial", "bad data", ... */
const char *combined_status_name(int);

json_t	*combined_new(void);
/* One input: its status and its own JSON report (NULL when it wrote
 * none: it failed before that). */
int	 combined_add(json_t *, const char *, int, json_t *, char **);
/* A report read back: a combined one (its inputs are taken over) or a
 * single-file one (its status derived from its counts). */
int	 combined_merge(json_t *, json_t *, char **);
/* Load a JSON file; NULL with *cause. */
json_t	*combined_load(const char *, char **);
/* Sum the totals and find the worst status; call before writing. */
void	 combined_finish(json_t *);
/* text, JSON, CSV or HTML (report_html_combined()); bom: a UTF-8 byte
 * order mark first (CSV in a file, for Excel). 0, or -1 when a write
 * failed. */
int	 combined_write(FILE *, json_t *, enum report_format, int);

#endif
