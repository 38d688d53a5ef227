/* testutil.h: helpers shared by the Criterion tests.
 *
 * Everything returned is owned by the caller (free()); the helpers abort
 * the test through Criterion assertions on failure, so callers need no
 * error paths.
 */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stddef.h>

struct tu_run {
	int	 status;	/* exit status, or 128 + signal */
	char	*out;		/* captured stdout, NUL-terminated */
	char	*err;		/* captured stderr */
};

/* Environment variable or NULL when unset or empty. */
const char	*tu_env(const char *);
/* Run argv (argv[0] is a path) in dir (NULL = current), stdin from
 * /dev/null, capturing both streams. */
void		 tu_run(struct tu_run *, const char *dir, char *const argv[]);
void		 tu_run_free(struct tu_run *);
/* A fresh temporary directory; tu_rmdir() removes it recursively. */
char		*tu_tmpdir(void);
void		 tu_rmdir(const char *);
/* Whole file, NUL-terminated; *len may be NULL. NULL if unreadable. */
char		*tu_slurp(const char *, size_t *len);
void		 tu_spit(const char *, const void *, size_t);
/* Path join; owned by caller. */
char		*tu_path(const char *, const char *);
/* Number of entries in a directory, "." and ".." excluded. */
int		 tu_count_entries(const char *);
/* Build PST out from fixture tests/data/NAME with $MKPST; skips the
 * test when MKPST is not set. */
void		 tu_mkpst(const char *name, const char *out);

/* $PSTDEDUP, the program under test, or skip the test. */
const char	*tu_pstdedup(void);
/* Build dir/in.pst from iCalendar text with $MKPST (the text goes to a
 * sibling directory, so dir holds nothing but the PST); its path, owned
 * by the caller. Skips without $MKPST, fails when mkpst does. */
char		*tu_mkpst_text(const char *dir, const char *text, size_t len);

#endif
