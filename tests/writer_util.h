/* writer_util.h: helpers shared by the writer test programs
 * (test_writer*.c), moved out of test_writer.c. */
#ifndef WRITER_UTIL_H
#define WRITER_UTIL_H

#include <libical/ical.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ft.h"
#include "model.h"
#include "recur.h"
#include "rtf.h"
#include "testutil.h"
#include "tz.h"
#include "writer.h"
#include "xmalloc.h"


struct warns {
	int	 n;
	char	 last[512];
	const struct appt *item;	/* of the last warning */
};

void
on_warn(void *arg, const struct appt *a, const char *msg);

uint32_t
mins(int y, int mo, int d, int h, int mi);

int64_t
unix_of(int y, int mo, int d, int h, int mi);

struct tz_rule
rule(int32_t bias, int32_t dst_bias, int sm, int sd, int sh, int dm, int dd,
    int dh);

struct tz_rule
r_weurope(void);

struct tz_rule
r_mountain(void);

struct tz_rule
r_adelaide(void);

struct tz_rule
r_india(void);

void
set_def(struct appt_blob *b, const char *key, struct tz_rule r);

void
set_reg(struct appt_blob *b, struct tz_rule r);

struct appt *
mk(const char *subject, int64_t start, int64_t end);

char *
render(struct appt **v, size_t n, struct warns *w);

char *
render_cal(struct appt **v, size_t n, struct warns *w, icalcomponent **cal);

void
release(icalcomponent *cal, char *out, struct appt *a);

icalcomponent *
event(icalcomponent *cal, int idx);

int
nevents(icalcomponent *cal);

const char *
xprop(icalcomponent *ev, const char *name);

int
has(const char *text, const char *needle);

void
free_all(struct appt **v, size_t n);

void
release_all(icalcomponent *cal, char *out, struct appt **v, size_t n);

void
check_tzids(icalcomponent *cal);

void
check_controls(const char *text);

void
check_restrictions(const char *text);

extern const uint8_t goid_guid[56];

extern const char goid_clean_hex[];

void
set_recur(struct appt *a, const struct recur *r);

struct appt *
weekly_series(void);

void
attach(struct appt *a, const char *name, const char *mime, const void *data,
    size_t len, int embedded);

int
nattach(icalcomponent *ev);

#endif
