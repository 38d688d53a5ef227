/* err.h: the library's error codes, one space for every module.
 *
 * A function that can fail returns 0, or a negative code from this list
 * with an allocated *cause (the caller frees it). -1 is always ERR_DATA;
 * a module whose failures are all of one kind returns -1 and says so in
 * its header. The cause says what went wrong and why, never which file:
 * the caller, who knows the path, prints `pstdedup: PATH: cause`.
 * err_status() turns a code into the exit status the man page lists.
 */
#ifndef ERR_H
#define ERR_H

#define ERR_DATA	(-1)	/* bad input data: not a PST, damaged */
#define ERR_NOINPUT	(-2)	/* the input is missing or unreadable */
#define ERR_IO		(-3)	/* a read or write failed (disk full) */
#define ERR_CANTCREAT	(-4)	/* an output cannot be created */
#define ERR_EXISTS	(-5)	/* an output exists: not replaced */
#define ERR_SOFTWARE	(-6)	/* a library failed where it must not */

/* The sysexits status for a code (EX_OK for 0). */
int	err_status(int);

#endif
