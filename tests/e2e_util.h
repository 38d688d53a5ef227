/* e2e_util.h: helpers shared by the e2e test programs
 * (test_e2e*.c), moved out of test_e2e.c. */
#ifndef E2E_UTIL_H
#define E2E_UTIL_H

#include <dirent.h>
#include <ctype.h>
#include <dirent.h>
#include <libical/ical.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "testutil.h"


#define MAXARGS		24

#define FIXTURE		"grouping.ics"

#define CALENDAR	"/Top of Personal Folders/Calendar"

#define GOID		"040000008200E00074C5B7101A82E00800000000A0B1C2D3E4" \
			"F5DA01000000000000000010000000C0FFEE00112233445566" \
			"778899AABB"

#define SYNC		"Quest Sync Agent"

#define CRA		"Calendar Repair Assistant"

#define ALEX		"Alex Example"

/* ---- running pstdedup ------------------------------------------------- */

struct e2e {
	char		*dir;
	char		*pst;
	struct tu_run	 r;
	json_t		*rep;		/* r.json, or NULL */
	icalcomponent	*clean;		/* clean.ics, or NULL */
	icalcomponent	*removed;	/* removed.ics, or NULL */
};

icalcomponent *
load_folders(const char *dir, const char *stem);

void
e2e_setup_with(struct e2e *e, const char *fixture);

void
e2e_setup(struct e2e *e);

void
e2e_exec(struct e2e *e, ...);

/* The usual run: report, clean and removed calendars, plus options. */
#define E2E_RUN(e, ...) e2e_exec((e), "-R", "r.json", "-o", "clean.ics", \
	"-r", "removed.ics", __VA_ARGS__, (char *)NULL)

void
e2e_free(struct e2e *e);

/* ---- expectations ------------------------------------------------------ */

/* One expected group, its copies named by creator. */
struct egroup {
	const char	*kind;
	const char	*subject;	/* compared case- and space-folded */
	const char	*kept;
	const char	*others[3];	/* removed, or also kept for a
					   conflict; NULL-terminated */
};

char *
fold(const char *s);

int
same_subject(const char *a, const char *b);

size_t
count_strs(const char *const *v);

void
check_copies(const json_t *list, const char *const *want,
    const json_t *kept, int conflict, int removed);

void
check_groups(const json_t *rep, const struct egroup *want, size_t nwant);

void
check_totals(const json_t *rep, long read, long kept, long removed,
    long groups, long conflicts, long skipped, long left_out);

size_t
count_events(icalcomponent *cal, int with_rid);

size_t
count_summary(icalcomponent *cal, const char *s);

icalcomponent **
masters(icalcomponent *cal);

void
check_uids(icalcomponent *cal, icalcomponent *other);

void
check_no_duplicate(icalcomponent *cal);

/* The size is spelled out so that NGROUPS can take sizeof of it. */
extern const struct egroup default_groups[6];

#define NGROUPS (sizeof default_groups / sizeof default_groups[0])

#endif
