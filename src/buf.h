/* buf.h: a growable byte buffer, for text built piece by piece.
 *
 * A zeroed struct buf is empty. After any buf_add*() the bytes are
 * NUL-terminated (p[len] == '\0'), so p can be used as a string when
 * nothing added held a NUL. Growth doubles; a size that cannot be
 * allocated ends the program (xmalloc.h).
 * Ownership: the buffer owns p; buf_take() hands it to the caller and
 * leaves the buffer empty; buf_free() frees it.
 */
#ifndef BUF_H
#define BUF_H

#include <stddef.h>
#include <stdint.h>

struct buf {
	char	*p;
	size_t	 len, cap;
};

void	 buf_add(struct buf *, const void *, size_t);
void	 buf_addstr(struct buf *, const char *);
/* A code point as UTF-8 (text_utf8_put's encoding). */
void	 buf_addcp(struct buf *, uint32_t);
/* Empty again, keeping the storage: a scratch buffer reused. */
void	 buf_reset(struct buf *);
/* The text, never NULL (an empty buffer gives ""); the caller's. */
char	*buf_take(struct buf *);
void	 buf_free(struct buf *);

#endif
