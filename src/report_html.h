/* report_html.h: the review report as one self-contained HTML page.
 *
 * report_html_write() renders the page of one run in memory;
 * report_html_combined() the page of a run over many inputs, from the
 * combined JSON report (combined.h), whose items carry in "shown" the
 * rows this module made of them (report_html_fields(), called by the
 * JSON report). Both go through one renderer: the combined page has an
 * overview of the whole run first (its totals, the inputs by status,
 * one row per input and per folder with the files written, the charts
 * over all inputs), then one section per input with the
 * run's header (input, store, date, versions, options), the totals (the
 * text report's numbers), a per-folder table, inline SVG charts of the
 * removed copies per month and per creator, every duplicate group with
 * its copies side by side (one column per copy, one row per field, cells
 * that differ from the kept copy marked "diff"; groups to review and
 * conflicts first), and the skipped and degraded items.
 *
 * The page loads nothing: no external script, style, font or image. A
 * Content-Security-Policy meta tag allows only the page's own inline
 * style and script, by their SHA-256 hashes (nettle). Every piece of text
 * from the PST is escaped; none goes into an attribute. The page reads
 * fully without script; the script only adds the filter box.
 *
 * Structure that tests (and scripts) may rely on: the overview is
 * <section class="overview"> with <table class="totals" id="totals-all">
 * and <table class="inputs"> (rows of class "input" and "folder"); each
 * input is a
 * <section class="input" id="input-N">; its totals the cells of
 * <table class="totals" id="totals-N"> with data-total="read", "kept",
 * ... (the JSON report's keys); each group a <section class="group"
 * data-group="G" data-kind="same-meeting|same-content|conflict"
 * data-review="yes|no">, G being its number in the text and JSON
 * reports, id "g-N-G"; in its table of class "copies", the header
 * cells of the copies carry class "copy kept" or "copy removed" and
 * data-id="0xNID", and each row data-field="subject", "start", ...
 *
 * The parts (frame, fields, charts, the JSON walk) are described in
 * report_html_int.h. Borrows everything; returns 0, or -1 when a write
 * failed.
 */
#ifndef REPORT_HTML_H
#define REPORT_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "model.h"
#include "report.h"

int	report_html_write(FILE *, const struct report_run *);
/* The document after combined_finish(), a jansson json_t (not
 * included here: report.c has names of its own); borrowed. */
struct json_t;
int	report_html_combined(FILE *, struct json_t *);

/* The rows of a group's table for one copy: report_html_field_count()
 * strings (each allocated, or NULL when absent), keyed by
 * report_html_field_key(i) ("subject", "start", ...). */
size_t	report_html_field_count(void);
const char *report_html_field_key(size_t);
void	report_html_fields(const struct appt *, char **);

/* The page's inline style and script, and their CSP source expressions
 * ("'sha256-BASE64'"), for tests. The strings are static. */
const char *report_html_style(void);
const char *report_html_script(void);
void	report_html_hash(const char *, char out[64]);

#endif
