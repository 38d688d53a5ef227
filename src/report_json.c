/* report_json.c: the JSON report (report.h; report_int.h). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "report_html.h"
#include "report_int.h"
#include "text.h"
#include "xmalloc.h"

static void	 json_string(FILE *, const char *);
static void	 json_time(FILE *, int64_t);
static void	 json_id(FILE *, uint64_t);
static void	 json_shown(FILE *, const struct appt *);
static void	 json_item(FILE *, const struct report_run *, size_t, int,
		    int);
static void	 json_head(FILE *, const struct report_run *);
static void	 json_folders(FILE *, const struct report_run *);
static void	 json_group(FILE *, const struct report_run *, size_t);
static void	 json_tail(FILE *, const struct report_run *);

/* A JSON string: UTF-8 passes through, controls are escaped, invalid
 * bytes become U+FFFD so that the document stays valid. */
static void
json_string(FILE *fp, const char *s)
{
	const unsigned char	*p;
	uint32_t		 cp;
	size_t			 len;

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
		if ((len = text_utf8_decode(p, strnlen((const char *)p, 4),
		    &cp)) == 0) {
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

	rp_iso(buf, sizeof buf, ft);
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

	if ((a = report_run_item(run, idx)) == NULL) {
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
	    (orig = report_run_item(run, run->dr->dup_of[idx])) != NULL) {
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

/* The file, its totals (with the skips by reason), the reader and, in a
 * batch worker's report, the folders: everything before the groups. */
static void
json_head(FILE *fp, const struct report_run *run)
{
	const struct report_totals	*t = &run->totals;
	struct report_reason		*reasons;
	size_t				 i, nreasons;

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
	reasons = rp_reasons(run->rr, &nreasons);
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
	if (run->folders != NULL)
		json_folders(fp, run);
}

/* A batch worker's per-folder counts and output files. */
static void
json_folders(FILE *fp, const struct report_run *run)
{
	const struct report_folder	*f;
	size_t				 i;

	fputs("\"folders\":[", fp);
	for (i = 0; i < run->nfolders; i++) {
		f = &run->folders[i];
		fputs(i != 0 ? ",\n{\"folder\":" : "\n{\"folder\":", fp);
		json_string(fp, f->folder);
		fprintf(fp, ",\"read\":%zu,\"kept\":%zu,\"removed\":%zu,"
		    "\"skipped\":%zu,\"calendar\":", f->read, f->kept,
		    f->removed, f->skipped);
		json_string(fp, f->calendar);
		fputs(",\"removed_file\":", fp);
		json_string(fp, f->removed_file);
		fputc('}', fp);
	}
	fputs("],\n", fp);
}

/* Group gi: its kind, key, rule and why, the copy kept, the other
 * copies kept (conflicts, undecided groups) and the removed ones. */
static void
json_group(FILE *fp, const struct report_run *run, size_t gi)
{
	const struct dedup_group	*g = &run->dr->groups[gi];
	const char			*sep;
	size_t				 j, m;

	fprintf(fp, "%s\n{\"group\":%zu,\"kind\":\"%s\",\"key\":",
	    gi != 0 ? "," : "", gi + 1, dedup_kind_name(g->kind));
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
		if (m < run->dr->nitems && run->dr->dup_of[m] == DEDUP_KEPT) {
			fputs(sep, fp);
			json_item(fp, run, m, 0, 0);
			sep = ",";
		}
	}
	fputs("],\"removed\":[", fp);
	sep = "";
	for (j = 1; j < g->n; j++) {
		m = g->members[j];
		if (m < run->dr->nitems && run->dr->dup_of[m] != DEDUP_KEPT) {
			fputs(sep, fp);
			json_item(fp, run, m, 1, g->older != NULL &&
			    g->older[j]);
			sep = ",";
		}
	}
	fputs("]}", fp);
}

/* The skipped items and the warnings, and the end of the document. */
static void
json_tail(FILE *fp, const struct report_run *run)
{
	const struct reader_skip	*s;
	const struct appt		*a;
	size_t				 i;

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
}

int
rp_json_write(FILE *fp, const struct report_run *run)
{
	size_t	i;

	json_head(fp, run);
	fputs("\"groups\":[", fp);
	for (i = 0; run->dr != NULL && i < run->dr->ngroups; i++)
		json_group(fp, run, i);
	json_tail(fp, run);
	return ferror(fp) ? -1 : 0;
}
