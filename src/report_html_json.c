/*
 * report_html_json.c: the page of a run of many inputs. The combined
 * JSON report (combined.h) gives the rows; each item's "shown" holds
 * what rh_fields() made of it in the process that read it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "combined.h"
#include "ft.h"
#include "model.h"
#include "report_html.h"
#include "report_html_int.h"
#include "tz.h"
#include "xmalloc.h"

static int64_t	 h_iso_ft(const char *);
static const char *h_jstr(json_t *, const char *);
static size_t	 h_jnum(json_t *, const char *);
static void	 h_jtotals(json_t *, struct report_totals *);
static void	 h_jcopy(json_t *, int, struct hcopy *);
static void	 h_json_group(const void *, size_t, struct hgroup *);
static json_t	*h_jpick(json_t *, const char *, const char *);
static void	 h_jremoved(json_t *, int64_t **, const char ***, size_t *);
static void	 h_jrows(json_t *, int, struct hrow **, size_t *);
static void	 h_json_input(FILE *, json_t *, json_t *, size_t);
static void	 h_counts(FILE *, const struct report_totals *);
static void	 h_json_overview(FILE *, json_t *);

/* The JSON report's "2024-03-05T10:00:00Z" as a FILETIME. */
static int64_t
h_iso_ft(const char *s)
{
	int	y, mo, d, h, mi, sec, n = 0;

	if (s == NULL || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d,
	    &h, &mi, &sec, &n) != 6 || n == 0 || s[n] != '\0')
		return APPT_NOTIME;
	return ft_from_civil(y, mo, d, h, mi, sec);
}

static const char *
h_jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static size_t
h_jnum(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	return json_is_integer(v) && json_integer_value(v) > 0 ?
	    (size_t)json_integer_value(v) : 0;
}

static void
h_jtotals(json_t *t, struct report_totals *out)
{
	memset(out, 0, sizeof *out);
	out->folders = h_jnum(t, "folders");
	out->read = h_jnum(t, "read");
	out->kept = h_jnum(t, "kept");
	out->removed = h_jnum(t, "removed");
	out->groups = h_jnum(t, "groups");
	out->conflicts = h_jnum(t, "conflicts");
	out->review = h_jnum(t, "review");
	out->skipped = h_jnum(t, "skipped");
	out->damaged = h_jnum(t, "damaged");
	out->left_out = h_jnum(t, "left_out");
	out->degraded = h_jnum(t, "degraded");
}

/* One copy from a group's "kept", "also_kept" or "removed". */
static void
h_jcopy(json_t *it, int kept, struct hcopy *c)
{
	json_t		*shown = json_object_get(it, "shown");
	const char	*s;
	size_t		 f;

	c->kept = kept;
	c->older = json_is_true(json_object_get(it, "older_revision"));
	snprintf(c->id, sizeof c->id, "%s", h_jstr(it, "id") != NULL ?
	    h_jstr(it, "id") : "");
	if ((s = h_jstr(it, "duplicate_of")) != NULL)
		snprintf(c->of, sizeof c->of, "%s", s);
	if (json_is_object(shown)) {
		for (f = 0; f < HF_COUNT; f++)
			if ((s = h_jstr(shown, rh_fieldinfo[f].key)) != NULL)
				c->v[f] = xstrdup(s);
		return;
	}
	/* A report from before "shown": what it has. */
	if ((s = h_jstr(it, "subject")) != NULL)
		c->v[HF_SUBJECT] = xstrdup(s);
	if ((s = h_jstr(it, "start")) != NULL)
		c->v[HF_START] = xstrdup(s);
	if ((s = h_jstr(it, "end")) != NULL)
		c->v[HF_END] = xstrdup(s);
	if ((s = h_jstr(it, "creator")) != NULL)
		c->v[HF_CREATOR] = xstrdup(s);
	if ((s = h_jstr(it, "modifier")) != NULL)
		c->v[HF_MODIFIER] = xstrdup(s);
	if ((s = h_jstr(it, "folder")) != NULL)
		c->v[HF_FOLDER] = xstrdup(s);
	c->v[HF_ID] = xstrdup(c->id);
}

