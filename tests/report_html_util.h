/* report_html_util.h: helpers shared by the report_html test programs
 * (test_report_html*.c), moved out of test_report_html.c. */
#ifndef REPORT_HTML_UTIL_H
#define REPORT_HTML_UTIL_H

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


extern const char hostile_ics[];

#define HOSTILE_SUBJECT \
	"<script>window.pwned=1;document.title='PWNED'</script>"

/* A run's two reports, parsed. */
struct pair {
	char		*dir;
	json_t		*json;
	htmlDocPtr	 html;
	char		*html_path;
};

void
pair_run(struct pair *p, const char *pst, const char *name, const char *fmt);

htmlDocPtr
parse_html_file(const char *path);

void
pair_init(struct pair *p, const char *data, const char *text);

void
pair_free(struct pair *p);

xmlXPathObjectPtr
xp(xmlDocPtr doc, xmlNodePtr node, const char *expr);

int
xp_count(xmlDocPtr doc, xmlNodePtr node, const char *expr);

char *
xp_text(xmlDocPtr doc, xmlNodePtr node, const char *expr);

char *
attr(xmlNodePtr n, const char *name);

int
check_diff_marks(xmlDocPtr doc);

void
hash_of(const char *s, size_t len, char *out, size_t outlen);

void
check_no_injection(xmlDocPtr doc);

char *
batch_dir(void);

void
batch_run(const char *top, const char *const *args, int want);

json_t *
batch_reports(const char *top);

#endif
