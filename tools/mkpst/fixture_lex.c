/* fixture_lex.c: fixture text -> components and properties (unfolded,
 * unescaped on demand), each with its line number. */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "fixture_int.h"
#include "pstwrite.h"
#include "xmalloc.h"

/* ---- the fixture text ---------------------------------------------- */

void
fx_comp_free(struct comp *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; i < c->nprops; i++) {
		free(c->props[i].name);
		free(c->props[i].value);
		for (j = 0; j < c->props[i].nparams; j++) {
			free(c->props[i].params[j].name);
			free(c->props[i].params[j].value);
		}
		free(c->props[i].params);
	}
	free(c->props);
	for (i = 0; i < c->nkids; i++)
		fx_comp_free(c->kids[i]);
	free(c->kids);
	free(c->name);
	free(c);
}

int
fx_err(struct conv *cv, int line, char **cause, const char *what,
    const char *fmt, ...)
{
	va_list ap;
	char why[1024];

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	xasprintf(cause, "%s:%d: %s: %s", cv->file, line, what, why);
	return -1;
}

static void
upcase(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'a' && *s <= 'z')
			*s -= 'a' - 'A';
}

static int
name_char(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

/* One unfolded content line -> prop. */
static int
parse_line(struct conv *cv, char *s, int line, struct cprop *p, char **cause)
{
	char *q, *start;
	struct param *pa;

	memset(p, 0, sizeof *p);
	p->line = line;
	for (q = s; name_char((unsigned char)*q); q++)
		;
	if (q == s || (*q != ':' && *q != ';'))
		return fx_err(cv, line, cause, "bad content line",
		    "expected NAME[;PARAM=VALUE]:VALUE");
	p->name = xstrndup(s, q - s);
	upcase(p->name);
	while (*q == ';') {
		start = ++q;
		while (name_char((unsigned char)*q))
			q++;
		if (q == start || *q != '=')
			return fx_err(cv, line, cause, "bad parameter",
			    "expected NAME=VALUE after ';'");
		p->params = xreallocarray(p->params, p->nparams + 1,
		    sizeof *p->params);
		pa = &p->params[p->nparams++];
		pa->name = xstrndup(start, q - start);
		pa->value = NULL;
		upcase(pa->name);
		q++;
		if (*q == '"') {
			start = ++q;
			while (*q != '\0' && *q != '"')
				q++;
			if (*q != '"')
				return fx_err(cv, line, cause,
				    "bad parameter", "unterminated quote");
			pa->value = xstrndup(start, q - start);
			q++;
		} else {
			start = q;
			while (*q != '\0' && *q != ';' && *q != ':')
				q++;
			pa->value = xstrndup(start, q - start);
		}
	}
	if (*q != ':')
		return fx_err(cv, line, cause, "bad content line",
		    "missing ':' before the value");
	p->value = xstrdup(q + 1);
	return 0;
}

/* Handle one logical line: nest BEGIN/END, attach properties. */
static int
take_line(struct conv *cv, char *s, int line, struct comp **stack,
    size_t *depth, struct comp **root, char **cause)
{
	struct cprop p;
	struct comp *c, *top;
	size_t i;
	int rv = -1;

	if (parse_line(cv, s, line, &p, cause) != 0)
		goto out;
	if (strcmp(p.name, "BEGIN") == 0) {
		if (*depth == 16) {
			fx_err(cv, line, cause, "BEGIN", "nested too deep");
			goto out;
		}
		if (*depth == 0 && *root != NULL) {
			fx_err(cv, line, cause, "BEGIN",
			    "more than one top-level component");
			goto out;
		}
		c = xcalloc(1, sizeof *c);
		c->name = xstrdup(p.value);
		upcase(c->name);
		c->line = line;
		if (*depth > 0) {
			top = stack[*depth - 1];
			top->kids = xreallocarray(top->kids, top->nkids + 1,
			    sizeof c);
			top->kids[top->nkids++] = c;
		} else
			*root = c;
		stack[(*depth)++] = c;
	} else if (strcmp(p.name, "END") == 0) {
		upcase(p.value);
		if (*depth == 0 || strcmp(stack[*depth - 1]->name,
		    p.value) != 0) {
			fx_err(cv, line, cause, "END", "END:%s does not close "
			    "%s", p.value, *depth > 0 ?
			    stack[*depth - 1]->name : "anything");
			goto out;
		}
		(*depth)--;
	} else if (*depth == 0) {
		fx_err(cv, line, cause, p.name,
		    "property outside any component");
		goto out;
	} else {
		top = stack[*depth - 1];
		top->props = xreallocarray(top->props, top->nprops + 1,
		    sizeof p);
		top->props[top->nprops++] = p;
		return 0;
	}
	rv = 0;
out:
	free(p.name);
	free(p.value);
	for (i = 0; i < p.nparams; i++) {
		free(p.params[i].name);
		free(p.params[i].value);
	}
	free(p.params);
	return rv;
}

/* Split, unfold (RFC 5545 3.1) and nest the file into components. */
int
fx_parse_file(struct conv *cv, char *text, struct comp **out, char **cause)
{
	struct comp *stack[16], *root = NULL;
	char **lines = NULL, *p, *nl, *buf;
	size_t nlines = 0, depth = 0, i, j, len, k;

	for (p = text; *p != '\0'; p = nl + 1) {
		lines = xreallocarray(lines, nlines + 1, sizeof *lines);
		lines[nlines++] = p;
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		if (nl > p && nl[-1] == '\r')
			nl[-1] = '\0';
	}
	if (nlines > 0 && (len = strlen(lines[nlines - 1])) > 0 &&
	    lines[nlines - 1][len - 1] == '\r')
		lines[nlines - 1][len - 1] = '\0';
	for (i = 0; i < nlines; i = j) {
		for (j = i + 1; j < nlines && (lines[j][0] == ' ' ||
		    lines[j][0] == '\t'); j++)
			;
		if (lines[i][0] == '\0')
			continue;
		if (lines[i][0] == ' ' || lines[i][0] == '\t') {
			fx_err(cv, (int)i + 1, cause, "bad content line",
			    "continuation line without a line to continue");
			goto fail;
		}
		len = 0;
		for (k = i; k < j; k++)
			len += strlen(lines[k]);
		buf = xmalloc(len + 1);
		strcpy(buf, lines[i]);
		for (k = i + 1; k < j; k++)
			strcat(buf, lines[k] + 1);
		if (take_line(cv, buf, (int)i + 1, stack, &depth, &root,
		    cause) != 0) {
			free(buf);
			goto fail;
		}
		free(buf);
	}
	free(lines);
	lines = NULL;
	if (depth != 0) {
		fx_err(cv, stack[depth - 1]->line, cause, "BEGIN",
		    "%s is never closed", stack[depth - 1]->name);
		goto fail;
	}
	if (root == NULL || strcmp(root->name, "VCALENDAR") != 0) {
		fx_err(cv, root != NULL ? root->line : 1, cause, "BEGIN",
		    "expected one VCALENDAR");
		goto fail;
	}
	*out = root;
	return 0;
fail:
	free(lines);
	fx_comp_free(root);
	return -1;
}

/* ---- interpretation ------------------------------------------------ */

struct cprop *
fx_prop_get(const struct comp *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nprops; i++)
		if (strcmp(c->props[i].name, name) == 0)
			return &c->props[i];
	return NULL;
}

