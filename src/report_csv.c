/* report_csv.c: the CSV report, one row per copy, skipped item and
 * warning (report.h; report_int.h). */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "report_int.h"

static void	 csv_field(FILE *, const char *);
static void	 csv_row(FILE *, const struct report_run *, const char *,
		    const struct dedup_group *, size_t, size_t);

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

	if ((a = report_run_item(run, idx)) == NULL)
		return;
	fprintf(fp, "%s,%s,%zu,0x%" PRIx64 ",", status,
	    dedup_kind_name(g->kind), group, a->id);
	if (run->dr->dup_of[idx] != DEDUP_KEPT &&
	    (orig = report_run_item(run, run->dr->dup_of[idx])) != NULL)
		fprintf(fp, "0x%" PRIx64, orig->id);
	fputc(',', fp);
	csv_field(fp, a->subject);
	rp_iso(buf, sizeof buf, a->start);
	fprintf(fp, ",%s,", buf);
	rp_iso(buf, sizeof buf, a->end);
	fprintf(fp, "%s,", buf);
	csv_field(fp, a->folder);
	fputc(',', fp);
	csv_field(fp, a->creator);
	fputc(',', fp);
	csv_field(fp, a->modifier);
	rp_iso(buf, sizeof buf, a->created);
	fprintf(fp, ",%s,", buf);
	csv_field(fp, g->key);
	fprintf(fp, ",%s,%s,", dedup_rule_name(g->rule),
	    g->review ? "yes" : "no");
	csv_field(fp, g->why);
	fputc(',', fp);
	csv_field(fp, a->uid);
	fputs("\r\n", fp);
}

int
rp_csv_write(FILE *fp, const struct report_run *run)
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
			csv_row(fp, run, rp_status(run, g, j), g, i + 1,
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
