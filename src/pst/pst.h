/* pst.h: our own PST/OST reader, over the format of format.h.
 *
 * Layers, as MS-PST names them:
 *  - file (file.c): open read-only with mmap (pread when mapping is
 *    impossible or asked for); every byte goes through one bounds-checked
 *    read. The header is parsed and checked (magic, CRCs, version, sizes).
 *  - NDB (ndb.c): both B-trees loaded once, each page checked, into
 *    sorted arrays; blocks read with their trailers checked, decoded
 *    (permute, cyclic) and inflated (4K OST); data trees and subnode trees;
 *    the folder hierarchy from the node B-tree's parent links.
 *  - LTP (ltp.c): heap-on-node, BTH, property and table contexts, strings;
 *    namemap.c: the name-to-id map.
 *  - Messaging (folder.c): folders and a folder's messages; walk.c (walk.h)
 *    reads everything once, for tests and the fuzzer.
 *
 * Errors: every function that can fail returns -1 (lookups: 0 = absent,
 * 1 = found, -1 = damaged) and sets *cause to a message the caller frees;
 * cause may be NULL. Nothing prints or exits (but out of memory exits,
 * as xmalloc.h says). A damaged structure is an error of the call that
 * met it; the rest of the file stays readable.
 *
 * Ownership: struct pst owns its mapping, indexes and name map, released
 * by pst_close(). A pst_pc or pst_tc owns its heap, subnodes and every
 * value it returned, released by pst_pc_free()/pst_tc_free(); values in
 * a struct pst_prop stay valid until then. Arrays returned through
 * pointer arguments belong to the caller (free()) unless marked
 * "borrowed". Objects must not outlive the struct pst they came from.
 * Not thread-safe per struct pst.
 */
#ifndef PST_PST_H
#define PST_PST_H

#include <stddef.h>
#include <stdint.h>

#include "pst/format.h"

struct pst;
struct pst_pc;
struct pst_tc;

#define PST_OPEN_PREAD	0x1	/* never mmap: the fallback path, for tests */

/* One node of the node B-tree. */
struct pst_node {
	uint32_t	nid;
	uint32_t	parent;
	uint64_t	bid_data;
	uint64_t	bid_sub;
};

/* One subnode (SLENTRY) of a node's subnode tree. */
struct pst_subnode {
	uint32_t	nid;
	uint64_t	bid_data;
	uint64_t	bid_sub;
};

/* A node's data: the decoded leaf blocks of its data tree, in order. */
struct pst_seg {
	uint8_t		*p;
	size_t		 len;
};

struct pst_data {
	struct pst_seg	*seg;
	size_t		 nseg;
	size_t		 total;
};

/* A property value: type and bytes. Fixed-size values are little-endian
 * in p (2 bytes for PT_SHORT, 1 for PT_BOOLEAN, 4 or 8 otherwise);
 * strings are as stored (UTF-16LE without NUL, or 8-bit). */
struct pst_prop {
	uint16_t	 id;
	uint16_t	 type;
	const uint8_t	*p;		/* borrowed from the PC/TC */
	size_t		 len;
};

/* A folder, from its PC (and the NBT). */
struct pst_folder {
	uint32_t	 nid;
	uint32_t	 parent;
	char		*name;		/* UTF-8, "" when absent */
	char		*container_class; /* UTF-8, or NULL */
	int64_t		 content_count;	/* -1 when absent */
	int		 ok;		/* 0: PC unreadable, cause in err */
	char		*err;
};

/* The messages of a folder. */
struct pst_msglist {
	uint32_t	*nid;		/* the table's order, then the rest */
	size_t		 n;
	size_t		 table_rows;	/* rows in its contents table */
	size_t		 missing;	/* table rows naming no NBT node */
	size_t		 extra;		/* NBT children absent from the table */
	int		 table_ok;	/* 0: no table, or unreadable */
};

/* file.c */
int		 pst_open(const char *, int, struct pst **, char **);
/* Over a caller's buffer (borrowed; it must outlive the struct pst). */
int		 pst_open_mem(const void *, size_t, struct pst **, char **);
void		 pst_close(struct pst *);
const struct pst_header *pst_header(const struct pst *);
const struct pst_layout *pst_file_layout(const struct pst *);
uint64_t	 pst_file_size(const struct pst *);

/* ndb.c: the node B-tree, sorted by NID (borrowed). */
const struct pst_node *pst_nodes(const struct pst *, size_t *);
const struct pst_node *pst_node_find(const struct pst *, uint32_t);
size_t		 pst_block_count(const struct pst *);
/* One block, decoded: *out is the caller's. */
int		 pst_block_read(struct pst *, uint64_t, uint8_t **, size_t *,
		    char **);
