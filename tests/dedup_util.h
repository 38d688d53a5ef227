/* dedup_util.h: helpers shared by the dedup test programs
 * (test_dedup*.c), moved out of test_dedup.c. */
#ifndef DEDUP_UTIL_H
#define DEDUP_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "dedup.h"
#include "ft.h"
#include "model.h"
#include "reader.h"
#include "recur.h"
#include "testutil.h"
#include "writer.h"
#include "xmalloc.h"


#define T0 1709629200LL /* 2024-03-05 09:00:00Z */

#define DAY 86400LL

extern const uint8_t goid_prefix[16];

int64_t
ft(int64_t unix_sec);

struct appt *
mk(struct appt_list *l, const char *subject, int64_t start, int minutes);

void
goid_bytes(uint8_t *g, int tag, int year);

void
set_clean(struct appt *a, int tag);

struct appt *
mk_clean(struct appt_list *l, const char *subject, int64_t start, int minutes,
    int tag);

void
run(struct appt_list *l, const struct dedup_opts *o, struct dedup_result *r);

void
set_weekly_v(
    struct appt *a, const uint32_t *deleted, size_t ndeleted, uint32_t version);

void
set_weekly(struct appt *a, const uint32_t *deleted, size_t ndeleted);

#endif