const char *
fx_param_get(const struct cprop *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nparams; i++)
		if (strcmp(p->params[i].name, name) == 0)
			return p->params[i].value;
	return NULL;
}

/* RFC 5545 TEXT unescaping; stops at an unescaped ',' if list. */
char *
fx_text_unescape(const char *s, const char **end, int list)
{
	char *out = xmalloc(strlen(s) + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (list && *s == ',')
			break;
		if (*s == '\\' && s[1] != '\0') {
			s++;
			*o++ = (*s == 'n' || *s == 'N') ? '\n' : *s;
		} else
			*o++ = *s;
	}
	*o = '\0';
	if (end != NULL)
		*end = s;
	return out;
}

char *
fx_prop_text(const struct comp *c, const char *name)
{
	struct cprop *p = fx_prop_get(c, name);

	return p != NULL ? fx_text_unescape(p->value, NULL, 0) : NULL;
}

char *
fx_read_all(const char *path, size_t *lenp, char **cause)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if ((f = fopen(path, "r")) == NULL) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len + 65536 + 1 > cap) {
			cap = len + 65536 + 1;
			buf = xreallocarray(buf, cap, 1);
		}
		n = fread(buf + len, 1, 65536, f);
		len += n;
		if (n < 65536)
			break;
	}
	if (ferror(f)) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* Append n bytes of s to the growing text *t (length *len). */
static void
text_add(char **t, size_t *len, const char *s, size_t n)
{
	*t = xreallocarray(*t, *len + n + 1, 1);
	memcpy(*t + *len, s, n);
	*len += n;
	(*t)[*len] = '\0';
}

static void
comp_add(const struct comp *c, char **t, size_t *len)
{
	const struct cprop	*p;
	const struct param	*pa;
	size_t			 i, j;
	int			 quote;

	text_add(t, len, "BEGIN:", 6);
	text_add(t, len, c->name, strlen(c->name));
	text_add(t, len, "\r\n", 2);
	for (i = 0; i < c->nprops; i++) {
		p = &c->props[i];
		text_add(t, len, p->name, strlen(p->name));
		for (j = 0; j < p->nparams; j++) {
			pa = &p->params[j];
			quote = strpbrk(pa->value, ":;,") != NULL;
			text_add(t, len, ";", 1);
			text_add(t, len, pa->name, strlen(pa->name));
			text_add(t, len, quote ? "=\"" : "=", quote ? 2 : 1);
			text_add(t, len, pa->value, strlen(pa->value));
			if (quote)
				text_add(t, len, "\"", 1);
		}
		text_add(t, len, ":", 1);
		text_add(t, len, p->value, strlen(p->value));
		text_add(t, len, "\r\n", 2);
	}
	for (i = 0; i < c->nkids; i++)
		comp_add(c->kids[i], t, len);
	text_add(t, len, "END:", 4);
	text_add(t, len, c->name, strlen(c->name));
	text_add(t, len, "\r\n", 2);
}

/* A component as iCalendar text again (unfolded), for libical. */
char *
fx_comp_text(const struct comp *c)
{
	char	*t = NULL;
	size_t	 len = 0;

	comp_add(c, &t, &len);
	return t;
}
