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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	cr_assert_eq(xp_count(p.html, NULL, "//section[@data-group][.//tr[@data-field="
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

/* Several inputs: one page, an overview row each, a section each. */
Test(report_html, several_inputs_one_page)
{
	struct reader_opts	 ro;
	struct reader_result	 rr;
	struct dedup_opts	 dopts;
	struct dedup_result	 dr;
	struct report_run	 run[2];
	const struct report_run	*runs[2];
	htmlDocPtr		 doc;
	char			*dir, *pst, *buf = NULL, *cause = NULL, *text;
	size_t			 len;
	FILE			*fp;

	dir = tu_tmpdir();
	pst = tu_path(dir, "in.pst");
	tu_mkpst("grouping.ics", pst);
	memset(&ro, 0, sizeof ro);
	cr_assert_eq(reader_read(pst, &ro, &rr, &cause), 0, "%s", cause);
	memset(&dopts, 0, sizeof dopts);
	cr_assert_eq(dedup_run(&rr.appts, &dopts, &dr, &cause), 0, "%s",
	    cause);
	memset(run, 0, sizeof run);
	run[0].file = "first/Outlook.pst";
	run[1].file = "second/Outlook.pst";
	run[0].rr = run[1].rr = &rr;
	run[0].dr = run[1].dr = &dr;
	cr_assert_eq(report_totals(&rr, &dr, &run[0].totals, &cause), 0);
	run[1].totals = run[0].totals;
	runs[0] = &run[0];
	runs[1] = &run[1];
	fp = open_memstream(&buf, &len);
	cr_assert_not_null(fp);
	cr_assert_eq(report_html_write(fp, runs, 2), 0);
	cr_assert_eq(fclose(fp), 0);
	doc = htmlReadMemory(buf, (int)len, "mem.html", "UTF-8",
	    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
	cr_assert_not_null(doc);
	cr_assert_eq(xp_count(doc, NULL, "//section[@class='input']"), 2);
	cr_assert_eq(xp_count(doc, NULL, "//table[@class='inputs']/tbody/tr"),
	    2);
	text = xp_text(doc, NULL, "//table[@class='inputs']/tfoot/tr/td[1]");
	cr_assert_eq(strtoul(text, NULL, 10), 2 * run[0].totals.read);
	free(text);
	cr_assert_eq(xp_count(doc, NULL, "//section[@data-group]"),
	    (int)(2 * dr.ngroups));
	/* Group ids stay unique across inputs. */
	cr_assert_eq(xp_count(doc, NULL, "//section[@id='g-1-1']"), 1);
	cr_assert_eq(xp_count(doc, NULL, "//section[@id='g-2-1']"), 1);
	check_no_injection(doc);
	xmlFreeDoc(doc);
	free(buf);
	dedup_result_free(&dr);
	reader_result_free(&rr);
	free(pst);
	tu_rmdir(dir);
	free(dir);
}

/* Headless Chromium, if installed: $CHROMIUM, else on PATH. */
static char *
find_chromium(void)
{
	static const char *const names[] = {
		"chromium", "chromium-browser", "google-chrome", NULL
	};
	const char	*env = tu_env("CHROMIUM"), *path = getenv("PATH");
	char		*dirs, *d, *save = NULL, *cand;
	size_t		 i;

	if (env != NULL)
		return access(env, X_OK) == 0 ? xstrdup(env) : NULL;
	if (path == NULL)
		return NULL;
	for (i = 0; names[i] != NULL; i++) {
		dirs = xstrdup(path);
		for (d = strtok_r(dirs, ":", &save); d != NULL;
		    d = strtok_r(NULL, ":", &save)) {
			cand = tu_path(d, names[i]);
			if (access(cand, X_OK) == 0) {
				free(dirs);
				return cand;
			}
			free(cand);
		}
		free(dirs);
	}
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
 * groups are there, and no injected script changed the title. */
static void
check_browser(const char *chromium, struct pair *p, const char *title)
{
	htmlDocPtr	 dom;
	char		*log, *text, want[64];
	size_t		 ng;

	dom = browse(chromium, p->dir, p->html_path, &log);
	cr_assert(strstr(log, ":CONSOLE") == NULL, "console: %s", log);
	text = xp_text(dom, NULL, "/html/head/title");
	cr_assert_str_eq(text, title);
	free(text);
	ng = json_array_size(json_object_get(p->json, "groups"));
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
