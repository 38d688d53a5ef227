/* test_report_html_batch.c: the HTML report of a batch directory
 * and of --combine, with its per-year chart. */
#include <criterion/criterion.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <nettle/base64.h>
#include <nettle/sha2.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "combined.h"
#include "dedup.h"
#include "reader.h"
#include "report.h"
#include "report_html.h"
#include "testutil.h"
#include "report_html_util.h"
#include "xmalloc.h"

/* The page's text with the lines that say when it was made left out. */
static char *
page_text(const char *top, const char *name)
{
	char	*p = tu_path(top, name), *s, *at, *nl;
	size_t	 len;

	s = tu_slurp(p, &len);
	cr_assert_not_null(s, "%s", p);
	while ((at = strstr(s, "<dt>Report made</dt>")) != NULL) {
		nl = strchr(at, '\n');
		cr_assert_not_null(nl);
		memmove(at, nl + 1, strlen(nl + 1) + 1);
	}
	free(p);
	return s;
}

/* The sections of a batch page against the combined JSON report of the
 * same run: totals, one section per input with its own totals and as
 * many groups as the JSON gives that input, copies per group. */
static void
check_batch_page(htmlDocPtr html, json_t *json)
{
	json_t			*totals, *row, *g, *v;
	xmlXPathObjectPtr	 secs, gsec;
	xmlNodePtr		 sec;
	const char		*key, *input;
	char			 expr[256], *text;
	size_t			 i, j, ng, ncopies;
	int			 n = 0;

	totals = json_object_get(json, "totals");
	json_object_foreach(totals, key, v) {
		if (!json_is_integer(v) || strcmp(key, "inputs") == 0)
			continue;
		snprintf(expr, sizeof expr, "//table[@id='totals-all']"
		    "//td[@data-total='%s']", key);
		text = xp_text(html, NULL, expr);
		cr_assert_eq(strtoll(text, NULL, 10), json_integer_value(v),
		    "total %s: html %s, json %lld", key, text,
		    (long long)json_integer_value(v));
		free(text);
		n++;
	}
	cr_assert_geq(n, 11);

	secs = xp(html, NULL, "//section[@class='input']");
	cr_assert_eq((size_t)secs->nodesetval->nodeNr,
	    json_array_size(json_object_get(json, "inputs")));
	cr_assert_eq(xp_count(html, NULL, "//table[@class='inputs']/tbody/"
	    "tr[@class='input']"), secs->nodesetval->nodeNr);
	json_array_foreach(json_object_get(json, "inputs"), i, row) {
		sec = secs->nodesetval->nodeTab[i];
		input = json_string_value(json_object_get(row, "input"));
		text = xp_text(html, sec, "./h2");
		cr_assert_str_eq(text, input);
		free(text);
		snprintf(expr, sizeof expr, ".//dd[@class='status']"
		    "[@data-status='%lld']", (long long)json_integer_value(
		    json_object_get(row, "status")));
		cr_assert_eq(xp_count(html, sec, expr), 1, "%s: %s", input,
		    expr);
		json_object_foreach(json_object_get(row, "totals"), key, v) {
			if (!json_is_integer(v))
				continue;
			snprintf(expr, sizeof expr, ".//table[@id='totals-%zu']"
			    "//td[@data-total='%s']", i + 1, key);
			text = xp_text(html, sec, expr);
			cr_assert_eq(strtoll(text, NULL, 10),
			    json_integer_value(v), "%s: %s", input, key);
			free(text);
		}
		ng = 0;
		json_array_foreach(json_object_get(json, "groups"), j, g) {
			if (strcmp(json_string_value(json_object_get(g,
			    "input")), input) != 0)
				continue;
			ng++;
			snprintf(expr, sizeof expr,
			    ".//section[@id='g-%zu-%lld']"
			    , i + 1, (long long)json_integer_value(
			    json_object_get(g, "group")));
			gsec = xp(html, sec, expr);
			cr_assert_eq(gsec->nodesetval->nodeNr, 1, "%s", expr);
			ncopies = 1 + json_array_size(json_object_get(g,
			    "also_kept")) + json_array_size(json_object_get(g,
			    "removed"));
			cr_assert_eq(xp_count(html,
			    gsec->nodesetval->nodeTab[0],
			    ".//thead/tr/th[contains(@class,'copy')]"),
			    (int)ncopies, "%s", expr);
			xmlXPathFreeObject(gsec);
		}
		cr_assert_eq(xp_count(html, sec, ".//section[@data-group]"),
		    (int)ng, "%s: groups", input);
	}
	xmlXPathFreeObject(secs);
}

/* -R all.html over a directory: one page for the whole run. */
/* The years the JSON's "start" values span, anywhere in it. */
static void
json_start_years(json_t *j, int *lo, int *hi)
{
	const char	*k;
	json_t		*v;
	size_t		 i;
	int		 y;

	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			json_start_years(v, lo, hi);
	} else if (json_is_object(j)) {
		json_object_foreach(j, k, v) {
			if (strcmp(k, "start") == 0 && json_is_string(v) &&
			    sscanf(json_string_value(v), "%4d-", &y) == 1) {
				*lo = y < *lo ? y : *lo;
				*hi = y > *hi ? y : *hi;
			} else
				json_start_years(v, lo, hi);
		}
	}
}