/* ctx: the json_t *array of this input's groups. */
static void
h_json_group(const void *ctx, size_t gi, struct hgroup *out)
{
	json_t		*g = json_array_get((json_t *)ctx, gi), *it;
	json_t		*also = json_object_get(g, "also_kept");
	json_t		*rm = json_object_get(g, "removed");
	const char	*s;
	size_t		 i, n = 0;
	int		 r;

	out->num = h_jnum(g, "group");
	if ((s = h_jstr(g, "kind")) != NULL) {
		for (r = DEDUP_SAME_MEETING; r <= DEDUP_CONFLICT; r++)
			if (strcmp(s, dedup_kind_name(r)) == 0)
				out->kind = r;
	}
	if ((s = h_jstr(g, "rule")) != NULL) {
		for (r = DEDUP_RULE_REVISION; r <= DEDUP_RULE_UNDECIDED; r++)
			if (strcmp(s, dedup_rule_name(r)) == 0)
				out->rule = r;
	}
	out->review = json_is_true(json_object_get(g, "review"));
	out->why = h_jstr(g, "why");
	out->key = h_jstr(g, "key");
	out->c = xcalloc(json_array_size(also) + json_array_size(rm) + 2,
	    sizeof *out->c);
	if (json_is_object(it = json_object_get(g, "kept")))
		h_jcopy(it, 1, &out->c[n++]);
	json_array_foreach(also, i, it)
		if (json_is_object(it))
			h_jcopy(it, 1, &out->c[n++]);
	json_array_foreach(rm, i, it)
		if (json_is_object(it))
			h_jcopy(it, 0, &out->c[n++]);
	out->n = n;
}

/* The rows of arr (groups, skipped or warnings) that belong to input. */
static json_t *
h_jpick(json_t *doc, const char *key, const char *input)
{
	json_t		*out = json_array(), *o;
	const char	*s;
	size_t		 i;

	json_array_foreach(json_object_get(doc, key), i, o) {
		if ((s = h_jstr(o, "input")) != NULL && input != NULL &&
		    strcmp(s, input) == 0)
			json_array_append(out, o);
	}
	return out;
}

/* Add the removed copies of the groups to the chart data. */
static void
h_jremoved(json_t *groups, int64_t **starts, const char ***creators,
    size_t *n)
{
	json_t	*g, *it;
	size_t	 i, j;

	json_array_foreach(groups, i, g) {
		json_array_foreach(json_object_get(g, "removed"), j, it) {
			*starts = xreallocarray(*starts, *n + 1,
			    sizeof **starts);
			*creators = xreallocarray(*creators, *n + 1,
			    sizeof **creators);
			(*starts)[*n] = h_iso_ft(h_jstr(it, "start"));
			(*creators)[(*n)++] = h_jstr(it, "creator");
		}
	}
}

static void
h_jrows(json_t *arr, int warns, struct hrow **v, size_t *n)
{
	json_t	*o;
	size_t	 i;

	*v = xcalloc(json_array_size(arr) + 1, sizeof **v);
	*n = 0;
	json_array_foreach(arr, i, o) {
		snprintf((*v)[*n].id, sizeof (*v)[*n].id, "%s",
		    h_jstr(o, "id") != NULL ? h_jstr(o, "id") : "");
		(*v)[*n].flag = json_is_true(json_object_get(o, warns ?
		    "degraded" : "damaged"));
		(*v)[*n].folder = h_jstr(o, "folder");
		(*v)[*n].subject = h_jstr(o, "subject");
		(*v)[*n].why = h_jstr(o, warns ? "message" : "reason");
		(*n)++;
	}
}

