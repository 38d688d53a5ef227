/* report.c: the summary, warnings, progress and the text/JSON/CSV report. */
#include <sys/time.h>

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "ft.h"
#include "report.h"
#include "report_html.h"
#include "xmalloc.h"

struct report_reason {
	const char	*reason;
	size_t		 n;
};

static const struct appt *report_item(const struct report_run *, size_t);
static const char *report_kind_text(enum dedup_kind);
static void	 report_iso(char *, size_t, int64_t);
static struct report_reason *report_reasons(const struct reader_result *,
		    size_t *);
static int	 report_reason_cmp(const void *, const void *);
static const char *report_plural(size_t, const char *, const char *);
static int	 report_ptr_cmp(const void *, const void *);

static void	 text_quoted(FILE *, const char *);
static void	 text_item(FILE *, const struct report_run *, const char *,
		    size_t);
static const char *report_status(const struct report_run *,
		    const struct dedup_group *, size_t);
static void	 text_group(FILE *, const struct report_run *, size_t);
static int	 text_write(FILE *, const struct report_run *);

static void	 json_string(FILE *, const char *);
static void	 json_time(FILE *, int64_t);
static void	 json_id(FILE *, uint64_t);
static void	 json_shown(FILE *, const struct appt *);
static void	 json_item(FILE *, const struct report_run *, size_t, int,
		    int);
static int	 json_write(FILE *, const struct report_run *);

static void	 csv_field(FILE *, const char *);
static void	 csv_row(FILE *, const struct report_run *, const char *,
		    const struct dedup_group *, size_t, size_t);
static int	 csv_write(FILE *, const struct report_run *);

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
		return json_write(fp, run);
	case REPORT_CSV:
		return csv_write(fp, run);
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
	    "(%zu %s)", run->file, t->read, report_plural(t->read, "item",
	    "items"), t->kept, t->removed, t->groups,
	    report_plural(t->groups, "group", "groups"));
	if (t->conflicts != 0)
		fprintf(fp, ", %zu %s", t->conflicts,
		    report_plural(t->conflicts, "conflict", "conflicts"));
	if (t->skipped != 0) {
		fprintf(fp, ", %zu skipped", t->skipped);
		if (t->damaged != 0)
			fprintf(fp, " (%zu damaged)", t->damaged);
	}
	if (t->degraded != 0)
		fprintf(fp, ", %zu degraded (written with less than %s had)",
		    t->degraded, report_plural(t->degraded, "it", "they"));
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
		    report_plural(t->review, "group needs", "groups need"));
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

