/* html.c: HTML -> plain text with libxml2. */
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "html.h"
#include "model.h"
#include "text.h"
#include "xmalloc.h"

struct hbuf {
	struct buf	 t;		/* the text so far */
	int		 nl;		/* line breaks owed before more text */
	int		 space;		/* a collapsed space owed */
	int		 pre;		/* inside pre: white space kept */
};

static void	 hb_flush(struct hbuf *);
static void	 hb_text(struct hbuf *, const char *);
static int	 el_is(const xmlNode *, const char *const *);
static void	 el_open(struct hbuf *, const xmlNode *);
static void	 el_close(struct hbuf *, const xmlNode *);
static void	 silent(void *, const char *, ...);

static const char *const dropped[] = {
	"script", "style", "head", "title", "noscript", "template", "object",
	NULL
};
static const char *const blocks[] = {
	"p", "div", "li", "tr", "table", "ul", "ol", "dl", "dt", "dd",
	"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr",
	"address", "center", "section", "article", "header", "footer",
	"form", "fieldset", "caption", "body", NULL
};
static const char *const cells[] = { "td", "th", NULL };

static void
silent(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

/* Owed breaks or space go out before the next visible character; none
 * at the very start. */
static void
hb_flush(struct hbuf *b)
{
	if (b->nl > 0) {
		if (b->t.len > 0)
			buf_add(&b->t, "\n\n", b->nl > 2 ? 2 : (size_t)b->nl);
		b->nl = b->space = 0;
	} else if (b->space) {
		if (b->t.len > 0 && b->t.p[b->t.len - 1] != '\n' &&
		    b->t.p[b->t.len - 1] != '\t')
			buf_add(&b->t, " ", 1);
		b->space = 0;
	}
}

static void
hb_text(struct hbuf *b, const char *s)
{
	const unsigned char	*u;
	size_t			 n;

	for (u = (const unsigned char *)s; *u != '\0'; u += n) {
		n = 1;
		if (*u == ' ' || *u == '\t' || *u == '\n' || *u == '\r' ||
		    *u == '\f') {
			if (!b->pre) {
				b->space = 1;
				continue;
			}
			if (*u == '\r')
				continue;
			if (*u == '\n') {
				b->nl++;
				continue;
			}
		}
		hb_flush(b);
		if (u[0] == 0xC2 && u[1] == 0xA0) {	/* nbsp */
			buf_add(&b->t, " ", 1);
			n = 2;
			continue;
		}
		while ((u[n] & 0xC0) == 0x80)
			n++;
		buf_add(&b->t, (const char *)u, n);
	}
}

static int
el_is(const xmlNode *n, const char *const *names)
{
	size_t	i;

	if (n->type != XML_ELEMENT_NODE || n->name == NULL)
		return 0;
	for (i = 0; names[i] != NULL; i++) {
		if (strcasecmp((const char *)n->name, names[i]) == 0)
			return 1;
	}
	return 0;
}

static void
el_open(struct hbuf *b, const xmlNode *n)
{
	const xmlNode	*s;

	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		if (n->content != NULL)
			hb_text(b, (const char *)n->content);
		return;
	}
	if (n->type != XML_ELEMENT_NODE)
		return;
	if (strcasecmp((const char *)n->name, "br") == 0) {
		b->nl++;
		b->space = 0;
	} else if (el_is(n, blocks)) {
		if (b->nl < 1)
			b->nl = 1;
		if (strcasecmp((const char *)n->name, "pre") == 0)
			b->pre++;
	} else if (el_is(n, cells)) {
		for (s = n->prev; s != NULL && !el_is(s, cells); s = s->prev)
			;
		if (s != NULL && b->nl == 0) {
			b->space = 0;
			buf_add(&b->t, "\t", 1);
		}
	}
}

static void
el_close(struct hbuf *b, const xmlNode *n)
{
	if (!el_is(n, blocks))
		return;
	if (b->nl < 1)
		b->nl = 1;
	if (strcasecmp((const char *)n->name, "pre") == 0 && b->pre > 0)
		b->pre--;
}

int
html_to_text(const char *html, size_t len, char **text, char **cause)
{
	static int	 init;
	htmlDocPtr	 doc;
	xmlNode		*top, *cur;
	struct hbuf	 b;
	size_t		 i;

	*text = NULL;
	if (!init) {
		xmlInitParser();
		/* Recovery is the point: parse errors are no news. */
		xmlSetGenericErrorFunc(NULL, silent);
		init = 1;
	}
	if (len > INT_MAX) {
		xasprintf(cause, "HTML of %zu bytes", len);
		return -1;
	}
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED);
	memset(&b, 0, sizeof b);
	if (doc == NULL) {
		/* An empty or blank document builds none. */
		for (i = 0; i < len && (html[i] == ' ' || html[i] == '\t' ||
		    html[i] == '\r' || html[i] == '\n'); i++)
			;
		if (i == len) {
			*text = xstrdup("");
			return 0;
		}
		*cause = xstrdup("libxml2 built no document");
		return -1;
	}
	top = (xmlNode *)doc;
	cur = top->children;
	while (cur != NULL) {
		el_open(&b, cur);
		if (cur->type == XML_ELEMENT_NODE && cur->children != NULL &&
		    !el_is(cur, dropped)) {
			cur = cur->children;
			continue;
		}
		el_close(&b, cur);
		while (cur->next == NULL && cur->parent != NULL &&
		    cur->parent != top) {
			cur = cur->parent;
			el_close(&b, cur);
		}
		cur = cur->next;
	}
	xmlFreeDoc(doc);
	while (b.t.len > 0 && (b.t.p[b.t.len - 1] == ' ' ||
	    b.t.p[b.t.len - 1] == '\t' || b.t.p[b.t.len - 1] == '\n'))
		b.t.p[--b.t.len] = '\0';
	*text = text_clean(buf_take(&b.t));
	return 0;
}