/* One input's section from its row and its groups, skips, warnings. */
static void
h_json_input(FILE *fp, json_t *doc, json_t *row, size_t in)
{
	struct hinput	 hi;
	struct hfolder	*hf, *best;
	json_t		*groups, *skips, *warns, *f, *g, *kept;
	const char	*path, *s;
	size_t		 i, j, len;

	memset(&hi, 0, sizeof hi);
	hi.file = h_jstr(row, "input");
	hi.status = (int)h_jnum(row, "status");
	hi.store = h_jstr(row, "store");
	hi.file_type = (int)h_jnum(row, "file_type");
	hi.options = h_jstr(row, "options");
	h_jtotals(json_object_get(row, "totals"), &hi.totals);
	groups = h_jpick(doc, "groups", hi.file);
	skips = h_jpick(doc, "skipped", hi.file);
	warns = h_jpick(doc, "warnings", hi.file);

	hi.files = 1;
	hi.folders = xcalloc(json_array_size(json_object_get(row,
	    "folders")) + 1, sizeof *hi.folders);
	json_array_foreach(json_object_get(row, "folders"), i, f) {
		hf = &hi.folders[hi.nfolders++];
		hf->path = h_jstr(f, "folder");
		hf->read = h_jnum(f, "read");
		hf->kept = h_jnum(f, "kept");
		hf->removed = h_jnum(f, "removed");
		hf->skipped = h_jnum(f, "skipped");
		hf->calendar = h_jstr(f, "calendar");
		hf->removed_file = h_jstr(f, "removed_file");
	}
	/* A group is in its kept copy's folder: the rows name folders
	 * below the top of the store, the items from the root; the
	 * longest row that ends the item's path. */
	json_array_foreach(groups, j, g) {
		kept = json_object_get(g, "kept");
		if ((s = h_jstr(kept, "folder")) == NULL)
			continue;
		best = NULL;
		for (i = 0; i < hi.nfolders; i++) {
			if ((path = hi.folders[i].path) == NULL ||
			    (len = strlen(path)) > strlen(s) ||
			    strcmp(s + strlen(s) - len, path) != 0 ||
			    (len < strlen(s) && s[strlen(s) - len - 1] != '/'))
				continue;
			if (best == NULL || len > strlen(best->path))
				best = &hi.folders[i];
		}
		if (best != NULL)
			best->groups++;
	}

	h_jremoved(groups, &hi.starts, &hi.creators, &hi.nremoved);
	hi.ngroups = json_array_size(groups);
	hi.groups = xcalloc(hi.ngroups + 1, sizeof *hi.groups);
	for (i = 0; i < hi.ngroups; i++) {
		/* The summary needs only these. */
		h_json_group(groups, i, &hi.groups[i]);
		hi.groups[i].subject = hi.groups[i].n > 0 ?
		    hi.groups[i].c[0].v[HF_SUBJECT] : NULL;
	}
	hi.group = h_json_group;
	hi.ctx = groups;
	h_jrows(skips, 0, &hi.skips, &hi.nskips);
	h_jrows(warns, 1, &hi.warns, &hi.nwarns);

	rh_input(fp, &hi, in);

	for (i = 0; i < hi.ngroups; i++)
		rh_group_free(&hi.groups[i]);
	free(hi.groups);
	free(hi.folders);
	free(hi.starts);
	free(hi.creators);
	free(hi.skips);
	free(hi.warns);
	json_decref(groups);
	json_decref(skips);
	json_decref(warns);
}

/* The counts of a row of the table of inputs (an input, or all). */
static void
h_counts(FILE *fp, const struct report_totals *t)
{
	rh_num(fp, t->read);
	rh_num(fp, t->kept);
	rh_num(fp, t->removed);
	rh_num(fp, t->groups);
	rh_num(fp, t->conflicts);
	rh_num(fp, t->review);
	rh_num(fp, t->skipped);
	rh_num(fp, t->degraded);
}

/* The whole run: its totals, the inputs by status, one row per input
 * and per folder, the charts over all inputs. */
