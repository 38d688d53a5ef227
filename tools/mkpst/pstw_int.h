/*
 * pstw_int.h: what the PST writer's layers share, private to them: the
 * writer's state, nodes being built, heaps, tables and the MS-PST table
 * templates. pstw_ndb.c: the file, its regions and maps, blocks, data
 * trees, subnodes and the B-trees (NDB); pstw_ltp.c: heaps, BTHs, property
 * and table contexts (LTP); pstw_msg.c: property lists, messages,
 * recipients and attachments; pstwrite.c: open and close, folders, the
 * store and the name map. What is allocated hangs from a struct pstw or
 * a struct pstw_msg, freed with it.
 */

#ifndef PSTW_INT_H
#define PSTW_INT_H

#include <stddef.h>
#include <stdint.h>

#include "pstwrite.h"
#include "pst/format.h"

#define SLOTS		(PST_REGION_SIZE / PST_BLOCK_ALIGN) /* per region */
#define MAPBITS		496		/* bytes of bits in a map page */
#define OUTBUF		(1024 * 1024)
#define NBUCKETS	251

struct prop {
	uint16_t	 id;
	uint16_t	 type;
	size_t		 len;
	uint8_t		*data;
};

struct pstw_props {
	struct prop	*v;
	size_t		 n;
	size_t		 cap;
};

struct pstw_attach {
	struct pstw_props	 props;
	uint8_t			*data;
	size_t			 len;
	int			 hasdata;
	int			 ole;	/* data is an OLE object's */
	struct pstw_msg		*embed;
};

struct pstw_msg {
	struct pstw_props	  props;
	struct pstw_props	**rcpt;
	size_t			  nrcpt;
	size_t			  caprcpt;
	struct pstw_attach	**att;
	size_t			  natt;
	size_t			  capatt;
};

struct bbtent {
	uint64_t	bid;
	uint64_t	ib;
	uint16_t	cb;
	uint16_t	cref;
};

struct nbtent {
	uint32_t	nid;
	uint32_t	parent;
	uint64_t	data;
	uint64_t	sub;
};

struct folder {
	uint32_t	  nid;
	uint32_t	  parent;
	char		 *name;
	char		 *cls;
	uint8_t		**rows;		/* packed contents-table rows */
	uint32_t	 *rownid;
	size_t		  nrows;
	size_t		  caprows;
};

struct named {
	uint16_t	 gidx;		/* 1 PS_MAPI, 2 PS_PUBLIC_STRINGS, 3+ */
	uint32_t	 lid;
	uint8_t		*str;		/* UTF-16LE name, or NULL if numeric */
	size_t		 slen;
};

struct pstw {
	const struct pst_layout *l;
	enum pst_crypt	  crypt;
	size_t		  blkdata;	/* data bytes in the biggest block */
	size_t		  xmax;		/* BIDs per XBLOCK/XXBLOCK */
	size_t		  slmax;	/* entries per SLBLOCK */
	size_t		  simax;	/* entries per SIBLOCK */
	char		 *path;
	int		  fd;
	int		  werr;		/* sticky errno of a failed write */
	char		 *name;
	uint8_t		  uid[16];

	uint8_t		 *buf;		/* output not yet written */
	uint64_t	  bufoff;
	size_t		  buflen;

	uint64_t	  next;		/* next free file offset */
	uint64_t	  region;
	uint8_t		  amap[MAPBITS];
	uint8_t		 *maxfree;	/* per region, for the FMaps */
	size_t		  capfree;
	uint64_t	  freeslots;

	uint64_t	  nextbid;
	uint64_t	  nextpbid;
	struct bbtent	 *bbt;
	size_t		  nbbt;
	size_t		  capbbt;
	struct nbtent	 *nbt;
	size_t		  nnbt;
	size_t		  capnbt;

	struct folder	 *folders;
	size_t		  nfolders;
	uint32_t	  nextfolder;
	uint32_t	  nextmsg;

	uint8_t		(*guids)[16];
	size_t		  nguids;
	struct named	 *names;
	size_t		  nnames;

	uint64_t	  emptyrcpt;	/* shared empty recipient table */
	size_t		  emptyrcptidx;

	uint8_t		  blk[PST_BLOCK_MAX];
};

/* Subnodes collected while building one node (SLENTRYs). */
struct sub {
	uint32_t	nid;
	uint64_t	data;
	uint64_t	sub;
};

struct node {
	struct sub	*v;
	size_t		 n;
	size_t		 cap;
	uint32_t	*ctr;		/* next subnode index (per message) */
};

/* A data tree being written: leaf BIDs and sizes. */
struct dtree {
	uint64_t	*bids;
	uint16_t	*sizes;
	size_t		 n;
	size_t		 cap;
};

struct hblk {
	uint8_t		*d;
	uint16_t	*off;
	size_t		 noff;
	size_t		 capoff;
	size_t		 used;
};

/* A heap-on-node under construction, all blocks in memory. */
struct hn {
	struct hblk	*b;
	size_t		 n;
	size_t		 cap;
	const struct pst_layout *l;
	size_t		 max;		/* data bytes per heap block */
	uint8_t		 sig;
	uint8_t		 avoid;		/* block index % 8 to leave empty */
};

