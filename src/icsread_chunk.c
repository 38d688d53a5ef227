/* icsread_chunk.c: an .ics file cut into its components, as text, one
 * at a time (icsread.h: the chunker). */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "icsread.h"
#include "xmalloc.h"

/* A line of the component, with the CRLF that the line end lost. */
static void
chunk_add(struct buf *b, const char *s, size_t len)
{
	buf_add(b, s, len);
	buf_add(b, "\r\n", 2);
}

/* Where the chunker is. */
struct chunk_state {
	enum { C_START, C_CAL, C_TZ, C_EVENT, C_OTHER, C_END } state;
	struct buf	 ev, tz;	/* the component being read */
	char		*other;		/* its name, in C_OTHER */
	int		 where;		/* line number */
	int		 start;		/* the component's first line */
	int		 depth;		/* of nested components, in C_OTHER */
	int		 skipping;	/* a property not kept */
	int		 nevents;
};

/* One line (s, len bytes, line end removed): 0, or -1 with *cause. */
static int
chunk_line(struct icsread_chunker *c, struct chunk_state *st, char *s,
    size_t len, char **cause)
{
	switch (st->state) {
	case C_START:
		if (st->where == 1 && len >= 3 &&
		    memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0')
			break;
		if (strcasecmp(s, "BEGIN:VCALENDAR") != 0) {
			xasprintf(cause, "line %d: no BEGIN:VCALENDAR",
			    st->where);
			return -1;
		}
		st->state = C_CAL;
		break;
	case C_CAL:
		if (strcasecmp(s, "BEGIN:VTIMEZONE") == 0) {
			buf_reset(&st->tz);
			chunk_add(&st->tz, s, len);
			st->start = st->where;
			st->state = C_TZ;
		} else if (strcasecmp(s, "BEGIN:VEVENT") == 0) {
			buf_reset(&st->ev);
			st->skipping = 0;
			chunk_add(&st->ev, s, len);
			st->start = st->where;
			st->state = C_EVENT;
		} else if (strcasecmp(s, "END:VCALENDAR") == 0)
			st->state = C_END;
		else if (strncasecmp(s, "BEGIN:", 6) == 0) {
			if (c->other == NULL) {
				xasprintf(cause, "line %d: unexpected "
				    "%s", st->where, s);
				return -1;
			}
			free(st->other);
			st->other = xstrdup(s + 6);
			st->depth = 1;
			st->start = st->where;
			st->state = C_OTHER;
		} else if (c->calprop != NULL &&
		    c->calprop(c->arg, s, st->where, cause) != 0)
			return -1;
		break;
	case C_TZ:
		chunk_add(&st->tz, s, len);
		if (strcasecmp(s, "END:VTIMEZONE") == 0) {
			if (c->zone(c->arg, st->tz.p, st->start, cause) != 0)
				return -1;
			st->state = C_CAL;
		}
		break;
	case C_EVENT:
		if (s[0] != ' ' && s[0] != '\t')
			st->skipping = c->skip_prop != NULL &&
			    c->skip_prop(s);
		if (!st->skipping)
			chunk_add(&st->ev, s, len);
		if (strcasecmp(s, "END:VEVENT") == 0) {
			if (st->ev.len > c->max_chunk)
				c->max_chunk = st->ev.len;
			st->nevents++;
			if (c->event(c->arg, st->ev.p, st->start, cause) != 0)
				return -1;
			st->state = C_CAL;
		}
		break;
	case C_OTHER:
		if (strncasecmp(s, "BEGIN:", 6) == 0)
			st->depth++;
		else if (strncasecmp(s, "END:", 4) == 0 &&
		    --st->depth == 0) {
			if (c->other(c->arg, st->other, st->start, cause) != 0)
				return -1;
			st->state = C_CAL;
		}
		break;
	case C_END:
		/* Calendars one after another: lenient readers
		 * (those that take other components) go on. */
		if (c->other != NULL &&
		    strcasecmp(s, "BEGIN:VCALENDAR") == 0) {
			st->state = C_CAL;
			break;
		}
		if (len != 0) {
			xasprintf(cause, "line %d: text after "
			    "END:VCALENDAR", st->where);
			return -1;
		}
		break;
	}
	return 0;
}

int
icsread_chunks(FILE *in, struct icsread_chunker *c, char **cause)
{
	struct chunk_state	 st;
	char			*line = NULL;
	size_t			 cap = 0, len;
	ssize_t			 got;
	int			 error = -1;

	memset(&st, 0, sizeof st);
	st.state = C_START;
	*cause = NULL;
	c->max_chunk = 0;
	while ((got = getline(&line, &cap, in)) != -1) {
		st.where++;
		len = (size_t)got;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			len--;
		line[len] = '\0';
		if (c->limit > 0 && (st.state == C_EVENT ? st.ev.len :
		    st.state == C_TZ ? st.tz.len : 0) + len > c->limit) {
			xasprintf(cause, "line %d: a component longer than "
			    "%zu bytes", st.where, c->limit);
			goto out;
		}
		if (chunk_line(c, &st, line, len, cause) != 0)
			goto out;
	}
	if (ferror(in)) {
		xasprintf(cause, "cannot read the file: %s", strerror(errno));
		goto out;
	}
	if (st.state == C_START) {
		xasprintf(cause, "file ends before BEGIN:VCALENDAR");
		goto out;
	}
	if (st.state != C_END) {
		xasprintf(cause, "file ends before END:VCALENDAR%s",
		    st.state == C_EVENT ? " (inside a VEVENT)" :
		    st.state == C_TZ ? " (inside a VTIMEZONE)" : "");
		error = ICSREAD_TRUNCATED;
		goto out;
	}
	error = 0;
out:
	free(st.other);
	buf_free(&st.ev);
	buf_free(&st.tz);
	free(line);
	return error;
}

int
icsread_sniff(const uint8_t *p, size_t n)
{
	static const char	 tag[] = "BEGIN:VCALENDAR";
	size_t			 i = 0;

	if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	return n - i >= sizeof tag - 1 &&
	    strncasecmp((const char *)p + i, tag, sizeof tag - 1) == 0;
}
