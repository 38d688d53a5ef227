/* test_report_html.c: the HTML review report, read back with libxml2's
 * HTML parser and loaded in headless Chromium: totals equal the JSON
 * report's, one section per group with the right copies, differences
 * marked, hostile text shown as text and never run. */
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

/* Every total of the JSON report is in the page's totals strip. */
static void
check_totals(struct pair *p)
{
	json_t		*totals = json_object_get(p->json, "totals"), *v;
	const char	*key;
	char		 expr[128], *text;
	int		 n = 0;

	cr_assert(json_is_object(totals));
	json_object_foreach(totals, key, v) {
		if (!json_is_integer(v))
			continue;
		snprintf(expr, sizeof expr, "//table[@id='totals-1']"
		    "//td[@data-total='%s']", key);
		text = xp_text(p->html, NULL, expr);
		cr_assert_eq(strtoll(text, NULL, 10), json_integer_value(v),
		    "total %s: html %s, json %lld", key, text,
		    (long long)json_integer_value(v));
		free(text);
		n++;
	}
	cr_assert_geq(n, 11, "only %d totals", n);
}

/* Each JSON group has one section, with a column per copy: the kept
 * copy first, then the other kept ones and the removed ones. */
static void
check_groups(struct pair *p)
{
	json_t			*groups = json_object_get(p->json, "groups");
	json_t			*g, *c;
	xmlXPathObjectPtr	 sec, th;
	xmlNodePtr		 s;
	char			 expr[160], *v;
	size_t			 i, j, k, nkept, nrm;
	int			 rank, last = 0;

	cr_assert(json_is_array(groups));
	cr_assert_eq(xp_count(p->html, NULL, "//section[contains(concat(' ',"
	    "@class,' '),' group ')]"), (int)json_array_size(groups));

	json_array_foreach(groups, i, g) {
		snprintf(expr, sizeof expr, "//section[@data-group='%lld']",
		    (long long)json_integer_value(json_object_get(g, "group")));
		sec = xp(p->html, NULL, expr);
		cr_assert_eq(sec->nodesetval->nodeNr, 1, "%s", expr);
		s = sec->nodesetval->nodeTab[0];
		v = attr(s, "data-kind");
		cr_assert_str_eq(v, json_string_value(json_object_get(g,
		    "kind")));
		free(v);
		v = attr(s, "data-review");
		cr_assert_str_eq(v, json_is_true(json_object_get(g,
		    "review")) ? "yes" : "no");
		free(v);

		th = xp(p->html, s, ".//table[contains(concat(' ',@class,"
		    "' '),' copies ')]/thead/tr/th[contains(@class,'copy')]");
		nkept = 1 + json_array_size(json_object_get(g, "also_kept"));
		nrm = json_array_size(json_object_get(g, "removed"));
		cr_assert_eq((size_t)th->nodesetval->nodeNr, nkept + nrm,
		    "group %zu: %d columns for %zu copies", i + 1,
		    th->nodesetval->nodeNr, nkept + nrm);
		for (k = 0; k < nkept + nrm; k++) {
			if (k == 0)
				c = json_object_get(g, "kept");
			else if (k < nkept)
				c = json_array_get(json_object_get(g,
				    "also_kept"), k - 1);
			else
				c = json_array_get(json_object_get(g,
				    "removed"), k - nkept);
			v = attr(th->nodesetval->nodeTab[k], "data-id");
			cr_assert_str_eq(v, json_string_value(json_object_get(c,
			    "id")), "group %zu column %zu", i + 1, k + 1);
			free(v);
			v = attr(th->nodesetval->nodeTab[k], "class");
			cr_assert_str_eq(v, k < nkept ? "copy kept" :
			    "copy removed");
			free(v);
		}
		xmlXPathFreeObject(th);
		/* The subject row has a cell per copy. */
		cr_assert_eq(xp_count(p->html, s, ".//tr[@data-field="
		    "'subject']/td"), (int)(nkept + nrm));
		xmlXPathFreeObject(sec);
	}

	/* Review first, then conflicts, then the rest, in document order. */
	sec = xp(p->html, NULL, "//section[@data-group]");
	for (j = 0; j < (size_t)sec->nodesetval->nodeNr; j++) {
		s = sec->nodesetval->nodeTab[j];
		v = attr(s, "data-review");
		rank = strcmp(v, "yes") == 0 ? 0 : 2;
		free(v);
		v = attr(s, "data-kind");
		if (rank == 2 && strcmp(v, "conflict") == 0)
			rank = 1;
		free(v);
		cr_assert_geq(rank, last, "section %zu out of order", j + 1);
		last = rank;
	}
	xmlXPathFreeObject(sec);
}

