/* xmalloc.h: allocators that never return NULL.
 *
 * On exhaustion they print "pstdedup: out of memory" and exit with
 * EX_OSERR: the one place outside main.c allowed to exit, because no
 * caller could do anything useful with a NULL. Every result is owned by
 * the caller and released with free().
 */
#ifndef XMALLOC_H
#define XMALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
void	*xmemdup(const void *, size_t);
/* The exit above, for a library that returned NULL for want of memory. */
void	 xmalloc_die(void) __attribute__((noreturn));
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
