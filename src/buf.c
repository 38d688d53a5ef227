/* buf.c: the growable byte buffer (buf.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "model.h"
#include "text.h"
#include "xmalloc.h"

void
buf_add(struct buf *b, const void *p, size_t n)
{
	size_t	cap;

	if (n >= SIZE_MAX - b->len)
		xmalloc_die();
	if (b->cap - b->len < n + 1) {
		cap = b->cap == 0 ? 256 : b->cap;
		while (cap - b->len < n + 1) {
			if (cap > SIZE_MAX / 2)
				xmalloc_die();
			cap *= 2;
		}
		b->p = xreallocarray(b->p, cap, 1);
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_addstr(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addcp(struct buf *b, uint32_t cp)
{
	char	u[4];

	buf_add(b, u, text_utf8_put(cp, u));
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

char *
buf_take(struct buf *b)
{
	char	*p = b->p != NULL ? b->p : xstrdup("");

	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
