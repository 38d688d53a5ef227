/* reader_util.h: helpers shared by the reader test programs
 * (test_reader*.c), moved out of test_reader.c. */
#ifndef READER_UTIL_H
#define READER_UTIL_H

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


#include "ft.h"
#include "pstwrite.h"
#include "reader.h"
#include "writer.h"
#include "testutil.h"
#include "xmalloc.h"


void
read_ok(const char *name, const struct reader_opts *o,
    struct reader_result *r);

/* Generated PSTs: pstwrite plants exactly the properties under test. */

struct fix {
	char		 dir[32];
	char		*path;
	struct pstw	*w;
	uint32_t	 cal;
	uint16_t	 start, end, replace, subtype;
};

void
fix_open(struct fix *fx);

void
fix_names(struct fix *fx);

struct pstw_msg *
fix_appt(struct fix *fx, const char *subject, int64_t start, int64_t end);

void
fix_write(struct fix *fx, uint32_t folder, struct pstw_msg *m);

void
fix_read(struct fix *fx, const struct reader_opts *o,
    struct reader_result *r);

struct appt *
fix_read_one(struct fix *fx, const struct reader_opts *o,
    struct reader_result *r);

struct appt *
find(const struct reader_result *r, const char *subject);

void
mkpst_read(const char *ics, const struct reader_opts *o,
    struct reader_result *r);

#endif
