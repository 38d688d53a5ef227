/* recur_util.h: helpers shared by the recur test programs
 * (test_recur*.c), moved out of test_recur.c. */
#ifndef RECUR_UTIL_H
#define RECUR_UTIL_H

#include <libpff.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ft.h"
#include "recur.h"
#include "xmalloc.h"
#include "testutil.h"
#include "tz.h"


extern const uint8_t distlist_recur[152];

extern const uint8_t pacific_reg[48];

uint32_t
day(int y, int m, int d);

#endif
