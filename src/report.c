/* report.c: the totals, the summary and warnings, the folder list and
 * the text report; the format's writer (report_int.h says where the
 * other parts are). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "compat.h"
#include "ft.h"
#include "report.h"
#include "report_html.h"
#include "report_int.h"
#include "xmalloc.h"

static int	 report_reason_cmp(const void *, const void *);
static int	 report_ptr_cmp(const void *, const void *);

static void	 text_quoted(FILE *, const char *);
static void	 text_item(FILE *, const struct report_run *, const char *,
		    size_t);
static void	 text_group(FILE *, const struct report_run *, size_t);
static int	 text_write(FILE *, const struct report_run *);

int
report_format_parse(const char *name, enum report_format *format)
{
	if (strcmp(name, "text") == 0)
		*format = REPORT_TEXT;
	else if (strcmp(name, "json") == 0)
		*format = REPORT_JSON;
	else if (strcmp(name, "csv") == 0)
		*format = REPORT_CSV;
	else if (strcmp(name, "html") == 0)
		*format = REPORT_HTML;
	else
		return -1;
	return 0;
}

enum report_format
report_format_guess(const char *path)
{
	const char	*dot, *slash;

	dot = strrchr(path, '.');
	slash = compat_lastsep(path);
	if (dot == NULL || (slash != NULL && dot < slash))
		return REPORT_TEXT;
	if (strcasecmp(dot, ".json") == 0)
		return REPORT_JSON;
	if (strcasecmp(dot, ".csv") == 0)
		return REPORT_CSV;
	if (strcasecmp(dot, ".html") == 0 || strcasecmp(dot, ".htm") == 0)
		return REPORT_HTML;
	return REPORT_TEXT;
}

int
report_totals(const struct reader_result *rr, const struct dedup_result *dr,
    struct report_totals *t, char **cause)
{
	const struct dedup_group	*g;
	size_t				 i, j, n, kept, removed;

	memset(t, 0, sizeof *t);
	/* Only the calendar folders read: -F selects one. */
	for (i = 0; i < rr->nfolders; i++) {
		if (rr->folders[i].is_calendar && rr->folders[i].selected)
			t->folders++;
	}
	n = rr->appts.n;
	t->skipped = rr->nskips;
	for (i = 0; i < rr->nskips; i++) {
		if (rr->skips[i].damaged)
			t->damaged++;
	}
	t->left_out = rr->left_out;
	t->read = n + rr->nskips;
	if (dr == NULL) {
		t->kept = n;
		return 0;
	}

	if (dr->nitems != n) {
		xasprintf(cause, "internal error: dedup saw %zu items, the "
		    "reader gave %zu", dr->nitems, n);
		return -1;
	}
	kept = removed = 0;
	for (i = 0; i < n; i++) {
		if (dr->dup_of[i] == DEDUP_KEPT)
			kept++;
		else if (dr->dup_of[i] < n && dr->dup_of[i] != i)
			removed++;
		else {
			xasprintf(cause, "internal error: item %zu is a "
			    "duplicate of %zu", i, dr->dup_of[i]);
			return -1;
		}
	}
	if (kept != dr->kept || removed != dr->removed) {
		xasprintf(cause, "internal error: dedup counted %zu kept and "
		    "%zu removed, its items say %zu and %zu", dr->kept,
		    dr->removed, kept, removed);
		return -1;
	}
	for (i = 0; i < dr->ngroups; i++) {
		g = &dr->groups[i];
		for (j = 0; j < g->n; j++) {
			if (g->members[j] >= n) {
				xasprintf(cause, "internal error: group %zu "
				    "has item %zu of %zu", i + 1,
				    g->members[j], n);
				return -1;
			}
		}
		if (g->kind == DEDUP_CONFLICT)
			t->conflicts++;
		else
			t->groups++;
		if (g->review)
			t->review++;
	}
	t->kept = kept;
	t->removed = removed;
	if (t->read != t->kept + t->removed + t->skipped) {
		xasprintf(cause, "internal error: %zu items read, but %zu "
		    "kept + %zu removed + %zu skipped", t->read, t->kept,
		    t->removed, t->skipped);
		return -1;
	}
	return 0;
}

