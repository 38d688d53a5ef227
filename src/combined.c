/* combined.c: the combined report of a run over many inputs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "compat.h"
#include "combined.h"
#include "report_html.h"
#include "run.h"
#include "xmalloc.h"

static const char *const combined_counts[] = {
	"folders", "read", "kept", "removed", "groups", "conflicts",
	"review", "skipped", "damaged", "left_out", "degraded", NULL
};

static int	 combined_rank(int);
static void	 combined_tag(json_t *, const char *, const char *);
static void	 combined_items(json_t *, const char *);
static json_int_t combined_int(json_t *, const char *);
static const char *combined_str(json_t *, const char *);
static int	 combined_text(FILE *, json_t *);
static void	 text_copy(FILE *, const char *, json_t *);
static void	 csv_cell(FILE *, const char *);
static void	 csv_date(FILE *, const char *);
static void	 csv_item(FILE *, const char *, const char *, json_t *,
		    json_t *);
static void	 csv_num(FILE *, json_t *, const char *);
static void	 csv_counts(FILE *, const char *, const char *, json_t *,
		    const char *, json_t *, const char *, const char *);
static int	 combined_csv(FILE *, json_t *);

int
combined_worse(int a, int b)
{
	return combined_rank(b) > combined_rank(a) ? b : a;
}

static const int combined_order[] = { 0, RUN_NOTHING, RUN_PARTIAL,
    EX_NOINPUT, EX_DATAERR, EX_IOERR, EX_CANTCREAT, EX_SOFTWARE };
#define COMBINED_NORDER	(sizeof combined_order / sizeof combined_order[0])

static int
combined_rank(int s)
{
	size_t	i;

	for (i = 0; i < COMBINED_NORDER; i++)
		if (combined_order[i] == s)
			return (int)i;
	return (int)COMBINED_NORDER;	/* unknown: worst */
}

int
combined_next(int s)
{
	int	r;

	if (s == -1)
		return combined_order[0];
	if ((r = combined_rank(s)) == (int)COMBINED_NORDER)
		return -2;
	return r + 1 < (int)COMBINED_NORDER ? combined_order[r + 1] : -1;
}

json_t *
combined_new(void)
{
	return json_pack("{s:s,s:i,s:{},s:[],s:[],s:[],s:[]}", "pstdedup",
	    PACKAGE_VERSION, "status", 0, "totals", "inputs", "groups",
	    "skipped", "warnings");
}

static json_int_t
combined_int(json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	return json_is_integer(v) ? json_integer_value(v) : 0;
}

