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
#include "xmalloc.h"

/* Two copies of one meeting whose every text field is markup that
 * would run if it were not escaped, and a body with markup. */
static const char hostile_ics[] =
"BEGIN:VCALENDAR\r\n"
"VERSION:2.0\r\n"
"PRODID:-//pstdedup//test_report_html//EN\r\n"
"BEGIN:VEVENT\r\n"
"UID:hostile-a@example.com\r\n"
"X-PST-NO-GOID:TRUE\r\n"
"SUMMARY:<script>window.pwned=1\\;document.title='PWNED'</script>\r\n"
"LOCATION:<img src=x onerror=\"document.title='PWNED'\">\r\n"
"DTSTART:20240710T090000Z\r\n"
"DTEND:20240710T100000Z\r\n"
"DESCRIPTION:<b>bold</b><iframe src=\"javascript:alert(1)\"></iframe>\r\n"
"CATEGORIES:<style>body{display:none}</style>\r\n"
"X-PST-CREATOR:\"><svg onload=\"document.title='PWNED'\">\r\n"
"X-PST-CREATED:20240401T080000Z\r\n"
"END:VEVENT\r\n"
"BEGIN:VEVENT\r\n"
"UID:hostile-b@example.com\r\n"
"X-PST-NO-GOID:TRUE\r\n"
"SUMMARY:<script>window.pwned=1\\;document.title='PWNED'</script>\r\n"
"LOCATION:<img src=x onerror=\"document.title='PWNED'\">\r\n"
"DTSTART:20240710T090000Z\r\n"
"DTEND:20240710T100000Z\r\n"
"X-PST-CREATOR:Calendar Repair Assistant' onmouseover='alert(1)\r\n"
"X-PST-CREATED:20240402T080000Z\r\n"
"END:VEVENT\r\n"
"END:VCALENDAR\r\n";

#define HOSTILE_SUBJECT \
	"<script>window.pwned=1;document.title='PWNED'</script>"

/* A run's two reports, parsed. */
struct pair {
	char		*dir;
	json_t		*json;
	htmlDocPtr	 html;
	char		*html_path;
};

static void
pair_run(struct pair *p, const char *pst, const char *name, const char *fmt)
{
	struct tu_run	 r;
	char		*out = tu_path(p->dir, name);

	tu_run(&r, p->dir, (char *const[]){ (char *)tu_pstdedup(),
	    (char *)"-q", (char *)"-n", (char *)"-R", out, (char *)pst,
	    NULL });
	cr_assert(r.status == 0 || r.status == 3, "pstdedup %s: status %d: "
	    "%s", fmt, r.status, r.err);
	tu_run_free(&r);
	free(out);
}

