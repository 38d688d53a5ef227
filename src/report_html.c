/* report_html.c: the review report as one self-contained HTML page:
 * one input's section, and the page of a run in memory. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "combined.h"
#include "dedup.h"
#include "model.h"
#include "reader.h"
#include "report.h"
#include "report_html.h"
#include "report_html_int.h"
#include "writer.h"
#include "xmalloc.h"

static const char *h_rule_words(enum dedup_rule);
static void	 h_header(FILE *, const struct hinput *);
static void	 h_folders(FILE *, const struct hinput *);
static size_t	*h_group_order(const struct hgroup *, size_t);
static void	 h_index(FILE *, const struct hgroup *, size_t, size_t,
		    const size_t *);
static void	 h_group(FILE *, const struct hgroup *, size_t);
static void	 h_rows(FILE *, const struct hrow *, size_t, int);
static void	 h_run_group(const void *, size_t, struct hgroup *);

static const char *
h_rule_words(enum dedup_rule rule)
{
	switch (rule) {
	case DEDUP_RULE_REVISION:
		return "the newer revision of the meeting";
	case DEDUP_RULE_CHANGES:
		return "it holds all of the user's changes to the series";
	case DEDUP_RULE_AVOID:
		return "the other copies matched --avoid";
	case DEDUP_RULE_PREFER:
		return "it matched --prefer";
	case DEDUP_RULE_FOLDER:
		return "it is in a calendar folder";
	case DEDUP_RULE_POLICY:
		return "the -k policy";
	case DEDUP_RULE_ORDER:
		return "it comes first in the file";
	case DEDUP_RULE_UNDECIDED:
		return "undecided: the copies are kept, review by hand";
	}
	return "unknown";
}

/* One input's section. */
void
rh_input(FILE *fp, const struct hinput *hi, size_t in)
{
	struct hgroup	 g;
	char		 id[32];
	size_t		*order, i;

	fprintf(fp, "<section class=\"input\" id=\"input-%zu\">\n<h2>", in);
	rh_esc(fp, hi->file);
	fputs("</h2>\n<div class=\"top\">\n", fp);
	h_header(fp, hi);
	fputs("<div class=\"sums\">\n", fp);
	snprintf(id, sizeof id, "totals-%zu", in);
	rh_totals(fp, &hi->totals, id);
	h_folders(fp, hi);
	if (hi->totals.removed != 0)
		rh_charts(fp, hi->starts, hi->creators, hi->nremoved);
	fputs("</div>\n</div>\n", fp);

	fprintf(fp, "<h3 id=\"groups-%zu\" class=\"groups\">Duplicate groups "
	    "(%zu)</h3>\n", in, hi->ngroups);
	if (hi->ngroups == 0)
		fputs("<p>No duplicates found: nothing was removed.</p>\n", fp);
	else {
		fputs("<p class=\"legend\">Each group: the copy that stays and "
		    "the copies removed side by side; cells marked \u2260 "
		    "differ from the kept copy. Groups to review by hand and "
		    "conflicts come first.</p>\n", fp);
		order = h_group_order(hi->groups, hi->ngroups);
		h_index(fp, hi->groups, hi->ngroups, in, order);
		for (i = 0; i < hi->ngroups; i++) {
			memset(&g, 0, sizeof g);
			hi->group(hi->ctx, order[i], &g);
			h_group(fp, &g, in);
			rh_group_free(&g);
		}
		free(order);
	}
	h_rows(fp, hi->skips, hi->nskips, 0);
	h_rows(fp, hi->warns, hi->nwarns, 1);
	fputs("</section>\n", fp);
}

