/* mkpst_util.h: helpers shared by the mkpst test programs
 * (test_mkpst*.c), moved out of test_mkpst.c. */
#ifndef MKPST_UTIL_H
#define MKPST_UTIL_H

#include <sys/stat.h>

#include <criterion/parameterized.h>
#include <libpff.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ft.h"
#include "le.h"
#include "model.h"
#include "recur.h"
#include "rtf.h"
#include "testutil.h"
#include "text.h"
#include "tz.h"


extern const uint8_t ps_meeting[16];

/* One property as libpff reports it. */
struct tprop {
	uint32_t	 tag;		/* raw on-disk tag */
	uint32_t	 type;
	int		 named;		/* 0, 'n' numeric, 's' string */
	uint8_t		 guid[16];
	uint32_t	 lid;
	char		*name;
	uint8_t		*data;
	size_t		 len;
};

struct tset {
	struct tprop	*v;
	size_t		 n;
};

struct tmsg {
	char		*folder;	/* "Calendar/Project X" */
	char		*fclass;
	struct tset	 props;
	struct tset	*rcpts;
	size_t		 nrcpts;
	struct tset	*atts;		/* attachment properties */
	struct tmsg	**embs;		/* embedded message or NULL */
	size_t		 natts;
};

struct tpst {
	struct tmsg	**v;
	size_t		 n;
};

void
set_free(struct tset *s);

void
msg_free(struct tmsg *m);

void
tpst_free(struct tpst *t);

void
read_set(libpff_record_set_t *rs, struct tset *s);

void
read_item_props(libpff_item_t *item, struct tset *s);

struct tmsg *
read_msg(libpff_item_t *msg, const char *folder, const char *fclass);

void
walk(libpff_item_t *folder, const char *path, struct tpst *t);

void
load(const char *path, struct tpst *t);

void
built_free(struct tpst *t, char *out, char *dir);

const struct tprop *
get_tag(const struct tset *s, uint32_t tag);

const struct tprop *
get_lid(const struct tset *s, const uint8_t guid[16], uint32_t lid);

char *
utf16_str(const struct tprop *p);

char *
set_str(const struct tset *s, uint32_t tag);

struct tmsg *
by_subject(const struct tpst *t, const char *subject, int nth);

void
expect_str(const struct tset *s, uint32_t tag, const char *want);

const struct tset *
rcpt(const struct tmsg *m, const char *smtp);

char *
readpst_text(const char *pst, const char *dir);

void
pffinfo_ok(const char *pst);

#endif
