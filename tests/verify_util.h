/* verify_util.h: helpers shared by the verify test programs
 * (test_verify*.c), moved out of test_verify.c. */
#ifndef VERIFY_UTIL_H
#define VERIFY_UTIL_H

#include <dirent.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dedup.h"
#include "outfile.h"
#include "reader.h"
#include "testutil.h"
#include "verify.h"
#include "writer.h"


/* One input read and grouped, and its two files rendered as text. */
struct vrun {
	struct reader_result	 rr;
	struct dedup_result	 dr;
	struct appt		**kept, **removed;
	size_t			 nkept, nremoved;
	char			*cal, *rem;	/* rendered text */
	size_t			 callen, remlen;
};

char *
render(struct appt **v, size_t n, size_t *len);

int
vrun_load(struct vrun *r, const char *path, int all);

void
vrun_free(struct vrun *r);

int
check_text(const char *text, size_t len, struct appt **v, size_t n,
    int shared, struct verify_stats *stats, char **cause);

char *
fixture_pst(const char *dir, const char *name);

void
load_fixture(struct vrun *r, const char *dir, const char *name, int all);

void
each_fixture(void (*fn)(const char *, const char *));

void
load_tamper(struct vrun *r, const char *name);

#endif