static const char *
combined_str(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* "input" first: a new object with it, then the rest. */
static void
combined_tag(json_t *arr, const char *key, const char *input)
{
	json_t		*o, *n, *v;
	const char	*k;
	size_t		 i;

	json_array_foreach(arr, i, o) {
		if (!json_is_object(o) || json_object_get(o, "input") != NULL)
			continue;
		n = json_object();
		json_object_set_new(n, "input", json_string(input));
		json_object_foreach(o, k, v)
			json_object_set(n, k, v);
		if (key != NULL)
			combined_items(n, input);
		json_array_set_new(arr, i, n);
	}
}

/* A group's items. */
static void
combined_items(json_t *g, const char *input)
{
	json_t	*one, *wrap;

	if (json_is_object(one = json_object_get(g, "kept"))) {
		wrap = json_pack("[O]", one);
		combined_tag(wrap, NULL, input);
		json_object_set(g, "kept", json_array_get(wrap, 0));
		json_decref(wrap);
	}
	combined_tag(json_object_get(g, "also_kept"), NULL, input);
	combined_tag(json_object_get(g, "removed"), NULL, input);
}

int
combined_add(json_t *doc, const char *input, int status, json_t *rep,
    char **cause)
{
	json_t		*row, *t, *arr, *v;
	const char	*k;
	size_t		 i;

	row = json_pack("{s:s,s:i,s:{}}", "input", input, "status", status,
	    "totals");
	t = json_object_get(row, "totals");
	if (rep != NULL) {
		if (!json_is_object(rep) ||
		    !json_is_object(json_object_get(rep, "totals"))) {
			json_decref(row);
			xasprintf(cause, "not a pstdedup report");
			return -1;
		}
		json_object_foreach(json_object_get(rep, "totals"), k, v)
			json_object_set(t, k, v);
	} else {
		for (i = 0; combined_counts[i] != NULL; i++)
			json_object_set_new(t, combined_counts[i],
			    json_integer(0));
	}
	/* What the HTML page's section header shows. */
	for (i = 0; rep != NULL && i < 3; i++) {
		k = i == 0 ? "store" : i == 1 ? "file_type" : "options";
		if ((v = json_object_get(rep, k)) != NULL && !json_is_null(v))
			json_object_set(row, k, v);
	}
	json_object_set_new(row, "folders", rep != NULL &&
	    json_is_array(json_object_get(rep, "folders")) ?
	    json_copy(json_object_get(rep, "folders")) : json_array());
	json_array_append_new(json_object_get(doc, "inputs"), row);
	if (rep == NULL)
		return 0;
	for (i = 0; i < 3; i++) {
		k = i == 0 ? "groups" : i == 1 ? "skipped" : "warnings";
		if (!json_is_array(arr = json_object_get(rep, k)))
			continue;
		combined_tag(arr, i == 0 ? "group" : NULL, input);
		json_array_extend(json_object_get(doc, k), arr);
	}
	return 0;
}

int
combined_merge(json_t *doc, json_t *rep, char **cause)
{
	json_t		*in, *t;
	const char	*k, *file;
	size_t		 i, j;
	int		 status;

	if (!json_is_object(rep) || combined_str(rep, "pstdedup") == NULL) {
		xasprintf(cause, "not a pstdedup JSON report");
		return -1;
	}
	if (json_is_array(in = json_object_get(rep, "inputs"))) {
		json_array_foreach(in, i, t) {
			if (!json_is_object(t) ||
			    combined_str(t, "input") == NULL) {
				xasprintf(cause, "inputs[%zu]: no \"input\"",
				    i);
				return -1;
			}
		}
		json_array_extend(json_object_get(doc, "inputs"), in);
		for (j = 0; j < 3; j++) {
			k = j == 0 ? "groups" : j == 1 ? "skipped" :
			    "warnings";
			if (json_is_array(json_object_get(rep, k)))
				json_array_extend(json_object_get(doc, k),
				    json_object_get(rep, k));
		}
		return 0;
	}
	if ((file = combined_str(rep, "file")) == NULL) {
		xasprintf(cause, "not a pstdedup JSON report: no \"file\" "
		    "nor \"inputs\"");
		return -1;
	}
	t = json_object_get(rep, "totals");
	if (combined_int(t, "kept") == 0)
		status = RUN_NOTHING;
	else if (combined_int(t, "damaged") != 0 ||
	    combined_int(t, "degraded") != 0)
		status = RUN_PARTIAL;
	else
		status = 0;
	return combined_add(doc, file, status, rep, cause);
}

json_t *
combined_load(const char *path, char **cause)
{
	json_error_t	 err;
	json_t		*doc;
	FILE		*fp;

	/* Our fopen (compat.h: UTF-8 names on Windows), not jansson's. */
	if ((fp = fopen(path, "rb")) == NULL) {
		xasprintf(cause, "line -1: unable to open %s: %s", path,
		    strerror(errno));
		return NULL;
	}
	if ((doc = json_loadf(fp, 0, &err)) == NULL)
		xasprintf(cause, "line %d: %s", err.line, err.text);
	fclose(fp);
	return doc;
}

void
combined_finish(json_t *doc)
{
	json_t		*tot, *row, *t, *by, *v, *reasons;
	const char	*k;
	char		 key[16];
	size_t		 i, j;
	int		 worst = 0, s;

	tot = json_object();
	by = json_object();
	reasons = json_object();
	for (j = 0; combined_counts[j] != NULL; j++)
		json_object_set_new(tot, combined_counts[j], json_integer(0));
	json_array_foreach(json_object_get(doc, "inputs"), i, row) {
		t = json_object_get(row, "totals");
		for (j = 0; combined_counts[j] != NULL; j++)
			json_object_set_new(tot, combined_counts[j],
			    json_integer(combined_int(tot, combined_counts[j]) +
			    combined_int(t, combined_counts[j])));
		json_object_foreach(json_object_get(t, "skipped_by_reason"),
		    k, v)
			json_object_set_new(reasons, k, json_integer(
			    combined_int(reasons, k) +
			    (json_is_integer(v) ? json_integer_value(v) : 0)));
		s = (int)combined_int(row, "status");
		worst = combined_worse(worst, s);
		snprintf(key, sizeof key, "%d", s);
		json_object_set_new(by, key, json_integer(combined_int(by,
		    key) + 1));
	}
	json_object_set_new(tot, "skipped_by_reason", reasons);
	json_object_set_new(tot, "inputs", json_integer((json_int_t)
	    json_array_size(json_object_get(doc, "inputs"))));
	json_object_set_new(tot, "by_status", by);
	json_object_set_new(doc, "totals", tot);
	json_object_set_new(doc, "status", json_integer(worst));
}

int
combined_write(FILE *fp, json_t *doc, enum report_format fmt, int bom)
{
	switch (fmt) {
	case REPORT_JSON:
		if (json_dumpf(doc, fp, JSON_COMPACT) != 0)
			return -1;
		fputc('\n', fp);
		break;
	case REPORT_HTML:
		return report_html_combined(fp, doc);
	case REPORT_CSV:
		if (bom)
			fputs("\xEF\xBB\xBF", fp);
		return combined_csv(fp, doc);
	case REPORT_TEXT:
	default:
		return combined_text(fp, doc);
	}
	return ferror(fp) ? -1 : 0;
}

const char *
combined_status_name(int s)
{
	switch (s) {
	case 0:
		return "done";
	case RUN_NOTHING:
		return "nothing to write";
	case RUN_PARTIAL:
		return "partial";
	case EX_NOINPUT:
		return "cannot open";
	case EX_DATAERR:
		return "bad data";
	case EX_IOERR:
		return "write error";
	case EX_CANTCREAT:
		return "cannot create";
	case EX_SOFTWARE:
		return "internal error";
	default:
		return "failed";
	}
}

/* One copy of a group: "  kept     ID  START  "SUBJECT"". */
static void
text_copy(FILE *fp, const char *what, json_t *it)
{
	fprintf(fp, "  %-8s %s  %s  \"%s\"\n", what, combined_str(it, "id"),
	    combined_str(it, "start") ? combined_str(it, "start") : "-",
	    combined_str(it, "subject") ? combined_str(it, "subject") : "");
}

static int
combined_text(FILE *fp, json_t *doc)
{
	json_t		*t = json_object_get(doc, "totals"), *row, *f, *g,
			*it, *by;
	const char	*k;
	json_t		*v;
	size_t		 i, j, n;

	fprintf(fp, "pstdedup %s: %lld inputs, status %lld\n", PACKAGE_VERSION,
	    (long long)combined_int(t, "inputs"),
	    (long long)combined_int(doc, "status"));
	by = json_object_get(t, "by_status");
	json_object_foreach(by, k, v)
		fprintf(fp, "  %lld %s (%s)\n",
		    (long long)json_integer_value(v),
		    combined_status_name(atoi(k)), k);
	fprintf(fp, "totals: %lld read, %lld kept, %lld removed in %lld "
	    "groups, %lld skipped (%lld damaged), %lld degraded\n\n",
	    (long long)combined_int(t, "read"),
	    (long long)combined_int(t, "kept"),
	    (long long)combined_int(t, "removed"),
	    (long long)combined_int(t, "groups"),
	    (long long)combined_int(t, "skipped"),
	    (long long)combined_int(t, "damaged"),
	    (long long)combined_int(t, "degraded"));
	json_array_foreach(json_object_get(doc, "inputs"), i, row) {
		t = json_object_get(row, "totals");
		fprintf(fp, "%s: %s (%lld): %lld read, %lld kept, %lld "
		    "removed, %lld skipped\n", combined_str(row, "input"),
		    combined_status_name((int)combined_int(row, "status")),
		    (long long)combined_int(row, "status"),
		    (long long)combined_int(t, "read"),
		    (long long)combined_int(t, "kept"),
		    (long long)combined_int(t, "removed"),
		    (long long)combined_int(t, "skipped"));
		json_array_foreach(json_object_get(row, "folders"), j, f) {
			fprintf(fp, "  %s: %lld read, %lld kept, %lld removed",
			    combined_str(f, "folder"),
			    (long long)combined_int(f, "read"),
			    (long long)combined_int(f, "kept"),
			    (long long)combined_int(f, "removed"));
			if (combined_str(f, "calendar") != NULL)
				fprintf(fp, ": %s", combined_str(f,
				    "calendar"));
			fputc('\n', fp);
		}
	}
	json_array_foreach(json_object_get(doc, "groups"), i, g) {
		fprintf(fp, "\n%s: group %lld (%s, %s)%s: %s\n",
		    combined_str(g, "input"),
		    (long long)combined_int(g, "group"),
		    combined_str(g, "kind") ? combined_str(g, "kind") : "",
		    combined_str(g, "rule") ? combined_str(g, "rule") : "",
		    json_is_true(json_object_get(g, "review")) ?
		    " REVIEW" : "", combined_str(g, "why") ?
		    combined_str(g, "why") : "");
		if (json_is_object(it = json_object_get(g, "kept")))
			text_copy(fp, "kept", it);
		for (j = 0; j < 2; j++) {
			json_array_foreach(json_object_get(g, j == 0 ?
			    "also_kept" : "removed"), n, it)
				text_copy(fp, j == 0 ? "kept" : "removed", it);
		}
	}
	json_array_foreach(json_object_get(doc, "skipped"), i, it)
		fprintf(fp, "%s%s: skipped %s \"%s\": %s\n", i == 0 ? "\n" : "",
		    combined_str(it, "input"), combined_str(it, "id"),
		    combined_str(it, "subject") ? combined_str(it, "subject") :
		    "", combined_str(it, "reason") ? combined_str(it,
		    "reason") : "");
	return ferror(fp) ? -1 : 0;
}

/* RFC 4180 quoting; a cell Excel would take for a formula (= + - @,
 * tab, CR) gets a leading apostrophe. */
static void
csv_cell(FILE *fp, const char *s)
{
	int	quote;

	fputc(',', fp);
	if (s == NULL || *s == '\0')
		return;
	quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', fp);
	if (strchr("=+-@\t\r", *s) != NULL)
		fputc('\'', fp);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	if (quote)
		fputc('"', fp);
}

/* "2024-01-02T10:00:00Z" -> "2024-01-02 10:00:00" (UTC), which Excel
 * and LibreOffice read as a date and time. */
static void
csv_date(FILE *fp, const char *s)
{
	char	buf[32];

	fputc(',', fp);
	if (s == NULL || strlen(s) != 20 || s[10] != 'T')
		return;
	memcpy(buf, s, 19);
	buf[10] = ' ';
	buf[19] = '\0';
	fputs(buf, fp);
}

static void
csv_num(FILE *fp, json_t *o, const char *key)
{
	json_t	*v = json_object_get(o, key);

	fputc(',', fp);
	if (json_is_integer(v))
		fprintf(fp, "%lld", (long long)json_integer_value(v));
}

#define CSV_HEAD "record,input,status,folder,read,kept,removed,skipped," \
	"damaged,degraded,file,removed_file,group,kind,id,duplicate_of," \
	"subject,start,end,creator,modifier,created,rule,review,why," \
	"new_uid,reason\r\n"

/* One group member, or a skip or warning (g NULL). */
static void
csv_item(FILE *fp, const char *record, const char *input, json_t *g,
    json_t *it)
{
	fputs(record, fp);
	csv_cell(fp, input);
	fputc(',', fp);			/* status */
	csv_cell(fp, combined_str(it, "folder"));
	fputs(",,,,,,,,", fp);		/* counts and files */
	csv_num(fp, g, "group");
	csv_cell(fp, combined_str(g, "kind"));
	csv_cell(fp, combined_str(it, "id"));
	csv_cell(fp, combined_str(it, "duplicate_of"));
	csv_cell(fp, combined_str(it, "subject"));
	csv_date(fp, combined_str(it, "start"));
	csv_date(fp, combined_str(it, "end"));
	csv_cell(fp, combined_str(it, "creator"));
	csv_cell(fp, combined_str(it, "modifier"));
	csv_date(fp, combined_str(it, "created"));
	csv_cell(fp, combined_str(g, "rule"));
	csv_cell(fp, g == NULL ? NULL : json_is_true(json_object_get(g,
	    "review")) ? "yes" : "no");
	csv_cell(fp, combined_str(g, "why"));
	csv_cell(fp, combined_str(it, "new_uid"));
	csv_cell(fp, combined_str(it, "reason") != NULL ?
	    combined_str(it, "reason") : combined_str(it, "message"));
	fputs("\r\n", fp);
}

static void
csv_counts(FILE *fp, const char *record, const char *input, json_t *st,
    const char *folder, json_t *c, const char *file, const char *rmfile)
{
	fputs(record, fp);
	csv_cell(fp, input);
	fputc(',', fp);
	if (st != NULL)
		fprintf(fp, "%lld", (long long)json_integer_value(st));
	csv_cell(fp, folder);
	csv_num(fp, c, "read");
	csv_num(fp, c, "kept");
	csv_num(fp, c, "removed");
	csv_num(fp, c, "skipped");
	csv_num(fp, c, "damaged");
	csv_num(fp, c, "degraded");
	csv_cell(fp, file);
	csv_cell(fp, rmfile);
	fputs(",,,,,,,,,,,,,,,\r\n", fp);
}

static int
combined_csv(FILE *fp, json_t *doc)
{
	json_t	*row, *f, *g, *it, *t;
	size_t	 i, j, k;

	fputs(CSV_HEAD, fp);
	t = json_object_get(doc, "totals");
	csv_counts(fp, "total", NULL, json_object_get(doc, "status"), NULL, t,
	    NULL, NULL);
	json_array_foreach(json_object_get(doc, "inputs"), i, row) {
		csv_counts(fp, "input", combined_str(row, "input"),
		    json_object_get(row, "status"), NULL,
		    json_object_get(row, "totals"), NULL, NULL);
		json_array_foreach(json_object_get(row, "folders"), j, f)
			csv_counts(fp, "folder", combined_str(row, "input"),
			    NULL, combined_str(f, "folder"), f,
			    combined_str(f, "calendar"),
			    combined_str(f, "removed_file"));
	}
	json_array_foreach(json_object_get(doc, "groups"), i, g) {
		if (json_is_object(it = json_object_get(g, "kept")))
			csv_item(fp, "kept", combined_str(g, "input"), g, it);
		json_array_foreach(json_object_get(g, "also_kept"), k, it)
			csv_item(fp, "also_kept", combined_str(g, "input"), g,
			    it);
		json_array_foreach(json_object_get(g, "removed"), k, it)
			csv_item(fp, "removed", combined_str(g, "input"), g,
			    it);
	}
	json_array_foreach(json_object_get(doc, "skipped"), i, it)
		csv_item(fp, json_is_true(json_object_get(it, "damaged")) ?
		    "damaged" : "skipped", combined_str(it, "input"), NULL, it);
	json_array_foreach(json_object_get(doc, "warnings"), i, it)
		csv_item(fp, json_is_true(json_object_get(it, "degraded")) ?
		    "degraded" : "warning", combined_str(it, "input"), NULL,
		    it);
	return ferror(fp) ? -1 : 0;
}