int
report_write(FILE *fp, const struct report_run *run,
    enum report_format format)
{
	switch (format) {
	case REPORT_JSON:
		return rp_json_write(fp, run);
	case REPORT_CSV:
		return rp_csv_write(fp, run);
	case REPORT_HTML:
		return report_html_write(fp, run);
	case REPORT_TEXT:
		break;
	}
	return text_write(fp, run);
}

int
report_groups(FILE *fp, const struct report_run *run)
{
	size_t	i;

	if (run->dr != NULL) {
		for (i = 0; i < run->dr->ngroups; i++)
			text_group(fp, run, i);
	}
	return ferror(fp) ? -1 : 0;
}

int
report_skips(FILE *fp, const struct report_run *run)
{
	const struct reader_skip	*s;
	size_t				 i;

	for (i = 0; i < run->rr->nskips; i++) {
		s = &run->rr->skips[i];
		fprintf(fp, "pstdedup: %s: %s/0x%" PRIx64, run->file,
		    s->folder != NULL ? s->folder : "", s->id);
		if (s->subject != NULL) {
			fputc(' ', fp);
			text_quoted(fp, s->subject);
		}
		fprintf(fp, ": skipped: %s\n",
		    s->reason != NULL ? s->reason : "unknown reason");
	}
	return ferror(fp) ? -1 : 0;
}

int
report_item_warning(FILE *fp, const char *file, const struct appt *a,
    const char *msg)
{
	fprintf(fp, "pstdedup: %s: %s/0x%" PRIx64, file,
	    a->folder != NULL ? a->folder : "", a->id);
	if (a->subject != NULL) {
		fputc(' ', fp);
		text_quoted(fp, a->subject);
	}
	fprintf(fp, ": %s\n", msg);
	return ferror(fp) ? -1 : 0;
}

int
report_item_degraded(FILE *fp, const char *file, const struct appt *a,
    const char *msg)
{
	char	*line;
	int	 r;

	xasprintf(&line, "degraded: %s", msg);
	r = report_item_warning(fp, file, a, line);
	free(line);
	return r;
}

static int
report_ptr_cmp(const void *a, const void *b)
{
	uintptr_t	x = (uintptr_t)*(const void *const *)a;
	uintptr_t	y = (uintptr_t)*(const void *const *)b;

	return x < y ? -1 : x > y;
}

size_t
report_count_degraded(const struct report_warning *w, size_t n)
{
	const void	**v;
	size_t		  i, m = 0, count = 0;

	if (n == 0)
		return 0;
	v = xreallocarray(NULL, n, sizeof *v);
	for (i = 0; i < n; i++) {
		if (w[i].degraded)
			v[m++] = w[i].item;
	}
	qsort(v, m, sizeof *v, report_ptr_cmp);
	for (i = 0; i < m; i++) {
		if (i == 0 || v[i] != v[i - 1])
			count++;
	}
	free(v);
	return count;
}

int
report_summary(FILE *fp, const struct report_run *run, const char *output,
    const char *removed, const char *report)
{
	const char	*sep;

	report_summary_totals(fp, run);
	if (output == NULL && removed == NULL && report == NULL) {
		fprintf(fp, "pstdedup: %s: dry run: nothing written\n",
		    run->file);
		return ferror(fp) ? -1 : 0;
	}
	fprintf(fp, "pstdedup: %s: wrote ", run->file);
	sep = "";
	if (output != NULL) {
		fprintf(fp, "%s", strcmp(output, "-") == 0 ?
		    "the calendar to standard output" : output);
		sep = ", ";
	}
	if (removed != NULL) {
		fprintf(fp, "%sremoved copies to %s", sep,
		    strcmp(removed, "-") == 0 ? "standard output" : removed);
		sep = ", ";
	}
	if (report != NULL)
		fprintf(fp, "%sreport to %s", sep,
		    strcmp(report, "-") == 0 ? "standard output" : report);
	fputc('\n', fp);
	return ferror(fp) ? -1 : 0;
}

