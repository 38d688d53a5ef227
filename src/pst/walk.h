/* walk.h: read everything a reader backend would read, and count it.
 *
 * Every folder's PC and contents table, every message's PC with all its
 * values, its recipient and attachment tables, each attachment's PC and
 * an embedded message's PC, recursively (depth-capped). Damaged parts
 * are counted and skipped, never fatal: the fuzzer, the bad-input tests
 * and a consistency check use it. No allocation survives the call.
 */
#ifndef PST_WALK_H
#define PST_WALK_H

#include <stddef.h>

#include "pst/pst.h"

struct pst_walk {
	size_t	folders;
	size_t	messages;	/* PCs opened (embedded ones included) */
	size_t	props;		/* values read */
	size_t	recipients;	/* recipient rows */
	size_t	attachments;	/* attachment PCs opened */
	size_t	embedded;	/* embedded message PCs opened */
	size_t	errors;		/* damaged parts skipped */
	char	*first_error;	/* the first one's cause, the caller's */
};

/* Walk f; counts into w (zeroed first). */
void	pst_walk(struct pst *, struct pst_walk *);

#endif
