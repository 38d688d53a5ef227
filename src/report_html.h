/* report_html.h: the review report as one self-contained HTML page.
 *
 * report_html_write() renders one page for a whole run: with several
 * inputs an overview of them first, then one section per input with the
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
 * Structure that tests (and scripts) may rely on: each input is a
 * <section class="input" id="input-N">; its totals the cells of
 * <table class="totals" id="totals-N"> with data-total="read", "kept",
 * ... (the JSON report's keys); each group a <section class="group"
 * data-group="G" data-kind="same-meeting|same-content|conflict"
 * data-review="yes|no">, G being its number in the text and JSON
 * reports, id "g-N-G"; in its table of class "copies", the header
 * cells of the copies carry class "copy kept" or "copy removed" and
 * data-id="0xNID", and each row data-field="subject", "start", ...
 *
 * Borrows everything; returns 0, or -1 when a write failed.
 */
#ifndef REPORT_HTML_H
#define REPORT_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

int	report_html_write(FILE *, const struct report_run *const *, size_t);

/* The page's inline style and script, and their CSP source expressions
 * ("'sha256-BASE64'"), for tests. The strings are static. */
const char *report_html_style(void);
const char *report_html_script(void);
void	report_html_hash(const char *, char out[64]);

#endif