int
report_summary_totals(FILE *fp, const struct report_run *run)
{
	const struct report_totals	*t = &run->totals;

	fprintf(fp, "pstdedup: %s: %zu %s read, %zu kept, %zu removed "
	    "(%zu %s)", run->file, t->read, rp_plural(t->read, "item",
	    "items"), t->kept, t->removed, t->groups,
	    rp_plural(t->groups, "group", "groups"));
	if (t->conflicts != 0)
		fprintf(fp, ", %zu %s", t->conflicts,
		    rp_plural(t->conflicts, "conflict", "conflicts"));
	if (t->skipped != 0) {
		fprintf(fp, ", %zu skipped", t->skipped);
		if (t->damaged != 0)
			fprintf(fp, " (%zu damaged)", t->damaged);
	}
	if (t->degraded != 0)
		fprintf(fp, ", %zu degraded (written with less than %s had)",
		    t->degraded, rp_plural(t->degraded, "it", "they"));
	/* With -F the items left out are the other folders' too, and
	 * -a does not bring them in. */
	if (t->left_out != 0 && run->only_folder != NULL)
		fprintf(fp, "; %zu left out (outside the -F folder)",
		    t->left_out);
	else if (t->left_out != 0)
		fprintf(fp, "; %zu left out (outside calendar folders; "
		    "-a includes them)", t->left_out);
	fputc('\n', fp);
	if (run->rr->fallback != NULL)
		report_reader(fp, run);
	if (t->review != 0)
		fprintf(fp, "pstdedup: %s: %zu %s review by hand (copies "
		    "kept, see the report)\n", run->file, t->review,
		    rp_plural(t->review, "group needs", "groups need"));
	if (t->folders == 0 && run->only_folder == NULL)
		fprintf(fp, "pstdedup: %s: no calendar folder in this file "
		    "(-l lists the folders holding appointments)\n",
		    run->file);
	return ferror(fp) ? -1 : 0;
}

int
report_reader(FILE *fp, const struct report_run *run)
{
	const struct reader_result	*rr = run->rr;

	if (rr->reader == NULL)
		return 0;
	fprintf(fp, "pstdedup: %s: reader: %s", run->file, rr->reader);
	if (rr->fallback != NULL)
		fprintf(fp, " (our reader could not read it: %s)",
		    rr->fallback);
	fputc('\n', fp);
	return ferror(fp) ? -1 : 0;
}

int
report_phases(FILE *fp, const char *file, double rd, double dd, double wr)
{
	fprintf(fp, "pstdedup: %s: time: read %.3f s, dedup %.3f s, "
	    "write %.3f s\n", file, rd, dd, wr);
	return ferror(fp) ? -1 : 0;
}

int
report_folders(FILE *fp, const struct reader_result *rr)
{
	const struct reader_folder	*f;
	size_t				 i;

	fprintf(fp, "%8s %8s  %-8s  %s\n", "appts", "other", "calendar",
	    "folder");
	for (i = 0; i < rr->nfolders; i++) {
		f = &rr->folders[i];
		if (!f->is_calendar && f->nappts == 0)
			continue;
		fprintf(fp, "%8zu %8zu  %-8s  %s\n", f->nappts, f->nother,
		    f->is_calendar ? "yes" : "no",
		    f->path != NULL ? f->path : "");
	}
	return ferror(fp) ? -1 : 0;
}

/* The item at an index, or NULL when out of range. */
const struct appt *
report_run_item(const struct report_run *run, size_t idx)
{
	if (idx >= run->rr->appts.n)
		return NULL;
	return run->rr->appts.v[idx];
}