static void
h_header(FILE *fp, const struct hinput *hi)
{
	char		 date[64];
	struct tm	 tm;
	time_t		 now = time(NULL);

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		date[0] = '\0';
	fputs("<dl class=\"run\">\n<dt>Input</dt><dd>", fp);
	rh_esc(fp, hi->file);
	fputs("</dd>\n", fp);
	if (hi->status >= 0)
		fprintf(fp, "<dt>Status</dt><dd class=\"status\" "
		    "data-status=\"%d\">%s (%d)</dd>\n", hi->status,
		    combined_status_name(hi->status), hi->status);
	fputs("<dt>Store</dt><dd>", fp);
	if (hi->store != NULL)
		rh_esc(fp, hi->store);
	else
		fputs("<span class=\"none\">no name</span>", fp);
	fputs("</dd>\n", fp);
	if (hi->file_type != 0)
		fprintf(fp, "<dt>File type</dt><dd>%s</dd>\n",
		    hi->file_type == 32 ? "ANSI PST (32-bit)" :
		    hi->file_type == 65 ? "Unicode PST, 4k pages" :
		    "Unicode PST");
	fprintf(fp, "<dt>Report made</dt><dd>%s</dd>\n", date);
	fputs("<dt>Versions</dt><dd>pstdedup " PACKAGE_VERSION ", libpff ",
	    fp);
	rh_esc(fp, reader_libpff_version());
	fputs(", libical ", fp);
	rh_esc(fp, writer_libical_version());
	fputs("</dd>\n<dt>Options</dt><dd>", fp);
	if (hi->options != NULL && *hi->options != '\0')
		rh_esc(fp, hi->options);
	else
		fputs("<span class=\"none\">defaults</span>", fp);
	fputs("</dd>\n</dl>\n", fp);
}

/* The text report's numbers in one strip, data-total as in JSON. */
void
rh_totals(FILE *fp, const struct report_totals *t, const char *id)
{
	const struct {
		const char	*key, *label;
		size_t		 n;
		int		 strong;
	} cols[] = {
		{ "folders", "calendar folders", t->folders, 0 },
		{ "read", "items read", t->read, 0 },
		{ "kept", "kept", t->kept, 1 },
		{ "removed", "removed", t->removed, 1 },
		{ "groups", "groups", t->groups, 0 },
		{ "conflicts", "conflicts", t->conflicts, 0 },
		{ "review", "to review", t->review, 1 },
		{ "skipped", "skipped", t->skipped, 0 },
		{ "damaged", "damaged", t->damaged, 0 },
		{ "left_out", "left out", t->left_out, 0 },
		{ "degraded", "degraded", t->degraded, 0 }
	};
	size_t	i;

	fprintf(fp, "<table class=\"totals\" id=\"%s\">\n<thead><tr>", id);
	for (i = 0; i < sizeof cols / sizeof cols[0]; i++)
		fprintf(fp, "<th>%s</th>", cols[i].label);
	fputs("</tr></thead>\n<tbody><tr>", fp);
	for (i = 0; i < sizeof cols / sizeof cols[0]; i++)
		fprintf(fp, "<td data-total=\"%s\"%s>%zu</td>", cols[i].key,
		    cols[i].strong ? " class=\"key\"" : "", cols[i].n);
	fputs("</tr></tbody>\n</table>\n<p class=\"legend\">Removed: "
	    "duplicates and older revisions, in groups. Conflicts: one "
	    "meeting id with another time or subject. To review: groups "
	    "left undecided, all their copies kept. Damaged: of the skipped. "
	    "Left out: outside the calendar folders read. Degraded: kept, "
	    "but written with less than they had.</p>\n", fp);
}

/* One row per folder that had items: what it held and what happens;
 * from a run of many, the files written too. */
static void
h_folders(FILE *fp, const struct hinput *hi)
{
	const struct hfolder	*f;
	size_t			 i;

	if (hi->nfolders == 0 && hi->files)
		return;
	fputs("<table class=\"folders\">\n<thead><tr>"
	    "<th>folder</th><th class=\"n\">read</th><th class=\"n\">kept"
	    "</th><th class=\"n\">removed</th><th class=\"n\">skipped</th>"
	    "<th class=\"n\">groups</th><th>re-import</th>", fp);
	if (hi->files)
		fputs("<th>files written</th>", fp);
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (i = 0; i < hi->nfolders; i++) {
		f = &hi->folders[i];
		fputs("<tr><td>", fp);
		rh_esc(fp, f->path);
		if (f->is_default)
			fputs(" <span class=\"none\">(default calendar)"
			    "</span>", fp);
		fputs("</td>", fp);
		rh_num(fp, f->read);
		rh_num(fp, f->kept);
		rh_num(fp, f->removed);
		rh_num(fp, f->skipped);
		rh_num(fp, f->groups);
		fprintf(fp, "<td>%s</td>", f->removed == 0 ?
		    "not needed" : f->kept == 0 ? "empty it only" :
		    "empty it, import its file");
		if (hi->files) {
			fputs("<td>", fp);
			rh_files(fp, f->calendar, f->removed_file);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
}

/* A folder's output files, one a line. */
void
rh_files(FILE *fp, const char *calendar, const char *removed)
{
	if (calendar == NULL && removed == NULL) {
		fputs("<span class=\"none\">none</span>", fp);
		return;
	}
	if (calendar != NULL)
		rh_esc(fp, calendar);
	if (removed != NULL) {
		if (calendar != NULL)
			fputs("<br>", fp);
		fputs("removed: ", fp);
		rh_esc(fp, removed);
	}
}

/* Display order: to review, then conflicts, then the rest; each part
 * in the report's order. */
static size_t *
h_group_order(const struct hgroup *gs, size_t n)
{
	const struct hgroup	*g;
	size_t			*o, i, k = 0;
	int			 pass;

	o = xreallocarray(NULL, n + 1, sizeof *o);
	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < n; i++) {
			g = &gs[i];
			if ((pass == 0 && g->review) ||
			    (pass == 1 && !g->review &&
			    g->kind == DEDUP_CONFLICT) ||
			    (pass == 2 && !g->review &&
			    g->kind != DEDUP_CONFLICT))
				o[k++] = i;
		}
	}
	return o;
}