Test(report_html, format_parse_and_guess)
{
	enum report_format	f = REPORT_TEXT;

	cr_assert_eq(report_format_parse("html", &f), 0);
	cr_assert_eq(f, REPORT_HTML);
	cr_assert_eq(report_format_guess("review.html"), REPORT_HTML);
	cr_assert_eq(report_format_guess("dir/REVIEW.HTM"), REPORT_HTML);
	cr_assert_eq(report_format_guess("review.html.txt"), REPORT_TEXT);
	cr_assert_eq(report_format_guess("x.html/report"), REPORT_TEXT);
}

Test(report_html, csp_hash_is_sha256_base64)
{
	char	got[64], want[80];

	/* RFC 6234's "abc". */
	report_html_hash("abc", got);
	cr_assert_str_eq(got,
	    "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='");
	hash_of(report_html_script(), strlen(report_html_script()), want,
	    sizeof want);
	report_html_hash(report_html_script(), got);
	cr_assert_str_eq(got, want);
}

Test(report_html, grouping_matches_json)
{
	struct pair	p;
	int		marked;

	pair_init(&p, "grouping.ics", NULL);
	check_totals(&p);
	check_groups(&p);
	marked = check_diff_marks(p.html);
	cr_assert_gt(marked, 0);
	check_no_injection(p.html);
	pair_free(&p);
}

Test(report_html, revisions_matches_json)
{
	struct pair	p;

	pair_init(&p, "revisions.ics", NULL);
	check_totals(&p);
	check_groups(&p);
	check_diff_marks(p.html);
	pair_free(&p);
}

/* The vendor demo's copies differ in the attendee's response only
 * (and who made them): that cell is marked, the subject is not. */
Test(report_html, differing_attendee_response_marked)
{
	struct pair	 p;
	char		*text;

	pair_init(&p, "grouping.ics", NULL);
	text = xp_text(p.html, NULL, "//section[@data-group]"
	    "[.//tr[@data-field='subject']"
	    "/td[1][.='Vendor demo']]//tr[@data-field='attendees']"
	    "/td[2]/@class");
	cr_assert_str_eq(text, "diff");
	free(text);
	cr_assert_eq(xp_count(p.html, NULL,
	    "//section[@data-group][.//tr[@data-field="
	    "'subject']/td[1][.='Vendor demo']]//tr[@data-field='subject']"
	    "/td[@class='diff']"), 0);
	text = xp_text(p.html, NULL, "//section[@data-group]"
	    "[.//tr[@data-field='subject']"
	    "/td[1][.='Vendor demo']]//tr[@data-field='attendees']/td[2]");
	cr_assert(strstr(text, "Alex Example") != NULL &&
	    strstr(text, "not responded") != NULL, "%s", text);
	free(text);
	pair_free(&p);
}

Test(report_html, hostile_text_is_text)
{
	struct pair	 p;
	char		*text;

	pair_init(&p, NULL, hostile_ics);
	check_totals(&p);
	check_groups(&p);
	check_no_injection(p.html);
	text = xp_text(p.html, NULL, "//tr[@data-field='subject']/td[1]");
	cr_assert_str_eq(text, HOSTILE_SUBJECT);
	free(text);
	text = xp_text(p.html, NULL, "//tr[@data-field='location']/td[1]");
	cr_assert_str_eq(text, "<img src=x onerror=\"document.title="
	    "'PWNED'\">");
	free(text);
	text = xp_text(p.html, NULL, "//tr[@data-field='categories']/td[1]");
	cr_assert_str_eq(text, "<style>body{display:none}</style>");
	free(text);
	pair_free(&p);
}

