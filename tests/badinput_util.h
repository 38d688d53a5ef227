/* badinput_util.h: helpers shared by the badinput test programs
 * (test_badinput*.c), moved out of test_badinput.c. */
#ifndef BADINPUT_UTIL_H
#define BADINPUT_UTIL_H

#include <sys/resource.h>
#include <sys/stat.h>

#include <libical/ical.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft.h"
#include "le.h"
#include "pstwrite.h"
#include "testutil.h"


struct totals {
	long	read, kept, removed, skipped;
};

void
check_messages(const char *err, const char *name);

json_t *
report(const char *dir, const char *name);

void
check_totals(const char *dir, const char *name, struct totals *t);

int
valid_utf8(const unsigned char *s, size_t len);

int
check_ics(const char *dir, const char *name, icalcomponent **calp);

char *
in_pst_dir(char **pst);

void
run_in(struct tu_run *r, const char *dir);

#endif