/* Every year a month chart names lies among the meetings' own years
 * (the page of many inputs reads its dates from JSON). */
static void
check_chart_years(htmlDocPtr html, json_t *json)
{
	xmlXPathObjectPtr	 obj;
	xmlChar			*c;
	int			 lo = 9999, hi = 0, y, i, n = 0;

	json_start_years(json, &lo, &hi);
	cr_assert_leq(lo, hi, "no start in the JSON report");
	obj = xp(html, NULL, "//svg[@class='chart']//text");
	for (i = 0; obj->nodesetval != NULL && i < obj->nodesetval->nodeNr;
	    i++) {
		c = xmlNodeGetContent(obj->nodesetval->nodeTab[i]);
		/* "2024", or a month and its year: "Mar 2024". */
		if (c != NULL && (sscanf((const char *)c, "%*[A-Za-z ]%d",
		    &y) == 1 || sscanf((const char *)c, "%d", &y) == 1) &&
		    y >= 1601) {
			cr_assert(y >= lo && y <= hi, "chart year %d, meetings "
			    "%d..%d", y, lo, hi);
			n++;
		}
		xmlFree(c);
	}
	xmlXPathFreeObject(obj);
	cr_assert_gt(n, 0, "no year in the month charts");
}

Test(report_html, batch_directory_one_page)
{
	json_t		*json;
	htmlDocPtr	 html;
	char		*top = batch_dir(), *p, *text;

	json = batch_reports(top);
	p = tu_path(top, "all.html");
	html = parse_html_file(p);
	free(p);
	cr_assert_eq(json_array_size(json_object_get(json, "inputs")), 4);
	check_batch_page(html, json);
	check_chart_years(html, json);
	/* The hostile subject is text, in its input's section. */
	text = xp_text(html, NULL, "//section[@class='input'][h2="
	    "'in/b/hostile.pst']//section[@data-group]//tr[@data-field="
	    "'subject']/td[1]");
	cr_assert_str_eq(text, HOSTILE_SUBJECT);
	free(text);
	cr_assert_gt(check_diff_marks(html), 0);
	check_no_injection(html);
	/* The broken input has its section, with its status. */
	cr_assert_eq(xp_count(html, NULL, "//section[@class='input'][h2="
	    "'in/c/broken.pst']//dd[@data-status='65']"), 1);
	xmlFreeDoc(html);
	json_decref(json);
	tu_rmdir(top);
	free(top);
}

/* --combine of the parts' JSON reports gives the page of the whole. */
Test(report_html, combine_gives_the_same_page)
{
	json_t		*json;
	json_error_t	 err;
	htmlDocPtr	 html;
	char		*top = batch_dir(), *whole, *parts, *one, *p;

	batch_run(top, (const char *const[]){ "-n", "-R", "all.html", "in",
	    NULL }, 65);
	batch_run(top, (const char *const[]){ "-n", "-R", "a.json", "in/a",
	    NULL }, 0);
	batch_run(top, (const char *const[]){ "-n", "-R", "b.json", "in/b",
	    NULL }, 0);
	batch_run(top, (const char *const[]){ "-n", "-R", "c.json", "in/c",
	    NULL }, 65);
	batch_run(top, (const char *const[]){ "--combine", "-R", "parts.html",
	    "a.json", "b.json", "c.json", NULL }, 0);
	whole = page_text(top, "all.html");
	parts = page_text(top, "parts.html");
	cr_assert_str_eq(parts, whole);
	/* -f html with one directory argument is the same page too. */
	batch_run(top, (const char *const[]){ "--combine", "-f", "html", "-R",
	    "one.html", "a.json", NULL }, 0);
	one = page_text(top, "one.html");
	cr_assert(strstr(one, "<section class=\"input\" id=\"input-1\">") !=
	    NULL && strstr(one, "id=\"input-2\"") == NULL);
	free(one);
	/* A single-file run's report has fewer rows per item, but its
	 * groups and their subjects are there. */
	batch_run(top, (const char *const[]){ "-n", "-R", "one.json",
	    "in/a/Outlook.pst", NULL }, 0);
	batch_run(top, (const char *const[]){ "--combine", "-R", "single.html",
	    "one.json", NULL }, 0);
	p = tu_path(top, "one.json");
	json = json_load_file(p, 0, &err);
	cr_assert_not_null(json, "%s", err.text);
	free(p);
	p = tu_path(top, "single.html");
	html = parse_html_file(p);
	free(p);
	cr_assert_gt(json_array_size(json_object_get(json, "groups")), 0);
	cr_assert_eq(xp_count(html, NULL, "//section[@data-group]"),
	    (int)json_array_size(json_object_get(json, "groups")));
	cr_assert_eq(xp_count(html, NULL, "//section[@data-group]//tr[@data-"
	    "field='subject']/td[span[@class='none']]"), 0);
	check_no_injection(html);
	xmlFreeDoc(html);
	json_decref(json);
	free(whole);
	free(parts);
	tu_rmdir(top);
	free(top);
}