static htmlDocPtr
parse_html_file(const char *path)
{
	htmlDocPtr	doc;

	doc = htmlReadFile(path, "UTF-8", HTML_PARSE_NOERROR |
	    HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	cr_assert_not_null(doc, "%s: not parsed", path);
	return doc;
}

/* Build the PST from fixture text or a tests/data file, run the JSON
 * and the HTML report over it. */
static void
pair_init(struct pair *p, const char *data, const char *text)
{
	json_error_t	 err;
	char		*pst, *path;

	memset(p, 0, sizeof *p);
	p->dir = tu_tmpdir();
	if (text != NULL)
		pst = tu_mkpst_text(p->dir, text, strlen(text));
	else {
		pst = tu_path(p->dir, "in.pst");
		tu_mkpst(data, pst);
	}
	pair_run(p, pst, "r.json", "json");
	pair_run(p, pst, "r.html", "html");
	free(pst);
	path = tu_path(p->dir, "r.json");
	p->json = json_load_file(path, 0, &err);
	cr_assert_not_null(p->json, "r.json: %s", err.text);
	free(path);
	p->html_path = tu_path(p->dir, "r.html");
	p->html = parse_html_file(p->html_path);
}

static void
pair_free(struct pair *p)
{
	json_decref(p->json);
	xmlFreeDoc(p->html);
	free(p->html_path);
	tu_rmdir(p->dir);
	free(p->dir);
}

/* Nodes matching an XPath expression below node (NULL: the document);
 * the caller frees the result. */
static xmlXPathObjectPtr
xp(xmlDocPtr doc, xmlNodePtr node, const char *expr)
{
	xmlXPathContextPtr	ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr	obj;

	cr_assert_not_null(ctx);
	if (node != NULL)
		ctx->node = node;
	obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	xmlXPathFreeContext(ctx);
	cr_assert_not_null(obj, "bad XPath %s", expr);
	return obj;
}

static int
xp_count(xmlDocPtr doc, xmlNodePtr node, const char *expr)
{
	xmlXPathObjectPtr	obj = xp(doc, node, expr);
	int			n;

	n = obj->nodesetval != NULL ? obj->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(obj);
	return n;
}

/* The text of the only node matching expr; owned by the caller. */
static char *
xp_text(xmlDocPtr doc, xmlNodePtr node, const char *expr)
{
	xmlXPathObjectPtr	 obj = xp(doc, node, expr);
	xmlChar			*c;
	char			*s;

	cr_assert(obj->nodesetval != NULL && obj->nodesetval->nodeNr == 1,
	    "%s: %d matches", expr, obj->nodesetval != NULL ?
	    obj->nodesetval->nodeNr : 0);
	c = xmlNodeGetContent(obj->nodesetval->nodeTab[0]);
	s = xstrdup(c != NULL ? (const char *)c : "");
	xmlFree(c);
	xmlXPathFreeObject(obj);
	return s;
}

static char *
attr(xmlNodePtr n, const char *name)
{
	xmlChar	*v = xmlGetProp(n, (const xmlChar *)name);
	char	*s = v != NULL ? xstrdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

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

/* A cell is marked "diff" exactly when its text differs from the kept
 * copy's, on every compared row; returns the number marked. */
static int
check_diff_marks(xmlDocPtr doc)
{
	xmlXPathObjectPtr	 rows, cells;
	xmlNodePtr		 row;
	xmlChar			*base, *t;
	char			*field, *cls;
	int			 i, j, marked = 0, want;

	rows = xp(doc, NULL, "//table[contains(concat(' ',@class,' '),"
	    "' copies ')]/tbody/tr");
	cr_assert_gt(rows->nodesetval->nodeNr, 0);
	for (i = 0; i < rows->nodesetval->nodeNr; i++) {
		row = rows->nodesetval->nodeTab[i];
		field = attr(row, "data-field");
		cr_assert_not_null(field);
		cells = xp(doc, row, "./td");
		base = xmlNodeGetContent(cells->nodesetval->nodeTab[0]);
		for (j = 0; j < cells->nodesetval->nodeNr; j++) {
			t = xmlNodeGetContent(cells->nodesetval->nodeTab[j]);
			cls = attr(cells->nodesetval->nodeTab[j], "class");
			want = j > 0 && strcmp(field, "id") != 0 &&
			    strcmp(field, "uid") != 0 &&
			    xmlStrcmp(base, t) != 0;
			cr_assert_eq(cls != NULL && strcmp(cls, "diff") == 0,
			    want, "row %s cell %d (%s vs %s)", field, j,
			    (const char *)t, (const char *)base);
			marked += want;
			free(cls);
			xmlFree(t);
		}
		xmlFree(base);
		xmlXPathFreeObject(cells);
		free(field);
	}
	xmlXPathFreeObject(rows);
	return marked;
}

/* "'sha256-...'" of a string, computed here apart from the module. */
static void
hash_of(const char *s, size_t len, char *out, size_t outlen)
{
	struct sha256_ctx	ctx;
	uint8_t			d[SHA256_DIGEST_SIZE];
	char			b64[BASE64_ENCODE_RAW_LENGTH(
				    SHA256_DIGEST_SIZE) + 1];

	sha256_init(&ctx);
	sha256_update(&ctx, len, (const uint8_t *)s);
	sha256_digest(&ctx, sizeof d, d);
	base64_encode_raw(b64, sizeof d, d);
	b64[sizeof b64 - 1] = '\0';
	snprintf(out, outlen, "'sha256-%s'", b64);
}

/* Nothing but the page's own script and style; no event handler
 * attribute anywhere; the CSP names exactly their hashes. */
static void
check_no_injection(xmlDocPtr doc)
{
	xmlXPathObjectPtr	 obj;
	xmlChar			*c;
	char			*csp, want[80];

	cr_assert_eq(xp_count(doc, NULL, "//script"), 1);
	cr_assert_eq(xp_count(doc, NULL, "//style"), 1);
	cr_assert_eq(xp_count(doc, NULL, "//@*[starts-with(translate(name(),"
	    "'ON','on'),'on')]"), 0, "an on* attribute");
	cr_assert_eq(xp_count(doc, NULL, "//img|//iframe|//object|//embed|"
	    "//b|//form|//link|//base"), 0);
	cr_assert_eq(xp_count(doc, NULL, "//svg[not(@class='chart')]"), 0);
	cr_assert_eq(xp_count(doc, NULL, "//@href[not(starts-with(.,'#'))]"),
	    0);

	csp = xp_text(doc, NULL, "//meta[@http-equiv='Content-Security-"
	    "Policy']/@content");
	cr_assert(strstr(csp, "default-src 'none'") != NULL, "%s", csp);
	cr_assert(strstr(csp, "unsafe") == NULL, "%s", csp);
	obj = xp(doc, NULL, "//script");
	c = xmlNodeGetContent(obj->nodesetval->nodeTab[0]);
	cr_assert_str_eq((const char *)c, report_html_script());
	hash_of((const char *)c, strlen((const char *)c), want, sizeof want);
	cr_assert(strstr(csp, want) != NULL, "script hash %s not in %s",
	    want, csp);
	xmlFree(c);
	xmlXPathFreeObject(obj);
	obj = xp(doc, NULL, "//style");
	c = xmlNodeGetContent(obj->nodesetval->nodeTab[0]);
	cr_assert_str_eq((const char *)c, report_html_style());
	hash_of((const char *)c, strlen((const char *)c), want, sizeof want);
	cr_assert(strstr(csp, want) != NULL, "style hash %s not in %s",
	    want, csp);
	xmlFree(c);
	xmlXPathFreeObject(obj);
	free(csp);
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

/*
 * A run over a directory, as a helpdesk makes one:
 *
 * in/a/Outlook.pst	grouping.ics: conflicts, review, duplicates
 * in/b/Outlook.pst	revisions.ics (same name as a's)
 * in/b/hostile.pst	the hostile meeting twice
 * in/c/broken.pst	the first 3000 bytes of a PST: bad data, 65
 */
static char *
batch_dir(void)
{
	static const char *const sub[] = { "in", "in/a", "in/b", "in/c" };
	char	*top = tu_tmpdir(), *p, *q;
	size_t	 i;

	for (i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		p = tu_path(top, sub[i]);
		cr_assert_eq(mkdir(p, 0777), 0, "mkdir %s", p);
		free(p);
	}
	p = tu_path(top, "in/a/Outlook.pst");
	tu_mkpst("grouping.ics", p);
	q = tu_path(top, "in/c/broken.pst");
	tu_spit_head(q, p, 3000);
	free(q);
	free(p);
	p = tu_path(top, "in/b/Outlook.pst");
	tu_mkpst("revisions.ics", p);
	free(p);
	p = tu_path(top, "in/b");
	q = tu_mkpst_text(p, hostile_ics, strlen(hostile_ics));
	free(p);
	p = tu_path(top, "in/b/hostile.pst");
	cr_assert_eq(rename(q, p), 0);
	free(p);
	free(q);
	return top;
}

static void
batch_run(const char *top, const char *const *args, int want)
{
	struct tu_run	 r;
	char		*argv[16];
	size_t		 n = 0;

	argv[n++] = (char *)tu_pstdedup();
	argv[n++] = (char *)"-q";
	for (; *args != NULL && n < 15; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	tu_run(&r, top, argv);
	cr_assert_eq(r.status, want, "status %d: %s", r.status, r.err);
	tu_run_free(&r);
}

/* A dry run over batch_dir()'s inputs with -R all.json, and one with
 * -R all.html (status 65: one input is broken); the JSON report. */
static json_t *
batch_reports(const char *top)
{
	json_t		*json;
	json_error_t	 err;
	char		*p;

	batch_run(top, (const char *const[]){ "-n", "-R", "all.json", "in",
	    NULL }, 65);
	batch_run(top, (const char *const[]){ "-n", "-R", "all.html", "in",
	    NULL }, 65);
	p = tu_path(top, "all.json");
	json = json_load_file(p, 0, &err);
	cr_assert_not_null(json, "%s", err.text);
	free(p);
	return json;
}

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

/* A program on PATH, or NULL. */
static char *
find_in_path(const char *name)
{
	const char	*path = getenv("PATH");
	char		*dirs, *d, *save = NULL, *cand;

	if (path == NULL)
		return NULL;
	dirs = xstrdup(path);
	for (d = strtok_r(dirs, ":", &save); d != NULL;
	    d = strtok_r(NULL, ":", &save)) {
		cand = tu_path(d, name);
		if (access(cand, X_OK) == 0) {
			free(dirs);
			return cand;
		}
		free(cand);
	}
	free(dirs);
	return NULL;
}

/* Headless Chromium, if installed: $CHROMIUM, else on PATH. */
static char *
find_chromium(void)
{
	static const char *const names[] = {
		"chromium", "chromium-browser", "google-chrome", NULL
	};
	const char	*env = tu_env("CHROMIUM");
	char		*cand;
	size_t		 i;

	if (env != NULL)
		return access(env, X_OK) == 0 ? xstrdup(env) : NULL;
	for (i = 0; names[i] != NULL; i++)
		if ((cand = find_in_path(names[i])) != NULL)
			return cand;
	return NULL;
}

/* Load a page from disk; the DOM after its script ran, and the
 * browser's log (console messages are ":CONSOLE" lines). */
static htmlDocPtr
browse(const char *chromium, const char *dir, const char *page, char **log)
{
	struct tu_run	 r;
	htmlDocPtr	 doc;
	char		*url, *profile;

	xasprintf(&url, "file://%s", page);
	xasprintf(&profile, "--user-data-dir=%s/chromium-profile", dir);
	/* A browser that hangs must not hang the test suite. */
	tu_run(&r, dir, (char *const[]){ (char *)"/usr/bin/timeout",
	    (char *)"120", (char *)chromium, (char *)"--headless",
	    (char *)"--no-sandbox", (char *)"--disable-gpu",
	    (char *)"--disable-dev-shm-usage", (char *)"--no-first-run",
	    (char *)"--enable-logging=stderr", (char *)"--v=0",
	    profile, (char *)"--dump-dom", url,
	    NULL });
	cr_assert_eq(r.status, 0, "chromium: status %d (124: timed out): %s",
	    r.status, r.err);
	doc = htmlReadMemory(r.out, (int)strlen(r.out), "dom.html", "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	cr_assert_not_null(doc, "no DOM from chromium");
	*log = r.err;
	r.err = NULL;
	tu_run_free(&r);
	free(profile);
	free(url);
	return doc;
}

/* The page loads with no console message at all (a CSP violation is
 * one), its script ran (the filter says how many groups it shows), all
 * ng groups are there, and no injected script changed the title. */
static void
check_browser_page(const char *chromium, const char *dir, const char *page,
    const char *title, size_t ng)
{
	htmlDocPtr	 dom;
	char		*log, *text, want[64];

	dom = browse(chromium, dir, page, &log);
	cr_assert(strstr(log, ":CONSOLE") == NULL, "console: %s", log);
	text = xp_text(dom, NULL, "/html/head/title");
	cr_assert_str_eq(text, title);
	free(text);
	cr_assert_eq(xp_count(dom, NULL, "//section[@data-group]"), (int)ng);
	cr_assert_eq(xp_count(dom, NULL, "//section[@data-group][@hidden]"),
	    0);
	snprintf(want, sizeof want, "%zu of %zu %s shown", ng, ng,
	    ng == 1 ? "group" : "groups");
	text = xp_text(dom, NULL, "//span[@id='shown']");
	cr_assert_str_eq(text, want, "script did not run: %s", log);
	free(text);
	cr_assert_eq(xp_count(dom, NULL, "//p[@id='filterbox'][@hidden]"), 0);
	check_no_injection(dom);
	xmlFreeDoc(dom);
	free(log);
}

static void
check_browser(const char *chromium, struct pair *p, const char *title)
{
	check_browser_page(chromium, p->dir, p->html_path, title,
	    json_array_size(json_object_get(p->json, "groups")));
}

Test(report_html, browser_loads_cleanly)
{
	struct pair	 p;
	char		*chromium, *title;

	if ((chromium = find_chromium()) == NULL ||
	    access("/usr/bin/timeout", X_OK) != 0)
		cr_skip_test("chromium not installed (apt-get install "
		    "chromium): browser test skipped");
	pair_init(&p, NULL, hostile_ics);
	xasprintf(&title, "pstdedup review: %s/in.pst", p.dir);
	check_browser(chromium, &p, title);
	free(title);
	pair_free(&p);

	pair_init(&p, "grouping.ics", NULL);
	xasprintf(&title, "pstdedup review: %s/in.pst", p.dir);
	check_browser(chromium, &p, title);
	free(title);
	pair_free(&p);
	free(chromium);
}

/* The page of a run over a directory, in the browser: every input's
 * groups, the filter over all of them, nothing injected runs. */
Test(report_html, browser_loads_batch_page)
{
	json_t		*json;
	char		*chromium, *top, *p;

	if ((chromium = find_chromium()) == NULL ||
	    access("/usr/bin/timeout", X_OK) != 0)
		cr_skip_test("chromium not installed (apt-get install "
		    "chromium): browser test skipped");
	top = batch_dir();
	json = batch_reports(top);
	cr_assert_gt(json_array_size(json_object_get(json, "groups")), 3);
	p = tu_path(top, "all.html");
	check_browser_page(chromium, top, p, "pstdedup review: 4 inputs",
	    json_array_size(json_object_get(json, "groups")));
	free(p);
	json_decref(json);
	tu_rmdir(top);
	free(top);
	free(chromium);
}

/* The checks above can fail: a page whose script was altered after
 * hashing is refused by the CSP, and the browser says so. */
Test(report_html, browser_refuses_altered_script)
{
	struct pair	 p;
	htmlDocPtr	 dom;
	char		*chromium, *page, *log, *text, *at;
	size_t		 len;

	if ((chromium = find_chromium()) == NULL ||
	    access("/usr/bin/timeout", X_OK) != 0)
		cr_skip_test("chromium not installed (apt-get install "
		    "chromium): browser test skipped");
	pair_init(&p, "grouping.ics", NULL);
	page = tu_slurp(p.html_path, &len);
	cr_assert_not_null(page);
	at = strstr(page, "\tapply();\n})();");
	cr_assert_not_null(at);
	at[1] = 'A';		/* Apply(): another hash, and an error */
	tu_spit(p.html_path, page, len);
	dom = browse(chromium, p.dir, p.html_path, &log);
	cr_assert(strstr(log, ":CONSOLE") != NULL &&
	    strstr(log, "Content Security Policy") != NULL, "%s", log);
	text = xp_text(dom, NULL, "//span[@id='shown']");
	cr_assert_str_eq(text, "");
	free(text);
	xmlFreeDoc(dom);
	free(log);
	free(page);
	pair_free(&p);
	free(chromium);
}

/* Group headings ("Group 3: conflict") in [p, end). */
static int
count_headings(const char *p, const char *end)
{
	static const char *const kinds[] = { "same meeting", "same content",
	    "conflict", NULL };
	const char	*q;
	size_t		 i;
	int		 n = 0;

	while ((p = strstr(p, "Group ")) != NULL && p < end) {
		p += 6;
		for (q = p; *q >= '0' && *q <= '9'; q++)
			;
		if (q == p || strncmp(q, ": ", 2) != 0)
			continue;
		for (i = 0; kinds[i] != NULL; i++)
			if (strncmp(q + 2, kinds[i], strlen(kinds[i])) == 0)
				n++;
	}
	return n;
}

static int
count_in(const char *p, const char *end, const char *what)
{
	int	n = 0;

	while ((p = strstr(p, what)) != NULL && p < end) {
		n++;
		p += strlen(what);
	}
	return n;
}

/* The page of a batch run printed (Chromium to PDF, pdftotext from
 * poppler-utils): no filter box, every group once, and each group on
 * one page (its heading and its last row, "Item id", together). */
Test(report_html, batch_page_prints_whole_groups)
{
	struct tu_run	 r;
	htmlDocPtr	 html;
	char		*chromium, *pdftotext, *top, *page, *pdf, *url, *prof;
	char		*opt, *text, *p, *ff;
	int		 ng, total = 0, npages = 0, h;

	if ((chromium = find_chromium()) == NULL ||
	    (pdftotext = find_in_path("pdftotext")) == NULL ||
	    access("/usr/bin/timeout", X_OK) != 0) {
		free(chromium);
		cr_skip_test("chromium or pdftotext not installed (apt-get "
		    "install chromium poppler-utils): print test skipped");
	}
	top = batch_dir();
	batch_run(top, (const char *const[]){ "-n", "-R", "all.html", "in",
	    NULL }, 65);
	page = tu_path(top, "all.html");
	html = parse_html_file(page);
	ng = xp_count(html, NULL, "//section[@data-group]");
	cr_assert_gt(ng, 3);
	xmlFreeDoc(html);
	pdf = tu_path(top, "all.pdf");
	xasprintf(&url, "file://%s", page);
	xasprintf(&prof, "--user-data-dir=%s/chromium-profile", top);
	xasprintf(&opt, "--print-to-pdf=%s", pdf);
	tu_run(&r, top, (char *const[]){ (char *)"/usr/bin/timeout",
	    (char *)"120", chromium, (char *)"--headless",
	    (char *)"--no-sandbox", (char *)"--disable-gpu",
	    (char *)"--disable-dev-shm-usage", (char *)"--no-first-run",
	    (char *)"--no-pdf-header-footer", prof, opt, url, NULL });
	cr_assert_eq(r.status, 0, "chromium: status %d: %s", r.status, r.err);
	tu_run_free(&r);
	tu_run(&r, top, (char *const[]){ pdftotext, pdf, (char *)"-", NULL });
	cr_assert_eq(r.status, 0, "pdftotext: %s", r.err);
	text = r.out;
	cr_assert(strstr(text, "Filter groups") == NULL, "filter box printed");
	cr_assert(strstr(text, "The whole run: 4 inputs") != NULL);
	/* Printed as text (the cell wraps before its end tag). */
	cr_assert(strstr(text, "<script>window.pwned=1;document.title="
	    "'PWNED'") != NULL);
	for (p = text; *p != '\0'; p = *ff != '\0' ? ff + 1 : ff) {
		if ((ff = strchr(p, '\f')) == NULL)
			ff = p + strlen(p);
		h = count_headings(p, ff);
		cr_assert_eq(h, count_in(p, ff, "Item id"), "page %d: %d "
		    "group headings, %d last rows", npages + 1, h,
		    count_in(p, ff, "Item id"));
		total += h;
		npages++;
	}
	cr_assert_eq(total, ng, "%d groups printed of %d", total, ng);
	cr_assert_gt(npages, 1);
	tu_run_free(&r);
	free(opt);
	free(prof);
	free(url);
	free(pdf);
	free(page);
	tu_rmdir(top);
	free(top);
	free(pdftotext);
	free(chromium);
}