struct tcol {
	uint32_t	tag;
	uint16_t	ib;
	uint8_t		cb;
	uint8_t		bit;
};

struct trow {
	uint32_t	 id;
	struct prop	*v;
	size_t		 n;
};

typedef void (*rowfn)(void *, size_t, struct trow *);

/* MS-PST table templates (MS-PST 2.4.8). */
static const uint32_t cols_hier[] = { 0x0E300102, 0x0E330014, 0x0E340102,
	0x0E380003, 0x3001001F, 0x36020003, 0x36030003, 0x360A000B, 0x3613001F,
	0x66350003, 0x66360003 };
static const uint32_t cols_contents[] = { 0x00170003, 0x001A001F, 0x00360003,
	0x0037001F, 0x00390040, 0x0042001F, 0x0057000B, 0x0058000B, 0x0070001F,
	0x00710102, 0x0E03001F, 0x0E04001F, 0x0E060040, 0x0E070003, 0x0E080003,
	0x0E170003, 0x0E300102, 0x0E330014, 0x0E340102, 0x0E380003, 0x0E3C0102,
	0x0E3D0102, 0x10970003, 0x30080040, 0x30130102, 0x65C60003 };
static const uint32_t cols_fai[] = { 0x001A001F, 0x0E070003, 0x0E170003,
	0x3001001F, 0x6800001F, 0x6803000B, 0x68051003, 0x682F001F, 0x70030003,
	0x70040102, 0x70050102, 0x7006001F, 0x70070003 };
static const uint32_t cols_search[] = { 0x00170003, 0x001A001F, 0x00360003,
	0x0037001F, 0x0042001F, 0x0057000B, 0x0058000B, 0x0E03001F, 0x0E04001F,
	0x0E05001F, 0x0E060040, 0x0E070003, 0x0E080003, 0x0E170003, 0x0E2A000B,
	0x30080040, 0x67F10003 };
static const uint32_t cols_recvfolder[] = { 0x001A001F, 0x66050003 };
static const uint32_t cols_outqueue[] = { 0x00390040, 0x0E100003,
	0x0E140003 };
static const uint32_t cols_rcpt[] = { 0x0C150003, 0x0E0F000B, 0x0FF90102,
	0x0FFE0003, 0x0FFF0102, 0x3001001F, 0x3002001F, 0x3003001F, 0x300B0102,
	0x39000003, 0x39FF001F, 0x3A40000B, 0x5FF6001F, 0x5FFD0003,
	0x5FFF0003 };
static const uint32_t cols_att[] = { 0x0E200003, 0x3704001F, 0x37050003,
	0x370B0003, 0x7FFA0003, 0x7FFB0040, 0x7FFC0040, 0x7FFD0003,
	0x7FFE000B };

#define NITEMS(a)	(sizeof (a) / sizeof (a)[0])

/* Rows from property lists; row ids from ids, or 0, 1, 2 ... */
struct prows {
	struct pstw_props	**p;
	const uint32_t		 *ids;
};

/* pstw_ndb.c */
void	pstw_region_start(struct pstw *w, uint64_t n);
void	pstw_map_page(struct pstw *w, uint64_t ib, uint8_t ptype,
	    const uint8_t *body);
void	pstw_region_finish(struct pstw *w);
void	pstw_dt_add(struct pstw *w, struct dtree *t, const void *data,
	    size_t cb);
uint64_t pstw_dt_finish(struct pstw *w, struct dtree *t);
uint64_t pstw_data_write(struct pstw *w, const void *data, size_t len);
uint32_t pstw_node_nid(struct node *nd, uint8_t type);
void	pstw_node_add(struct node *nd, uint32_t nid, uint64_t data,
	    uint64_t sub);
uint64_t pstw_node_finish(struct pstw *w, struct node *nd);
void	pstw_nbt_add(struct pstw *w, uint32_t nid, uint64_t data, uint64_t sub,
	    uint32_t parent);
void	pstw_btree_write(struct pstw *w, int nbt, uint64_t *rootbid,
	    uint64_t *rootib);
void	pstw_header_write(struct pstw *w, uint64_t eof, uint64_t amaplast,
	    const struct pst_bref *nbt, const struct pst_bref *bbt);
/* pstw_ltp.c */
uint8_t *pstw_utf16(const char *s, size_t *lenp);
/* pstw_msg.c */
struct prop *pstw_props_get(const struct pstw_props *p, uint16_t id);
void	pstw_props_take(struct pstw_props *p, uint16_t id, uint16_t type,
	    uint8_t *data, size_t len);
void	pstw_props_free(struct pstw_props *p);
uint8_t *pstw_mv_pack(uint8_t **part, size_t *plen, size_t n,
	    size_t *total);
/* pstw_ltp.c */
uint32_t pstw_col_tag(const struct pstw *w, uint32_t tag);
uint64_t pstw_pc_build(struct pstw *w, struct node *nd, struct prop *v,
	    size_t n, uint64_t *total);
uint64_t pstw_tc_build(struct pstw *w, struct node *nd,
	    const uint32_t *base, size_t nbase, int addall, size_t nrows,
	    rowfn fn, void *ctx);
void	pstw_props_row(void *ctx, size_t i, struct trow *r);
/* pstwrite.c */
struct folder *pstw_folder_find(struct pstw *w, uint32_t nid);

#endif
