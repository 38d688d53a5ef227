/* test_report_html_browser.c: the HTML report loaded in headless
 * Chromium: it loads, refuses an altered script, prints whole groups. */
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