static void
h_json_overview(FILE *fp, json_t *doc)
{
	struct report_totals	 sum, tt;
	json_t			*t = json_object_get(doc, "totals"), *row, *f;
	json_t			*by = json_object_get(t, "by_status");
	int64_t			*starts = NULL;
	const char		**creators = NULL;
	size_t			 i, j, n = 0;
	char			 key[16];
	int			 s;

	h_jtotals(t, &sum);
	fprintf(fp, "<section class=\"overview\" id=\"overview\">\n<h2>The "
	    "whole run: %zu %s</h2>\n<div class=\"top\">\n<div class=\"sums\">"
	    "\n", h_jnum(t, "inputs"), h_jnum(t, "inputs") == 1 ? "input" :
	    "inputs");
	rh_totals(fp, &sum, "totals-all");
	fputs("<p><strong>Inputs by status:</strong></p>\n<ul class=\"status\">"
	    "\n", fp);
	for (s = combined_next(-1); s != -1; s = combined_next(s)) {
		snprintf(key, sizeof key, "%d", s);
		if (h_jnum(by, key) != 0)
			fprintf(fp, "<li data-status=\"%d\">%zu %s (exit "
			    "status %d)</li>\n", s, h_jnum(by, key),
			    combined_status_name(s), s);
	}
	fputs("</ul>\n", fp);
	h_jremoved(json_object_get(doc, "groups"), &starts, &creators, &n);
	if (sum.removed != 0)
		rh_charts(fp, starts, creators, n);
	free(starts);
	free(creators);
	fputs("</div>\n</div>\n", fp);

	fputs("<table class=\"inputs\">\n<thead><tr><th>input / folder</th>"
	    "<th>status</th><th>store</th><th class=\"n\">read</th>"
	    "<th class=\"n\">kept</th><th class=\"n\">removed</th>"
	    "<th class=\"n\">groups</th><th class=\"n\">conflicts</th>"
	    "<th class=\"n\">to review</th><th class=\"n\">skipped</th>"
	    "<th class=\"n\">degraded</th><th>files written</th></tr></thead>"
	    "\n<tbody>\n", fp);
	json_array_foreach(json_object_get(doc, "inputs"), i, row) {
		t = json_object_get(row, "totals");
		s = (int)h_jnum(row, "status");
		fprintf(fp, "<tr class=\"input\" data-status=\"%d\"><td><a "
		    "href=\"#input-%zu\">", s, i + 1);
		rh_esc(fp, h_jstr(row, "input"));
		fprintf(fp, "</a></td><td>%s (%d)</td><td>",
		    combined_status_name(s), s);
		rh_esc(fp, h_jstr(row, "store"));
		fputs("</td>", fp);
		h_jtotals(t, &tt);
		h_counts(fp, &tt);
		fprintf(fp, "<td>%zu %s</td></tr>\n",
		    json_array_size(json_object_get(row, "folders")),
		    json_array_size(json_object_get(row, "folders")) == 1 ?
		    "folder" : "folders");
		json_array_foreach(json_object_get(row, "folders"), j, f) {
			fputs("<tr class=\"folder\"><td class=\"folder\">"
			    "<span class=\"none\">folder</span> ", fp);
			rh_esc(fp, h_jstr(f, "folder"));
			fputs("</td><td></td><td></td>", fp);
			rh_num(fp, h_jnum(f, "read"));
			rh_num(fp, h_jnum(f, "kept"));
			rh_num(fp, h_jnum(f, "removed"));
			fputs("<td></td><td></td><td></td>", fp);
			rh_num(fp, h_jnum(f, "skipped"));
			fputs("<td></td><td>", fp);
			rh_files(fp, h_jstr(f, "calendar"),
			    h_jstr(f, "removed_file"));
			fputs("</td></tr>\n", fp);
		}
	}
	fprintf(fp, "</tbody>\n<tfoot><tr><th colspan=\"3\">%zu %s</th>",
	    h_jnum(json_object_get(doc, "totals"), "inputs"),
	    h_jnum(json_object_get(doc, "totals"), "inputs") == 1 ? "input" :
	    "inputs");
	h_counts(fp, &sum);
	fputs("<td></td></tr></tfoot>\n</table>\n</section>\n", fp);
}

int
report_html_combined(FILE *fp, json_t *doc)
{
	json_t	*row;
	size_t	 i;
	char	 title[64];

	snprintf(title, sizeof title, "%zu inputs", json_array_size(
	    json_object_get(doc, "inputs")));
	rh_head(fp, title);
	h_json_overview(fp, doc);
	json_array_foreach(json_object_get(doc, "inputs"), i, row)
		h_json_input(fp, doc, row, i + 1);
	return rh_foot(fp);
}