/* Links to the groups that need a person. */
static void
h_index(FILE *fp, const struct hgroup *gs, size_t ng, size_t in,
    const size_t *order)
{
	const struct hgroup	*g;
	size_t			 i, n = 0;

	for (i = 0; i < ng; i++) {
		g = &gs[order[i]];
		if (!g->review && g->kind != DEDUP_CONFLICT)
			break;
		if (n++ == 0)
			fputs("<p><strong>Look at these first:</strong></p>\n"
			    "<ul class=\"index\">\n", fp);
		fprintf(fp, "<li><a href=\"#g-%zu-%zu\">group %zu</a> (%s%s): ",
		    in, g->num, g->num, dedup_kind_words(g->kind),
		    g->review ? ", review by hand" : "");
		if (g->subject != NULL)
			rh_esc(fp, g->subject);
		fputs("</li>\n", fp);
	}
	if (n != 0)
		fputs("</ul>\n", fp);
}

static void
h_group(FILE *fp, const struct hgroup *g, size_t in)
{
	const struct hcopy	*c;
	size_t			 j, f;
	int			 differs;

	fprintf(fp, "<section class=\"group %s%s\" id=\"g-%zu-%zu\" "
	    "data-group=\"%zu\" data-kind=\"%s\" data-review=\"%s\">\n",
	    dedup_kind_name(g->kind), g->review ? " review" : "", in, g->num,
	    g->num, dedup_kind_name(g->kind), g->review ? "yes" : "no");
	fprintf(fp, "<h3>Group %zu: %s", g->num, dedup_kind_words(g->kind));
	if (g->review)
		fputs("<span class=\"badge review\">review by hand: copies "
		    "kept</span>", fp);
	else if (g->kind == DEDUP_CONFLICT)
		fputs("<span class=\"badge conflict\">conflict</span>", fp);
	fputs("</h3>\n<p class=\"rule\"><strong>", fp);
	fputs(g->review ? "Why the copies are kept" : "Why this copy is kept",
	    fp);
	fprintf(fp, ":</strong> %s (rule <code>%s</code>)",
	    h_rule_words(g->rule), dedup_rule_name(g->rule));
	if (g->why != NULL) {
		fputs(": ", fp);
		rh_esc(fp, g->why);
	}
	fputs("</p>\n<p class=\"key\"><strong>Matched by:</strong> <code>", fp);
	rh_esc(fp, g->key);
	/* Many copies: columns keep a readable width and the table
	 * scrolls sideways. */
	fprintf(fp, "</code></p>\n<div class=\"scroll\">\n<table class="
	    "\"copies%s\">\n<colgroup><col class=\"field\">", g->n > 6 ?
	    " wide" : "");
	for (j = 0; j < g->n; j++)
		fputs("<col>", fp);
	fputs("</colgroup>\n<thead><tr><th>field</th>", fp);
	for (j = 0; j < g->n; j++) {
		c = &g->c[j];
		fprintf(fp, "<th class=\"copy %s\" data-id=\"", c->kept ?
		    "kept" : "removed");
		rh_esc(fp, c->id);
		fputs("\">", fp);
		if (c->kept)
			fputs(j == 0 ? "Kept " : "Also kept (review) ", fp);
		else
			fputs("Removed ", fp);
		rh_esc(fp, c->id);
		if (!c->kept) {
			fprintf(fp, ": %s", c->older ? "older revision" :
			    "duplicate");
			if (*c->of != '\0') {
				fputs(" of ", fp);
				rh_esc(fp, c->of);
			}
		}
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n<tbody>\n", fp);
	for (f = 0; f < HF_COUNT; f++) {
		differs = 0;
		for (j = 1; j < g->n && rh_fieldinfo[f].compare; j++)
			if (!rh_same(g->c[0].v[f], g->c[j].v[f]))
				differs = 1;
		fprintf(fp, "<tr data-field=\"%s\"%s><th>%s</th>",
		    rh_fieldinfo[f].key, differs ? " class=\"differs\"" : "",
		    rh_fieldinfo[f].label);
		for (j = 0; j < g->n; j++) {
			fprintf(fp, "<td%s>", j > 0 && differs &&
			    !rh_same(g->c[0].v[f], g->c[j].v[f]) ?
			    " class=\"diff\"" : "");
			if (g->c[j].v[f] == NULL)
				fputs("<span class=\"none\">\u2014</span>", fp);
			else
				rh_esc_lines(fp, g->c[j].v[f]);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n</div>\n</section>\n", fp);
}

void
rh_group_free(struct hgroup *g)
{
	size_t	j;

	for (j = 0; j < g->n; j++)
		rh_fields_free(g->c[j].v);
	free(g->c);
	memset(g, 0, sizeof *g);
}

/* The skipped items (warns 0) or the degraded ones and warnings. */
static void
h_rows(FILE *fp, const struct hrow *v, size_t n, int warns)
{
	size_t	i;

	fprintf(fp, "<h3>%s (%zu)</h3>\n", warns ? "Degraded items and "
	    "warnings" : "Skipped items", n);
	if (n == 0) {
		fputs(warns ? "<p>None: every item was written with all it "
		    "had.</p>\n" : "<p>None: every item was read.</p>\n", fp);
		return;
	}
	if (warns)
		fputs("<p>Degraded: kept, but written with less than it had. "
		    "Warning: a removed copy written with less.</p>\n<table "
		    "class=\"list warnings\">\n<thead><tr><th>item</th>"
		    "<th>kind</th><th>folder</th><th>subject</th><th>what</th>"
		    "</tr></thead>\n<tbody>\n", fp);
	else
		fputs("<p>Read but not taken into the clean calendar: they "
		    "stay in the PST only.</p>\n<table class=\"list skipped\">"
		    "\n<thead><tr><th>item</th><th>kind</th><th>folder</th>"
		    "<th>subject</th><th>reason</th></tr></thead>\n<tbody>\n",
		    fp);
	for (i = 0; i < n; i++) {
		fputs("<tr><td>", fp);
		rh_esc(fp, v[i].id);
		fprintf(fp, "</td><td>%s</td><td>", warns ? (v[i].flag ?
		    "degraded" : "warning") : v[i].flag ? "damaged" :
		    "skipped");
		rh_esc(fp, v[i].folder);
		fputs("</td><td>", fp);
		rh_esc(fp, v[i].subject);
		fputs("</td><td class=\"reason\">", fp);
		rh_esc(fp, v[i].why != NULL ? v[i].why : warns ? NULL :
		    "unknown reason");
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody>\n</table>\n", fp);
}

static void
h_run_group(const void *ctx, size_t gi, struct hgroup *out)
{
	const struct report_run		*run = ctx;
	const struct dedup_group	*g = &run->dr->groups[gi];
	const struct appt		*a, *orig;
	struct hcopy			*c;
	size_t				 j, idx;

	out->num = gi + 1;
	out->kind = g->kind;
	out->rule = g->rule;
	out->review = g->review;
	out->why = g->why;
	out->key = g->key;
	out->n = g->n;
	out->c = xcalloc(g->n + 1, sizeof *out->c);
	for (j = 0; j < g->n; j++) {
		c = &out->c[j];
		idx = g->members[j];
		a = report_run_item(run, idx);
		if (a != NULL)
			rh_fields(a, c->v);
		c->kept = idx < run->dr->nitems &&
		    run->dr->dup_of[idx] == DEDUP_KEPT;
		c->older = g->older != NULL && g->older[j];
		snprintf(c->id, sizeof c->id, "0x%" PRIx64, a != NULL ?
		    a->id : 0);
		if (!c->kept && idx < run->dr->nitems &&
		    (orig = report_run_item(run, run->dr->dup_of[idx])) != NULL)
			snprintf(c->of, sizeof c->of, "0x%" PRIx64, orig->id);
	}
}

int
report_html_write(FILE *fp, const struct report_run *run)
{
	const struct reader_result	*rr = run->rr;
	const struct reader_folder	*f;
	const struct dedup_group	*g;
	const struct appt		*a;
	struct hinput			 hi;
	struct hfolder			*hf;
	size_t				 i, j, ng;
	int				 rv;

	memset(&hi, 0, sizeof hi);
	hi.file = run->file;
	hi.status = -1;
	hi.store = rr->store_name;
	hi.file_type = rr->file_type;
	hi.options = run->options;
	hi.totals = run->totals;

	hi.folders = xcalloc(rr->nfolders + 1, sizeof *hi.folders);
	for (i = 0; i < rr->nfolders; i++) {
		f = &rr->folders[i];
		hf = &hi.folders[hi.nfolders];
		for (j = 0; j < rr->nskips; j++) {
			if (rr->skips[j].folder != NULL && f->path != NULL &&
			    strcmp(rr->skips[j].folder, f->path) == 0)
				hf->skipped++;
		}
		if (f->count == 0 && hf->skipped == 0)
			continue;
		hf->path = f->path;
		hf->is_default = f->is_default;
		for (j = f->first; j < f->first + f->count &&
		    j < rr->appts.n; j++) {
			if (run->dr == NULL ||
			    run->dr->dup_of[j] == DEDUP_KEPT)
				hf->kept++;
			else
				hf->removed++;
		}
		for (j = 0; run->dr != NULL && j < run->dr->ngroups; j++) {
			g = &run->dr->groups[j];
			if (g->n > 0 && g->members[0] >= f->first &&
			    g->members[0] < f->first + f->count)
				hf->groups++;
		}
		hf->read = hf->kept + hf->removed + hf->skipped;
		hi.nfolders++;
	}

	ng = run->dr != NULL ? run->dr->ngroups : 0;
	hi.starts = xreallocarray(NULL, rr->appts.n + 1, sizeof *hi.starts);
	hi.creators = xreallocarray(NULL, rr->appts.n + 1,
	    sizeof *hi.creators);
	for (i = 0; run->dr != NULL && i < rr->appts.n; i++) {
		if (run->dr->dup_of[i] == DEDUP_KEPT)
			continue;
		a = rr->appts.v[i];
		hi.starts[hi.nremoved] = a->start;
		hi.creators[hi.nremoved++] = a->creator;
	}
	hi.groups = xcalloc(ng + 1, sizeof *hi.groups);
	hi.ngroups = ng;
	for (i = 0; i < ng; i++) {
		g = &run->dr->groups[i];
		hi.groups[i].num = i + 1;
		hi.groups[i].kind = g->kind;
		hi.groups[i].review = g->review;
		a = g->n > 0 ? report_run_item(run, g->members[0]) : NULL;
		hi.groups[i].subject = a != NULL ? a->subject : NULL;
	}
	hi.group = h_run_group;
	hi.ctx = run;

	hi.skips = xcalloc(rr->nskips + 1, sizeof *hi.skips);
	for (i = 0; i < rr->nskips; i++) {
		snprintf(hi.skips[i].id, sizeof hi.skips[i].id,
		    "0x%" PRIx64, rr->skips[i].id);
		hi.skips[i].flag = rr->skips[i].damaged;
		hi.skips[i].folder = rr->skips[i].folder;
		hi.skips[i].subject = rr->skips[i].subject;
		hi.skips[i].why = rr->skips[i].reason;
	}
	hi.nskips = rr->nskips;
	hi.warns = xcalloc(run->nwarnings + 1, sizeof *hi.warns);
	for (i = 0; i < run->nwarnings; i++) {
		a = run->warnings[i].item;
		snprintf(hi.warns[i].id, sizeof hi.warns[i].id,
		    "0x%" PRIx64, a->id);
		hi.warns[i].flag = run->warnings[i].degraded;
		hi.warns[i].folder = a->folder;
		hi.warns[i].subject = a->subject;
		hi.warns[i].why = run->warnings[i].msg;
	}
	hi.nwarns = run->nwarnings;

	rh_head(fp, run->file);
	rh_input(fp, &hi, 1);
	rv = rh_foot(fp);
	free(hi.folders);
	free(hi.starts);
	free(hi.creators);
	free(hi.groups);
	free(hi.skips);
	free(hi.warns);
	return rv;
}
