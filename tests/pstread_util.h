/* pstread_util.h: helpers shared by the pstread test programs
 * (test_pstread*.c), moved out of test_pstread.c. */
#ifndef PSTREAD_UTIL_H
#define PSTREAD_UTIL_H

#include <dirent.h>
#include <libpff.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "testutil.h"
#include "pst/crc.h"
#include "pst/crypt.h"
#include "pst/mapi.h"
#include "pst/pst.h"
#include "pst/pstint.h"
#include "pst/walk.h"


/* What a comparison saw. */
struct cmp {
	size_t	 folders;
	size_t	 messages;
	size_t	 appointments;	/* IPM.Appointment* items compared */
	size_t	 entries;	/* property values compared */
	size_t	 named;		/* named-property ids checked */
	size_t	 rows;		/* recipient rows compared */
	size_t	 attachments;
	size_t	 embedded;
	size_t	 lpff_failed;	/* items libpff could not read: skipped */
	size_t	 mismatches;
	char	 first[512];
};

/* Our side of one record set: a PC, or one row of a TC. */
struct ours {
	struct pst_pc	*pc;
	struct pst_tc	*tc;
	size_t		 row;
};

void
mismatch(struct cmp *c, const char *fmt, ...);

int
ours_get(struct ours *o, uint16_t id, struct pst_prop *v, char **cause);

int
is_fixed(uint32_t type);

int
lpff_empty(const uint8_t *p, size_t n);

void
check_named(struct pst *f, libpff_record_entry_t *e, uint32_t id,
    struct cmp *c);

void
cmp_set(struct pst *f, libpff_record_set_t *rs, struct ours *o,
    const char *what, struct cmp *c);

void
cmp_attachments(struct pst *f, libpff_item_t *msg, struct pst_pc *pc,
    const char *what, struct cmp *c, int depth);

void
cmp_message(struct pst *f, libpff_item_t *msg, struct pst_pc *pc,
    const char *what, struct cmp *c, int depth);

void
cmp_folder(struct pst *f, libpff_item_t *fo, struct cmp *c, int depth);

int
cmp_file(const char *path, struct cmp *c);

char *
fixture(const char *name, char **dir);

const char *
corpus_dir(void);

#endif