double
report_clock(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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

/* The "opening" line, written by the SIGALRM handler with write(2)
 * alone: the prefix is made beforehand, the handler adds the seconds. */
static volatile sig_atomic_t	 report_open_secs;
static int			 report_open_fd = -1;
static char			 report_open_msg[512];
static size_t			 report_open_len;

static void
report_open_tick(int sig)
{
	char		buf[sizeof report_open_msg + 32], digits[12];
	size_t		n = report_open_len;
	unsigned	s;
	int		k = 0, saved = errno;

	(void)sig;
	s = (unsigned)++report_open_secs;
	memcpy(buf, report_open_msg, n);
	do {
		digits[k++] = (char)('0' + s % 10);
		s /= 10;
	} while (s != 0 && k < (int)sizeof digits);
	while (k > 0)
		buf[n++] = digits[--k];
	memcpy(buf + n, " s\033[K", 5);
	n += 5;
	if (write(report_open_fd, buf, n) == -1)
		report_open_fd = -1;
	errno = saved;
}

void
report_progress_opening(struct report_progress *p)
{
	struct sigaction	sa;
	struct itimerval	it;
	int			len;

	if (p->fp == NULL || p->opening)
		return;
	fflush(p->fp);
	len = snprintf(report_open_msg, sizeof report_open_msg,
	    "\rpstdedup: %s: opening (libpff indexes the whole file first): ",
	    p->file);
	if (len < 0 || (size_t)len >= sizeof report_open_msg)
		return;
	report_open_len = (size_t)len;
	report_open_fd = fileno(p->fp);
	report_open_secs = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = report_open_tick;
	sigemptyset(&sa.sa_mask);
	/* libpff's reads must not see EINTR. */
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		return;
	memset(&it, 0, sizeof it);
	it.it_value.tv_sec = it.it_interval.tv_sec = 1;
	if (setitimer(ITIMER_REAL, &it, NULL) == 0)
		p->opening = 1;
}

static void
report_progress_opened(struct report_progress *p)
{
	struct sigaction	sa;
	struct itimerval	it;

	if (!p->opening)
		return;
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	/* Ignored, not default: a tick already pending must not kill us. */
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_IGN;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	p->opening = 0;
	if (report_open_secs > 0)
		p->shown = 1;
}

void
report_progress_init(struct report_progress *p, FILE *fp, const char *file)
{
	memset(p, 0, sizeof *p);
	p->fp = fp;
	p->file = file;
	p->t0 = p->twalk = report_clock();
}

/* Quick runs stay silent; long ones update a few times a second. */
static int
report_progress_due(const struct report_progress *p, double now)
{
	return now - p->t0 >= 1.0 && (!p->shown || now - p->last >= 0.25);
}

static void
report_progress_shown(struct report_progress *p, double now)
{
	fflush(p->fp);
	p->shown = 1;
	p->last = now;
}

void
report_progress(void *arg, size_t folders, size_t items)
{
	struct report_progress	*p = arg;
	double			 now;

	if (p->fp == NULL)
		return;
	now = report_clock();
	/* The file is open: the walk's rate counts from here. */
	if (folders == 0 && items == 0) {
		report_progress_opened(p);
		p->twalk = now;
		return;
	}
	if (!report_progress_due(p, now))
		return;
	fprintf(p->fp, "\rpstdedup: %s: %zu %s, %zu %s (%.0f items/s)\033[K",
	    p->file, folders, report_plural(folders, "folder", "folders"),
	    items, report_plural(items, "item", "items"),
	    now > p->twalk ? (double)items / (now - p->twalk) : 0.0);
	report_progress_shown(p, now);
}

void
report_progress_write(void *arg, size_t done, size_t all)
{
	struct report_progress	*p = arg;
	double			 now;

	if (p->fp == NULL)
		return;
	now = report_clock();
	if (!report_progress_due(p, now))
		return;
	fprintf(p->fp, "\rpstdedup: %s: writing %zu of %zu %s\033[K",
	    p->file, done, all, report_plural(all, "item", "items"));
	report_progress_shown(p, now);
}

void
report_progress_done(struct report_progress *p)
{
	report_progress_opened(p);
	if (p->fp != NULL && p->shown) {
		fputs("\r\033[K", p->fp);
		fflush(p->fp);
	}
	p->shown = 0;
}

/* The item at an index, or NULL when out of range. */
static const struct appt *
report_item(const struct report_run *run, size_t idx)
{
	if (idx >= run->rr->appts.n)
		return NULL;
	return run->rr->appts.v[idx];
}

static const char *
report_kind_text(enum dedup_kind kind)
{
	switch (kind) {
	case DEDUP_SAME_MEETING:
		return "same meeting";
	case DEDUP_SAME_CONTENT:
		return "same content";
	case DEDUP_CONFLICT:
		return "conflict";
	}
	return "unknown";
}

/* FILETIME as ISO 8601 UTC; "" when absent or out of range. */
static void
report_iso(char *buf, size_t len, int64_t ft)
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
static struct report_reason *
report_reasons(const struct reader_result *rr, size_t *np)
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

static const char *
report_plural(size_t n, const char *one, const char *many)
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

	if ((a = report_item(run, idx)) == NULL)
		return;
	report_iso(start, sizeof start, a->start);
	report_iso(end, sizeof end, a->end);
	report_iso(created, sizeof created, a->created);
	fprintf(fp, "  %-8s 0x%" PRIx64 " ", status, a->id);
	text_quoted(fp, a->subject);
	fprintf(fp, " %s - %s", *start != '\0' ? start : "?",
	    *end != '\0' ? end : "?");
	if (run->dr->dup_of[idx] != DEDUP_KEPT &&
	    (orig = report_item(run, run->dr->dup_of[idx])) != NULL)
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
static const char *
report_status(const struct report_run *run, const struct dedup_group *g,
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

	fprintf(fp, "group %zu: %s%s\n", gi + 1, report_kind_text(g->kind),
	    g->review ? ", NEEDS REVIEW BY HAND: copies kept" : "");
	fputs("  key      ", fp);
	text_quoted(fp, g->key);
	fprintf(fp, "\n  rule     %s: ", dedup_rule_name(g->rule));
	text_quoted(fp, g->why);
	fputc('\n', fp);
	for (j = 0; j < g->n; j++)
		text_item(fp, run, report_status(run, g, j), g->members[j]);
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
	    t->groups, report_plural(t->groups, "group", "groups"));
	fprintf(fp, "conflicts        %8zu  (same id, other time or "
	    "subject)\n", t->conflicts);
	fprintf(fp, "to review        %8zu  (undecided: copies kept)\n",
	    t->review);
	fprintf(fp, "skipped          %8zu  (%zu damaged)\n", t->skipped,
	    t->damaged);
	reasons = report_reasons(run->rr, &nreasons);
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

/* A JSON string: UTF-8 passes through, controls are escaped, invalid
 * bytes become U+FFFD so that the document stays valid. */
static void
json_string(FILE *fp, const char *s)
{
	const unsigned char	*p;
	uint32_t		 cp;
	size_t			 len, k;

	if (s == NULL) {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	for (p = (const unsigned char *)s; *p != '\0'; p += len) {
		len = 1;
		if (*p == '"' || *p == '\\') {
			fputc('\\', fp);
			fputc(*p, fp);
			continue;
		}
		if (*p < 0x20) {
			switch (*p) {
			case '\n':
				fputs("\\n", fp);
				break;
			case '\r':
				fputs("\\r", fp);
				break;
			case '\t':
				fputs("\\t", fp);
				break;
			case '\b':
				fputs("\\b", fp);
				break;
			case '\f':
				fputs("\\f", fp);
				break;
			default:
				fprintf(fp, "\\u%04x", *p);
				break;
			}
			continue;
		}
		if (*p < 0x80) {
			fputc(*p, fp);
			continue;
		}
		/* Validate one multi-byte sequence (RFC 3629). */
		if (*p >= 0xc2 && *p <= 0xdf) {
			len = 2;
			cp = *p & 0x1f;
		} else if (*p >= 0xe0 && *p <= 0xef) {
			len = 3;
			cp = *p & 0x0f;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			len = 4;
			cp = *p & 0x07;
		} else {
			fputs("\\ufffd", fp);
			continue;
		}
		for (k = 1; k < len; k++) {
			if ((p[k] & 0xc0) != 0x80)
				break;
			cp = (cp << 6) | (p[k] & 0x3f);
		}
		if (k < len || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff)) {
			fputs("\\ufffd", fp);
			len = 1;
			continue;
		}
		fwrite(p, 1, len, fp);
	}
	fputc('"', fp);
}

static void
json_time(FILE *fp, int64_t ft)
{
	char	buf[32];

	report_iso(buf, sizeof buf, ft);
	json_string(fp, *buf != '\0' ? buf : NULL);
}

static void
json_id(FILE *fp, uint64_t id)
{
	fprintf(fp, "\"0x%" PRIx64 "\"", id);
}

/* The item as the HTML page shows it: a batch worker's report, for the
 * page of the whole run made from JSON (report_html_combined()). */
static void
json_shown(FILE *fp, const struct appt *a)
{
	char		**v;
	const char	 *sep = "";
	size_t		  i, n = report_html_field_count();

	v = xcalloc(n, sizeof *v);
	report_html_fields(a, v);
	fputs(",\"shown\":{", fp);
	for (i = 0; i < n; i++) {
		if (v[i] == NULL)
			continue;
		fputs(sep, fp);
		json_string(fp, report_html_field_key(i));
		fputc(':', fp);
		json_string(fp, v[i]);
		free(v[i]);
		sep = ",";
	}
	fputc('}', fp);
	free(v);
}

static void
json_item(FILE *fp, const struct report_run *run, size_t idx, int removed,
    int older)
{
	const struct appt	*a, *orig;

	if ((a = report_item(run, idx)) == NULL) {
		fputs("null", fp);
		return;
	}
	fputs("{\"id\":", fp);
	json_id(fp, a->id);
	fputs(",\"subject\":", fp);
	json_string(fp, a->subject);
	fputs(",\"start\":", fp);
	json_time(fp, a->start);
	fputs(",\"end\":", fp);
	json_time(fp, a->end);
	fputs(",\"folder\":", fp);
	json_string(fp, a->folder);
	fputs(",\"creator\":", fp);
	json_string(fp, a->creator);
	fputs(",\"modifier\":", fp);
	json_string(fp, a->modifier);
	fputs(",\"created\":", fp);
	json_time(fp, a->created);
	if (run->folders != NULL)
		json_shown(fp, a);
	if (removed &&
	    (orig = report_item(run, run->dr->dup_of[idx])) != NULL) {
		fputs(",\"duplicate_of\":", fp);
		json_id(fp, orig->id);
		fprintf(fp, ",\"older_revision\":%s", older ? "true" :
		    "false");
	}
	if (a->uid != NULL) {
		fputs(",\"new_uid\":", fp);
		json_string(fp, a->uid);
	}
	fputc('}', fp);
}

static int
json_write(FILE *fp, const struct report_run *run)
{
	const struct report_totals	*t = &run->totals;
	const struct dedup_group	*g;
	const struct reader_skip	*s;
	const struct appt		*a;
	struct report_reason		*reasons;
	const char			*sep;
	size_t				 i, j, m, nreasons;

	fprintf(fp, "{\"pstdedup\":\"%s\",\"file\":", PACKAGE_VERSION);
	json_string(fp, run->file);
	if (run->folders != NULL) {
		fputs(",\"store\":", fp);
		json_string(fp, run->rr->store_name);
		fprintf(fp, ",\"file_type\":%d,\"options\":",
		    run->rr->file_type);
		json_string(fp, run->options);
	}
	fprintf(fp, ",\"totals\":{\"folders\":%zu,\"read\":%zu,\"kept\":%zu,"
	    "\"removed\":%zu,\"groups\":%zu,\"conflicts\":%zu,"
	    "\"review\":%zu,\"skipped\":%zu,\"damaged\":%zu,"
	    "\"left_out\":%zu,\"degraded\":%zu,\"skipped_by_reason\":{",
	    t->folders, t->read, t->kept, t->removed, t->groups,
	    t->conflicts, t->review, t->skipped, t->damaged, t->left_out,
	    t->degraded);
	reasons = report_reasons(run->rr, &nreasons);
	for (i = 0; i < nreasons; i++) {
		if (i != 0)
			fputc(',', fp);
		json_string(fp, reasons[i].reason);
		fprintf(fp, ":%zu", reasons[i].n);
	}
	free(reasons);
	fputs("}},\n", fp);
	if (run->rr->reader != NULL) {
		fputs("\"reader\":{\"name\":", fp);
		json_string(fp, run->rr->reader);
		fputs(",\"fallback\":", fp);
		json_string(fp, run->rr->fallback);
		fputs("},\n", fp);
	}
	if (run->folders != NULL) {
		fputs("\"folders\":[", fp);
		for (i = 0; i < run->nfolders; i++) {
			fputs(i != 0 ? ",\n{\"folder\":" : "\n{\"folder\":", fp);
			json_string(fp, run->folders[i].folder);
			fprintf(fp, ",\"read\":%zu,\"kept\":%zu,\"removed\":%zu,"
			    "\"skipped\":%zu,\"calendar\":",
			    run->folders[i].read, run->folders[i].kept,
			    run->folders[i].removed, run->folders[i].skipped);
			json_string(fp, run->folders[i].calendar);
			fputs(",\"removed_file\":", fp);
			json_string(fp, run->folders[i].removed_file);
			fputc('}', fp);
		}
		fputs("],\n", fp);
	}
	fputs("\"groups\":[", fp);

	for (i = 0; run->dr != NULL && i < run->dr->ngroups; i++) {
		g = &run->dr->groups[i];
		fprintf(fp, "%s\n{\"group\":%zu,\"kind\":\"%s\",\"key\":",
		    i != 0 ? "," : "", i + 1, dedup_kind_name(g->kind));
		json_string(fp, g->key);
		fprintf(fp, ",\"rule\":\"%s\",\"review\":%s,\"why\":",
		    dedup_rule_name(g->rule), g->review ? "true" : "false");
		json_string(fp, g->why);
		fputs(",\"kept\":", fp);
		if (g->n == 0)
			fputs("null", fp);
		else
			json_item(fp, run, g->members[0], 0, 0);
		/* Conflicts, and any other copy dedup chose to keep. */
		fputs(",\"also_kept\":[", fp);
		sep = "";
		for (j = 1; j < g->n; j++) {
			m = g->members[j];
			if (m < run->dr->nitems &&
			    run->dr->dup_of[m] == DEDUP_KEPT) {
				fputs(sep, fp);
				json_item(fp, run, m, 0, 0);
				sep = ",";
			}
		}
		fputs("],\"removed\":[", fp);
		sep = "";
		for (j = 1; j < g->n; j++) {
			m = g->members[j];
			if (m < run->dr->nitems &&
			    run->dr->dup_of[m] != DEDUP_KEPT) {
				fputs(sep, fp);
				json_item(fp, run, m, 1,
				    g->older != NULL && g->older[j]);
				sep = ",";
			}
		}
		fputs("]}", fp);
	}
	fputs("],\n\"skipped\":[", fp);
	for (i = 0; i < run->rr->nskips; i++) {
		s = &run->rr->skips[i];
		fprintf(fp, "%s\n{\"id\":", i != 0 ? "," : "");
		json_id(fp, s->id);
		fputs(",\"folder\":", fp);
		json_string(fp, s->folder);
		fputs(",\"class\":", fp);
		json_string(fp, s->msgclass);
		fputs(",\"subject\":", fp);
		json_string(fp, s->subject);
		fputs(",\"reason\":", fp);
		json_string(fp, s->reason);
		fprintf(fp, ",\"damaged\":%s}", s->damaged ? "true" : "false");
	}
	fputs("],\n\"warnings\":[", fp);
	for (i = 0; i < run->nwarnings; i++) {
		a = run->warnings[i].item;
		fprintf(fp, "%s\n{\"id\":", i != 0 ? "," : "");
		json_id(fp, a->id);
		fputs(",\"folder\":", fp);
		json_string(fp, a->folder);
		fputs(",\"subject\":", fp);
		json_string(fp, a->subject);
		fputs(",\"message\":", fp);
		json_string(fp, run->warnings[i].msg);
		fprintf(fp, ",\"degraded\":%s}", run->warnings[i].degraded ?
		    "true" : "false");
	}
	fputs("]}\n", fp);
	return ferror(fp) ? -1 : 0;
}

/* RFC 4180: quoted when it holds a comma, quote or line break. */
static void
csv_field(FILE *fp, const char *s)
{
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void
csv_row(FILE *fp, const struct report_run *run, const char *status,
    const struct dedup_group *g, size_t group, size_t idx)
{
	const struct appt	*a, *orig;
	char			 buf[32];

	if ((a = report_item(run, idx)) == NULL)
		return;
	fprintf(fp, "%s,%s,%zu,0x%" PRIx64 ",", status,
	    dedup_kind_name(g->kind), group, a->id);
	if (run->dr->dup_of[idx] != DEDUP_KEPT &&
	    (orig = report_item(run, run->dr->dup_of[idx])) != NULL)
		fprintf(fp, "0x%" PRIx64, orig->id);
	fputc(',', fp);
	csv_field(fp, a->subject);
	report_iso(buf, sizeof buf, a->start);
	fprintf(fp, ",%s,", buf);
	report_iso(buf, sizeof buf, a->end);
	fprintf(fp, "%s,", buf);
	csv_field(fp, a->folder);
	fputc(',', fp);
	csv_field(fp, a->creator);
	fputc(',', fp);
	csv_field(fp, a->modifier);
	report_iso(buf, sizeof buf, a->created);
	fprintf(fp, ",%s,", buf);
	csv_field(fp, g->key);
	fprintf(fp, ",%s,%s,", dedup_rule_name(g->rule),
	    g->review ? "yes" : "no");
	csv_field(fp, g->why);
	fputc(',', fp);
	csv_field(fp, a->uid);
	fputs("\r\n", fp);
}

static int
csv_write(FILE *fp, const struct report_run *run)
{
	const struct dedup_group	*g;
	const struct reader_skip	*s;
	const struct appt		*a;
	size_t				 i, j, m;

	fputs("status,kind,group,id,duplicate_of,subject,start,end,folder,"
	    "creator,modifier,created,reason,rule,review,why,new_uid\r\n",
	    fp);
	for (i = 0; run->dr != NULL && i < run->dr->ngroups; i++) {
		g = &run->dr->groups[i];
		for (j = 0; j < g->n; j++) {
			m = g->members[j];
			if (m >= run->dr->nitems)
				continue;
			csv_row(fp, run, report_status(run, g, j), g, i + 1,
			    m);
		}
	}
	for (i = 0; i < run->rr->nskips; i++) {
		s = &run->rr->skips[i];
		fprintf(fp, "skipped,%s,,0x%" PRIx64 ",,", s->damaged ?
		    "damaged" : "policy", s->id);
		csv_field(fp, s->subject);
		fputs(",,,", fp);
		csv_field(fp, s->folder);
		fputs(",,,,", fp);
		csv_field(fp, s->reason);
		fputs(",,,,\r\n", fp);
	}
	for (i = 0; i < run->nwarnings; i++) {
		a = run->warnings[i].item;
		fprintf(fp, "%s,,,0x%" PRIx64 ",,", run->warnings[i].degraded ?
		    "degraded" : "warning", a->id);
		csv_field(fp, a->subject);
		fputs(",,,", fp);
		csv_field(fp, a->folder);
		fputs(",,,,", fp);
		csv_field(fp, run->warnings[i].msg);
		fputs(",,,,\r\n", fp);
	}
	return ferror(fp) ? -1 : 0;
}