/* Several inputs: one page from the combined JSON document (what a
 * batch run and --combine build), an overview row each, a section
 * each, group ids unique across sections. */
Test(report_html, several_inputs_one_page)
{
	struct reader_opts	 ro;
	struct reader_result	 rr;
	struct dedup_opts	 dopts;
	struct dedup_result	 dr;
	struct report_run	 run;
	struct report_folder	 folder = { 0 };
	json_t			*doc, *rep;
	json_error_t		 err;
	htmlDocPtr		 html;
	char			*dir, *pst, *buf = NULL, *cause = NULL, *text;
	size_t			 len, i;
	FILE			*fp;

	dir = tu_tmpdir();
	pst = tu_path(dir, "in.pst");
	tu_mkpst("grouping.ics", pst);
	memset(&ro, 0, sizeof ro);
	cr_assert_eq(reader_read(pst, &ro, &rr, &cause), 0, "%s", cause);
	memset(&dopts, 0, sizeof dopts);
	cr_assert_eq(dedup_run(&rr.appts, &dopts, &dr, &cause), 0, "%s",
	    cause);
	memset(&run, 0, sizeof run);
	run.rr = &rr;
	run.dr = &dr;
	/* Folder rows make it a batch worker's report: its JSON carries
	 * what the page shows of each item. */
	run.folders = &folder;
	run.nfolders = 0;
	cr_assert_eq(report_totals(&rr, &dr, &run.totals, &cause), 0);
	doc = combined_new();
	for (i = 0; i < 2; i++) {
		run.file = i == 0 ? "first/Outlook.pst" : "second/Outlook.pst";
		fp = open_memstream(&buf, &len);
		cr_assert_not_null(fp);
		cr_assert_eq(report_write(fp, &run, REPORT_JSON), 0);
		cr_assert_eq(fclose(fp), 0);
		rep = json_loads(buf, 0, &err);
		cr_assert_not_null(rep, "%s", err.text);
		cr_assert_eq(combined_add(doc, run.file, 0, rep, &cause), 0);
		json_decref(rep);
		free(buf);
	}
	combined_finish(doc);
	fp = open_memstream(&buf, &len);
	cr_assert_not_null(fp);
	cr_assert_eq(report_html_combined(fp, doc), 0);
	cr_assert_eq(fclose(fp), 0);
	html = htmlReadMemory(buf, (int)len, "mem.html", "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	cr_assert_not_null(html);
	cr_assert_eq(xp_count(html, NULL, "//section[@class='input']"), 2);
	cr_assert_eq(xp_count(html, NULL, "//table[@class='inputs']/tbody/"
	    "tr[@class='input']"), 2);
	text = xp_text(html, NULL, "//table[@class='inputs']/tfoot/tr/td[1]");
	cr_assert_eq(strtoul(text, NULL, 10), 2 * run.totals.read);
	free(text);
	text = xp_text(html, NULL, "//table[@id='totals-all']//td[@data-total="
	    "'removed']");
	cr_assert_eq(strtoul(text, NULL, 10), 2 * run.totals.removed);
	free(text);
	cr_assert_eq(xp_count(html, NULL, "//section[@data-group]"),
	    (int)(2 * dr.ngroups));
	/* Group ids stay unique across inputs. */
	cr_assert_eq(xp_count(html, NULL, "//section[@id='g-1-1']"), 1);
	cr_assert_eq(xp_count(html, NULL, "//section[@id='g-2-1']"), 1);
	/* The rows come from the item, through the JSON report. */
	cr_assert_gt(xp_count(html, NULL, "//tr[@data-field='recurrence']"
	    "/td[not(span[@class='none'])]"), 0);
	cr_assert_gt(check_diff_marks(html), 0);
	check_no_injection(html);
	xmlFreeDoc(html);
	free(buf);
	json_decref(doc);
	dedup_result_free(&dr);
	reader_result_free(&rr);
	free(pst);
	tu_rmdir(dir);
	free(dir);
}
