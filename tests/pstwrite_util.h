/* pstwrite_util.h: helpers shared by the pstwrite test programs
 * (test_pstwrite*.c), moved out of test_pstwrite.c. */
#ifndef PSTWRITE_UTIL_H
#define PSTWRITE_UTIL_H

#include <sys/stat.h>
#include <sys/wait.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/parameterized.h>
#include <libpff.h>

#include "le.h"
#include "pstwrite.h"
#include "pst/crc.h"
#include "pst/crypt.h"
#include "testutil.h"


#define FT_BASE	132000000000000000LL	/* 2019-04-17 */

struct tmp {
	char	dir[64];
	char	path[128];
};

void
tmp_make(struct tmp *t);

int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *f);

void
tmp_free(struct tmp *t);

struct pstw *
open_w(const char *path);

uint32_t
mkfolder(struct pstw *w, uint32_t parent, const char *name, const char *cls);

struct pstw_msg *
appt(const char *subject);

/* Structural check, independent of the readers (which skip most CRCs). */

/* Offsets from MS-PST written out here, not taken from pst/format.h,
 * so the check does not share the writer's mistakes. */
struct chk {
	int		 ansi;		/* set before check_file_form() */
	int		 crypt;
	int		 nxblock;	/* internal blocks by kind */
	int		 nxxblock;
	int		 nslblock;
	int		 nsiblock;
	uint8_t		*f;
	size_t		 len;
	uint8_t		*used;		/* 1 per 64-byte slot reached */
	size_t		 nbbt;
	size_t		 nnbt;
	int		 bbtdepth;
	int		 nbtdepth;
	int		 nfmap;
	uint64_t	*bbt;		/* bid, ib, cb triples in BID order */
	uint32_t	*nbt;		/* nid, bidData low, high */
	int		 npc;
	int		 ntc;
};

uint16_t
sig(uint64_t ib, uint64_t bid);

void
mark(struct chk *c, uint64_t off, uint64_t size);

uint64_t
id_get(const struct chk *c, const uint8_t *p);

void
check_block(struct chk *c, uint64_t bid, uint64_t ib, uint16_t cb);

void
check_ptrailer(const struct chk *c, const uint8_t *pg, uint8_t ptype,
    uint16_t wsig, uint64_t bid);

int
check_bt(struct chk *c, int nbt, uint64_t bid, uint64_t ib, uint64_t *prev,
    uint64_t firstkey, int haskey);

const uint8_t *
block_of(struct chk *c, uint64_t bid, size_t *cb);

const uint8_t *
heap_item(const uint8_t *b, size_t cb, uint32_t hid, size_t *len);

void
check_heaps(struct chk *c);

void
check_file_form(const char *path, struct chk *c);

void
check_file(const char *path, struct chk *c);

void
chk_free(struct chk *c);

libpff_file_t *
pff_open(const char *path);

void
pff_close(libpff_file_t *f);

libpff_record_entry_t *
entry(libpff_item_t *item, int set, uint32_t id);

char *
e_str(libpff_record_entry_t *e);

uint8_t *
e_data(libpff_record_entry_t *e, size_t *len);

void
assert_str(libpff_item_t *item, int set, uint32_t id, const char *want);

libpff_item_t *
subfolder(libpff_item_t *parent, const char *name);

libpff_item_t *
folder_path(libpff_file_t *f, const char *a, const char *b);

int
nmessages(libpff_item_t *folder);

libpff_item_t *
message(libpff_item_t *folder, int i);

void
check_pffinfo(const char *path);

libpff_file_t *
close_and_open(struct pstw *w, const char *path, libpff_item_t **cal,
    libpff_item_t **msg);

void
add_files(struct pstw_msg *m, size_t n);

void
check_files(libpff_item_t *msg, size_t n, size_t step);

int
readpst_scan(struct tmp *t, const char *type, const char *item,
    const char *want, int *found);

#endif