/* FILETIME as ISO 8601 UTC; "" when absent or out of range. */
void
rp_iso(char *buf, size_t len, int64_t ft)
{
	struct tm	tm;
	time_t		t;

	buf[0] = '\0';
	if (ft == APPT_NOTIME)
		return;
	t = (time_t)ft_to_unix(ft);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
}

/* Distinct skip reasons with their counts, sorted; caller frees. */
struct report_reason *
rp_reasons(const struct reader_result *rr, size_t *np)
{
	struct report_reason	*v;
	const char		**r;
	size_t			 i, n;

	*np = 0;
	if (rr->nskips == 0)
		return NULL;
	r = xreallocarray(NULL, rr->nskips, sizeof *r);
	for (i = 0; i < rr->nskips; i++)
		r[i] = rr->skips[i].reason != NULL ? rr->skips[i].reason :
		    "unknown reason";
	qsort(r, rr->nskips, sizeof *r, report_reason_cmp);
	v = xreallocarray(NULL, rr->nskips, sizeof *v);
	n = 0;
	for (i = 0; i < rr->nskips; i++) {
		if (n > 0 && strcmp(v[n - 1].reason, r[i]) == 0)
			v[n - 1].n++;
		else {
			v[n].reason = r[i];
			v[n].n = 1;
			n++;
		}
	}
	free(r);
	*np = n;
	return v;
}

static int
report_reason_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const char *
rp_plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* A string in double quotes, one line: quotes, backslashes and line
 * breaks escaped; "-" when absent. */
static void
text_quoted(FILE *fp, const char *s)
{
	if (s == NULL) {
		fputc('-', fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '"':
		case '\\':
			fputc('\\', fp);
			fputc(*s, fp);
			break;
		case '\n':
			fputs("\\n", fp);
			break;
		case '\r':
			fputs("\\r", fp);
			break;
		case '\t':
			fputs("\\t", fp);
			break;
		default:
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				fprintf(fp, "\\x%02x", (unsigned char)*s);
			else
				fputc(*s, fp);
			break;
		}
	}
	fputc('"', fp);
}

static void
text_item(FILE *fp, const struct report_run *run, const char *status,
    size_t idx)
{
	const struct appt	*a, *orig;
	char			 start[32], end[32], created[32];

	if ((a = report_run_item(run, idx)) == NULL)
		return;
	rp_iso(start, sizeof start, a->start);
	rp_iso(end, sizeof end, a->end);
	rp_iso(created, sizeof created, a->created);
	fprintf(fp, "  %-8s 0x%" PRIx64 " ", status, a->id);
	text_quoted(fp, a->subject);
	fprintf(fp, " %s - %s", *start != '\0' ? start : "?",
	    *end != '\0' ? end : "?");
	if (run->dr->dup_of[idx] != DEDUP_KEPT &&
	    (orig = report_run_item(run, run->dr->dup_of[idx])) != NULL)
		fprintf(fp, ", %s 0x%" PRIx64, strcmp(status, "older") == 0 ?
		    "older revision of" : "duplicate of", orig->id);
	fputs("\n           folder ", fp);
	text_quoted(fp, a->folder);
	fputs(", creator ", fp);
	text_quoted(fp, a->creator);
	fputs(", modifier ", fp);
	text_quoted(fp, a->modifier);
	fprintf(fp, ", created %s\n", *created != '\0' ? created : "-");
	if (a->uid != NULL) {
		fputs("           written with UID ", fp);
		text_quoted(fp, a->uid);
		fputc('\n', fp);
	}
}

/* "kept", "removed", or "older" for a copy removed as an older
 * revision of the meeting. */
const char *
rp_status(const struct report_run *run, const struct dedup_group *g,
    size_t j)
{
	if (run->dr->dup_of[g->members[j]] == DEDUP_KEPT)
		return "kept";
	return g->older != NULL && g->older[j] ? "older" : "removed";
}

