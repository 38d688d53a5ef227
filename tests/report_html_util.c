/* report_html_util.c: helpers shared by the report_html test programs
 * (test_report_html*.c), moved out of test_report_html.c. */
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

/* Two copies of one meeting whose every text field is markup that
 * would run if it were not escaped, and a body with markup. */
const char hostile_ics[] =
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

void
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

htmlDocPtr
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
void
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

void
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
xmlXPathObjectPtr
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

int
xp_count(xmlDocPtr doc, xmlNodePtr node, const char *expr)
{
	xmlXPathObjectPtr	obj = xp(doc, node, expr);
	int			n;

	n = obj->nodesetval != NULL ? obj->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(obj);
	return n;
}

/* The text of the only node matching expr; owned by the caller. */
char *
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

char *
attr(xmlNodePtr n, const char *name)
{
	xmlChar	*v = xmlGetProp(n, (const xmlChar *)name);
	char	*s = v != NULL ? xstrdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

/* A cell is marked "diff" exactly when its text differs from the kept
 * copy's, on every compared row; returns the number marked. */
int
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
void
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
void
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

/*
 * A run over a directory, as a helpdesk makes one:
 *
 * in/a/Outlook.pst	grouping.ics: conflicts, review, duplicates
 * in/b/Outlook.pst	revisions.ics (same name as a's)
 * in/b/hostile.pst	the hostile meeting twice
 * in/c/broken.pst	the first 3000 bytes of a PST: bad data, 65
 */
char *
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

void
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
json_t *
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