/* A data tree (bid 0: empty); free with pst_data_free(). */
int		 pst_data_read(struct pst *, uint64_t, struct pst_data *,
		    char **);
void		 pst_data_free(struct pst_data *);
/* Whole data as one buffer (the caller's). */
int		 pst_data_flat(const struct pst_data *, uint8_t **, size_t *);
/* A subnode tree (bid 0: none), sorted by NID; *out is the caller's. */
int		 pst_subnodes_read(struct pst *, uint64_t,
		    struct pst_subnode **, size_t *, char **);
/* Children of nid by the NBT's parent links (borrowed), and the nodes
 * whose parent is missing from the NBT. */
const uint32_t	*pst_children(struct pst *, uint32_t, size_t *);
const uint32_t	*pst_orphans(struct pst *, size_t *);

/* ltp.c: property contexts. */
int		 pst_pc_open(struct pst *, uint32_t, struct pst_pc **, char **);
/* A subnode of owner that is itself a PC: an attachment of a message,
 * or the embedded message (PtypObject's NID) of an attachment. */
int		 pst_pc_open_sub(struct pst_pc *, uint32_t, struct pst_pc **,
		    char **);
void		 pst_pc_free(struct pst_pc *);
size_t		 pst_pc_count(const struct pst_pc *);
/* The i-th property (ascending id); its value as pst_pc_get gives it. */
int		 pst_pc_at(struct pst_pc *, size_t, struct pst_prop *, char **);
/* 1 found, 0 absent, -1 damaged. */
int		 pst_pc_get(struct pst_pc *, uint16_t, struct pst_prop *,
		    char **);
/* A PtypObject value's subnode NID (for pst_pc_open_sub). */
int		 pst_prop_object(const struct pst_prop *, uint32_t *);
/* The node this PC was opened on. */
uint32_t	 pst_pc_nid(const struct pst_pc *);
/* Whether owner's node has subnode nid (a message without attachments
 * has no attachment table: no error). */
int		 pst_pc_has_sub(const struct pst_pc *, uint32_t);
/* The bytes of subnode nid of owner's node (an OLE attachment's
 * PtypObject), valid while owner is. */
int		 pst_pc_sub_bytes(struct pst_pc *, uint32_t, const uint8_t **,
		    size_t *, char **);

/* ltp.c: table contexts. */
int		 pst_tc_open(struct pst *, uint32_t, struct pst_tc **, char **);
int		 pst_tc_open_sub(struct pst_pc *, uint32_t, struct pst_tc **,
		    char **);
void		 pst_tc_free(struct pst_tc *);
size_t		 pst_tc_rows(const struct pst_tc *);
size_t		 pst_tc_cols(const struct pst_tc *);
/* Column i's tag (id << 16 | type). */
uint32_t	 pst_tc_col_tag(const struct pst_tc *, size_t);
/* A row's id (PidTagLtpRowId); -1 if the row has none. */
int		 pst_tc_row_id(struct pst_tc *, size_t, uint32_t *, char **);
/* The cell of property id in row; 1 found, 0 absent, -1 damaged. */
int		 pst_tc_get(struct pst_tc *, size_t, uint16_t,
		    struct pst_prop *, char **);

/* namemap.c: named properties (name-to-id map, loaded on first use). The
 * property id, or 0 when the file does not define that name. */
int		 pst_named_lid(struct pst *, const uint8_t[16], uint32_t,
		    uint16_t *, char **);
int		 pst_named_string(struct pst *, const uint8_t[16], const char *,
		    uint16_t *, char **);

/* ltp.c: strings. UTF-16LE or 8-bit (taken as Windows-1252) to UTF-8
 * by text.h, NUL-terminated, the caller's; -1 for a type that is no
 * string. */
int		 pst_prop_utf8(const struct pst_prop *, char **);

/* folder.c: every folder (NID types 2 and
 * 3) with its PC read; *out is the caller's (pst_folders_free). */
int		 pst_folders(struct pst *, struct pst_folder **, size_t *,
		    char **);
void		 pst_folders_free(struct pst_folder *, size_t);
/* A folder's messages: its contents table's rows, then NBT children of
 * message type that the table lacks. -1 only when neither exists. */
int		 pst_folder_messages(struct pst *, uint32_t,
		    struct pst_msglist *, char **);
void		 pst_msglist_free(struct pst_msglist *);

#endif
