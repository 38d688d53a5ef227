/* pstint.h: what file.c, ndb.c and ltp.c share; not for other users. */
#ifndef PST_PSTINT_H
#define PST_PSTINT_H

#include <stddef.h>
#include <stdint.h>

#include "pst/format.h"
#include "pst/pst.h"

/* A block of the block B-tree. */
struct pst_bent {
	uint64_t	bid;		/* reserved bit cleared */
	uint64_t	ib;
	uint16_t	cb;
	uint16_t	cb_inflated;
};

struct pst_namemap {
	int		 loaded;	/* 1 ok, -1 failed */
	uint8_t		*guids;
	size_t		 nguids;
	uint8_t		*entries;
	size_t		 nentries;
	uint8_t		*strings;
	size_t		 strings_len;
};

struct pst {
	const uint8_t		*map;		/* mmap or borrowed buffer */
	size_t			 maplen;
	int			 mapped;	/* map came from mmap */
	/* Mapped pages read since the last trim (file.c): their range and
	 * how much, so that done pages leave the resident set. */
	uint64_t		 touch_lo, touch_hi;
	size_t			 touch_bytes, touch_reads;
	int			 fd;		/* pread fallback, or -1 */
	uint64_t		 size;
	struct pst_header	 hdr;
	const struct pst_layout	*l;

	struct pst_node		*nodes;
	size_t			 nnodes;
	size_t			 nodes_cap;
	struct pst_bent		*blocks;
	size_t			 nblocks;
	size_t			 blocks_cap;

	int			 hier_built;
	uint32_t		*kids;		/* children grouped by parent */
	size_t			*kid_first;	/* per node: first in kids */
	size_t			*kid_count;
	uint32_t		*orphans;
	size_t			 norphans;

	struct pst_namemap	 nm;
};

void	pst_err(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* The one bounds-checked read: len bytes at off into dst. */
int	pst_file_read(struct pst *, uint64_t, size_t, void *, char **);
/* Drop the mapped pages read since the last trim from the resident set
 * (file.c; pst_file_read does it now and then by itself). */
void	pst_file_trim(struct pst *);
/* ndb.c: load both B-trees (called by open). */
int	pst_ndb_load(struct pst *, char **);
void	pst_ndb_free(struct pst *);
void	pst_ltp_free(struct pst *);
const struct pst_subnode *pst_subnode_find(const struct pst_subnode *,
	    size_t, uint32_t);

#endif