static void
text_group(FILE *fp, const struct report_run *run, size_t gi)
{
	const struct dedup_group	*g = &run->dr->groups[gi];
	size_t				 j;

	fprintf(fp, "group %zu: %s%s\n", gi + 1, dedup_kind_words(g->kind),
	    g->review ? ", NEEDS REVIEW BY HAND: copies kept" : "");
	fputs("  key      ", fp);
	text_quoted(fp, g->key);
	fprintf(fp, "\n  rule     %s: ", dedup_rule_name(g->rule));
	text_quoted(fp, g->why);
	fputc('\n', fp);
	for (j = 0; j < g->n; j++)
		text_item(fp, run, rp_status(run, g, j), g->members[j]);
}

static int
text_write(FILE *fp, const struct report_run *run)
{
	const struct report_totals	*t = &run->totals;
	const struct reader_skip	*s;
	const struct appt		*a;
	struct report_reason		*reasons;
	size_t				 i, nreasons;

	fprintf(fp, "pstdedup %s report for %s\n\n", PACKAGE_VERSION,
	    run->file);
	if (run->rr->reader != NULL) {
		fprintf(fp, "reader           %s", run->rr->reader);
		if (run->rr->fallback != NULL)
			fprintf(fp, " (our reader could not read it: %s)",
			    run->rr->fallback);
		fputc('\n', fp);
	}
	fprintf(fp, "calendar folders %8zu\n", t->folders);
	fprintf(fp, "items read       %8zu\n", t->read);
	fprintf(fp, "kept             %8zu\n", t->kept);
	fprintf(fp, "removed          %8zu  in %zu %s\n", t->removed,
	    t->groups, rp_plural(t->groups, "group", "groups"));
	fprintf(fp, "conflicts        %8zu  (same id, other time or "
	    "subject)\n", t->conflicts);
	fprintf(fp, "to review        %8zu  (undecided: copies kept)\n",
	    t->review);
	fprintf(fp, "skipped          %8zu  (%zu damaged)\n", t->skipped,
	    t->damaged);
	reasons = rp_reasons(run->rr, &nreasons);
	for (i = 0; i < nreasons; i++)
		fprintf(fp, "  %8zu  %s\n", reasons[i].n, reasons[i].reason);
	free(reasons);
	fprintf(fp, "left out         %8zu  (outside calendar folders)\n",
	    t->left_out);
	fprintf(fp, "degraded         %8zu  (kept, written with less than "
	    "they had)\n", t->degraded);

	if (run->dr != NULL && run->dr->ngroups != 0) {
		fputc('\n', fp);
		report_groups(fp, run);
	}
	if (run->rr->nskips != 0) {
		fputs("\nskipped items\n", fp);
		for (i = 0; i < run->rr->nskips; i++) {
			s = &run->rr->skips[i];
			fprintf(fp, "  %-8s 0x%" PRIx64 " ", s->damaged ?
			    "damaged" : "skipped", s->id);
			text_quoted(fp, s->subject);
			fputs(" in ", fp);
			text_quoted(fp, s->folder);
			fprintf(fp, ": %s\n", s->reason != NULL ? s->reason :
			    "unknown reason");
		}
	}
	if (run->nwarnings != 0) {
		fputs("\nwritten with warnings\n", fp);
		for (i = 0; i < run->nwarnings; i++) {
			a = run->warnings[i].item;
			fprintf(fp, "  %-8s 0x%" PRIx64 " ",
			    run->warnings[i].degraded ? "degraded" : "warning",
			    a->id);
			text_quoted(fp, a->subject);
			fputs(" in ", fp);
			text_quoted(fp, a->folder);
			fprintf(fp, ": %s\n", run->warnings[i].msg);
		}
	}
	return ferror(fp) ? -1 : 0;
}
