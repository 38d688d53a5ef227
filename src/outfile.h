/* outfile.h: output files that appear whole or not at all.
 *
 * outfile_open() creates a temporary file beside the target (mkstemp,
 * "NAME.XXXXXX"); the caller writes through outfile_fp();
 * outfile_commit() checks every write, flushes, fsyncs, closes and
 * renames the temporary over the target, which replaces an existing
 * file atomically (its permission bits are kept). On any failure, and
 * in outfile_abort(), the temporary is unlinked. "-" (stdout) and a
 * target that exists and is not a regular file (/dev/null,
 * /dev/full, a FIFO) are written to an unlinked scratch file first
 * (in $TMPDIR), which commit copies out, so that they can be read back
 * and a failed run writes nothing to them.
 *
 * Errors: 0, OUTFILE_CANTCREAT (the file cannot be created) or
 * OUTFILE_IOERR (no space or an I/O error at creation, or a write,
 * flush, sync, close or rename failed), with
 * *cause allocated as "what: why" (e.g. "cannot create: Permission
 * denied"); the caller prefixes the path.
 * Ownership: outfile_commit() and outfile_abort() free the outfile.
 */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <stdio.h>

#include "err.h"

#define OUTFILE_CANTCREAT	ERR_CANTCREAT
#define OUTFILE_IOERR		ERR_IO
#define OUTFILE_EXISTS		ERR_EXISTS	/* the target exists: not
						   replaced */

struct outfile;

int	outfile_open(const char *, struct outfile **, char **);
/* As outfile_open(), but unless force is set a target that exists (a
 * regular file or a symbolic link) is refused with OUTFILE_EXISTS
 * ("already exists"), at open and again atomically at commit: the
 * temporary then takes the name only if it is still free
 * (renameat2 RENAME_NOREPLACE, else link(2)). Devices and FIFOs are
 * written in place either way. */
int	outfile_create(const char *, int, struct outfile **, char **);
FILE	*outfile_fp(struct outfile *);

/* A read stream over what has been written so far, from its start, to
 * check it before commit. It shares the file offset with the output:
 * read it to its end, or abort, before writing more. The caller
 * fcloses it. NULL with *cause ("cannot write: why" when what was
 * written could not be flushed, else "cannot read back: why"). */
FILE	*outfile_reread(struct outfile *, char **);

/* A scratch stream for data too big to keep in memory: an unlinked
 * file beside the outfile's temporary (of NULL or not a regular file:
 * in $TMPDIR, else /tmp), so it vanishes on close or exit. The caller
 * fcloses it. NULL with *cause ("cannot create a scratch file: why"). */
FILE	*outfile_scratch(struct outfile *, char **);
/* What to name in a message about those scratch files: the output
 * they sit beside, or their directory. */
const char *outfile_scratch_where(const struct outfile *);
int	outfile_commit(struct outfile *, char **);
void	outfile_abort(struct outfile *);

/* Unlink every temporary still open. Async-signal-safe: for a handler
 * of SIGINT, SIGTERM and the like, which then re-raises the signal. */
void	outfile_cleanup(void);

/* Whether two paths name the same file: equal after normalization of
 * "./" and "//", or the same device and inode. "-" is never the same as
 * anything. */
int	outfile_same(const char *, const char *);

#endif
