/* format.h: the MS-PST on-disk format, defined once for reader and writer.
 *
 * Named constants and a get/put pair for every record of the NDB and LTP
 * layers, in the three file forms: ANSI (wVer 14/15: 32-bit ids, 512-byte
 * pages, 12-byte block trailer), Unicode (wVer 23: 64-bit ids, 16-byte
 * trailer) and the 4 KiB-page OST (wVer 36: 4096-byte pages, 24-byte block
 * trailer with the inflated size, blocks up to 64 KiB, zlib-compressed
 * when the inflated size differs).
 *
 * Every get reads from a buffer the caller has already checked to hold
 * the record's size (the *_size() functions or the constants give it);
 * every put writes exactly that many bytes. Nothing here allocates, and
 * nothing checks values: validation belongs to the reader (ndb.c, ltp.c).
 * Records are plain structs owned by the caller.
 */
#ifndef PST_FORMAT_H
#define PST_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* The three file forms. */
enum pst_kind {
	PST_ANSI = 0,		/* wVer 14/15 */
	PST_UNICODE,		/* wVer 23 */
	PST_UNICODE4K		/* wVer 36, 4 KiB pages (OST 2013+) */
};

#define PST_MAGIC		0x4E444221u	/* "!BDN" */
#define PST_MAGIC_CLIENT_PST	0x4D53		/* "SM" */
#define PST_MAGIC_CLIENT_OST	0x4F53		/* "SO" */
#define PST_MAGIC_CLIENT_PAB	0x4241		/* "AB" */
#define PST_VER_ANSI14		14
#define PST_VER_ANSI15		15
#define PST_VER_UNICODE		23
#define PST_VER_UNICODE4K	36
#define PST_VER_CLIENT		19
#define PST_SENTINEL		0x80

#define PST_HEADER_ANSI_SIZE	512
#define PST_HEADER_UNICODE_SIZE	564
#define PST_HEADER_MAX		564
#define PST_CRC_PARTIAL_OFF	8
#define PST_CRC_PARTIAL_LEN	471		/* bytes 8..478 */
#define PST_CRC_FULL_LEN	516		/* bytes 8..523 (Unicode) */
#define PST_NID_HWM		32		/* rgnid entries */
#define PST_HEADER_FMAP_LEN	128		/* rgbFM, rgbFP */

/* bCryptMethod */
enum pst_crypt {
	PST_CRYPT_NONE = 0,
	PST_CRYPT_PERMUTE = 1,		/* "compressible" */
	PST_CRYPT_CYCLIC = 2		/* "high" */
};

/* fAMapValid */
#define PST_AMAP_INVALID	0
#define PST_AMAP_VALID1		1
#define PST_AMAP_VALID2		2

/* File map (§2.9). */
#define PST_DLIST_OFF		0x4200
#define PST_REGION0		0x4400ULL	/* first AMap */
#define PST_REGION_SIZE		0x3E000ULL	/* bytes one AMap covers */
#define PST_FIRST_DATA		0x4800

/* Page types (ptype). */
enum pst_ptype {
	PST_PTYPE_BBT = 0x80,
	PST_PTYPE_NBT = 0x81,
	PST_PTYPE_FMAP = 0x82,
	PST_PTYPE_PMAP = 0x83,
	PST_PTYPE_AMAP = 0x84,
	PST_PTYPE_FPMAP = 0x85,
	PST_PTYPE_DLIST = 0x86
};

/* Block types of internal blocks (btype, first byte). */
#define PST_BTYPE_XBLOCK	0x01	/* cLevel 1: XBLOCK, 2: XXBLOCK */
#define PST_BTYPE_SLBLOCK	0x02	/* cLevel 0: SLBLOCK, 1: SIBLOCK */

/* BID bits: bit 0 reserved (readers mask it), bit 1 internal. */
#define PST_BID_RESERVED	0x1ULL
#define PST_BID_INTERNAL	0x2ULL
#define PST_BID_STEP		4

/* Sizes fixed by the spec for Unicode files (writer limits). */
#define PST_PAGE_SIZE		512
#define PST_PAGE4K_SIZE		4096
#define PST_BLOCK_ALIGN		64
#define PST_BLOCK4K_ALIGN	512
#define PST_BLOCK_MAX		8192
#define PST_BLOCK4K_MAX		65536
#define PST_BLOCK_DATA_MAX	8176		/* Unicode: 8192 - 16 */
#define PST_HEAP_ITEM_MAX	3580		/* one heap allocation */
#define PST_XBLOCK_HDR		8
#define PST_SLBLOCK_MAX		340		/* Unicode SLENTRYs per block */
#define PST_SIBLOCK_MAX		510
#define PST_XBLOCK_MAX		1021		/* Unicode BIDs per XBLOCK */
#define PST_NBT_LEAF_MAX	15
#define PST_BT_MAX		20
#define PST_BTH_MAX_LEVELS	8

/*
 * Layout of one file form: the sizes and offsets that differ between
 * ANSI, Unicode and 4K. pst_layout() returns a static table entry.
 */
struct pst_layout {
	enum pst_kind	kind;
	size_t		header_size;
	size_t		id_size;	/* BID/IB in B-trees, blocks: 4 or 8 */
	size_t		page_size;	/* 512 or 4096 */
	size_t		page_crc_len;	/* bytes the page CRC covers */
	size_t		page_trailer_off;
	size_t		bt_entries_len;	/* room for B-tree entries */
	size_t		bt_btentry;	/* cbEnt of an intermediate entry */
	size_t		bt_nbtentry;	/* ... of an NBT leaf entry */
	size_t		bt_bbtentry;	/* ... of a BBT leaf entry */
	size_t		block_trailer;	/* 12, 16 or 24 */
	size_t		block_align;	/* 64 or 512 */
	size_t		block_max;	/* 8192 or 65536 (trailer included) */
	size_t		xblock_bid;	/* 4 or 8 */
	size_t		sl_hdr;		/* SLBLOCK/SIBLOCK header: 4 or 8 */
	size_t		slentry;	/* 12 or 24 */
	size_t		sientry;	/* 8 or 16 */
	unsigned	hid_index_bits;	/* 11, or 14 in 4K files */
};

const struct pst_layout	*pst_layout(enum pst_kind);
/* Kind for a wVer, -1 when unknown. */
int			 pst_kind_of_ver(unsigned);

/* Signature of a page or block at ib with bid (wSig). */
uint16_t	pst_sig(uint64_t ib, uint64_t bid);

/* Size of a block holding cb data bytes, trailer and padding included. */
size_t		pst_block_size(const struct pst_layout *, size_t cb);

/*
 * NIDs (§1.2): type in the low 5 bits, index above.
 */
enum pst_nid_type {
	PST_NID_TYPE_HID = 0x00,
	PST_NID_TYPE_INTERNAL = 0x01,
	PST_NID_TYPE_NORMAL_FOLDER = 0x02,
	PST_NID_TYPE_SEARCH_FOLDER = 0x03,
	PST_NID_TYPE_NORMAL_MESSAGE = 0x04,
	PST_NID_TYPE_ATTACHMENT = 0x05,
	PST_NID_TYPE_SEARCH_UPDATE_QUEUE = 0x06,
	PST_NID_TYPE_SEARCH_CRITERIA_OBJECT = 0x07,
	PST_NID_TYPE_ASSOC_MESSAGE = 0x08,
	PST_NID_TYPE_CONTENTS_TABLE_INDEX = 0x0A,
	PST_NID_TYPE_RECEIVE_FOLDER_TABLE = 0x0B,
	PST_NID_TYPE_OUTGOING_QUEUE_TABLE = 0x0C,
	PST_NID_TYPE_HIERARCHY_TABLE = 0x0D,
	PST_NID_TYPE_CONTENTS_TABLE = 0x0E,
	PST_NID_TYPE_ASSOC_CONTENTS_TABLE = 0x0F,
	PST_NID_TYPE_SEARCH_CONTENTS_TABLE = 0x10,
	PST_NID_TYPE_ATTACHMENT_TABLE = 0x11,
	PST_NID_TYPE_RECIPIENT_TABLE = 0x12,
	PST_NID_TYPE_SEARCH_TABLE_INDEX = 0x13,
	PST_NID_TYPE_LTP = 0x1F
};
#define PST_NID_TYPE_MASK	0x1Fu

static inline unsigned
pst_nid_type(uint32_t nid)
{
	return nid & PST_NID_TYPE_MASK;
}

static inline uint32_t
pst_nid_index(uint32_t nid)
{
	return nid >> 5;
}

static inline uint32_t
pst_nid_make(unsigned type, uint32_t index)
{
	return index << 5 | (type & PST_NID_TYPE_MASK);
}

/* A folder's tables: same index, another type (0x122 -> 0x12D...). */
static inline uint32_t
pst_nid_sibling(uint32_t nid, unsigned type)
{
	return (nid & ~PST_NID_TYPE_MASK) | type;
}

/* Well-known NIDs (MS-PST 2.4.1). */
enum pst_nid {
	PST_NID_MESSAGE_STORE = 0x21,
	PST_NID_NAME_TO_ID_MAP = 0x61,
	PST_NID_NORMAL_FOLDER_TEMPLATE = 0xA1,
	PST_NID_SEARCH_FOLDER_TEMPLATE = 0xC1,
	PST_NID_ROOT_FOLDER = 0x122,
	PST_NID_SEARCH_MANAGEMENT_QUEUE = 0x1E1,
	PST_NID_SEARCH_ACTIVITY_LIST = 0x201,
	PST_NID_SEARCH_DOMAIN_OBJECT = 0x261,
	PST_NID_SEARCH_GATHERER_QUEUE = 0x281,
	PST_NID_SEARCH_GATHERER_DESCRIPTOR = 0x2A1,
	PST_NID_SEARCH_GATHERER_FOLDER_QUEUE = 0x321,
	PST_NID_HIERARCHY_TABLE_TEMPLATE = 0x60D,
	PST_NID_CONTENTS_TABLE_TEMPLATE = 0x60E,
	PST_NID_ASSOC_CONTENTS_TABLE_TEMPLATE = 0x60F,
	PST_NID_SEARCH_CONTENTS_TABLE_TEMPLATE = 0x610,
	PST_NID_SMP_TEMPLATE = 0x611,
	PST_NID_TOMBSTONE_TABLE_TEMPLATE = 0x612,
	PST_NID_LREP_DUPS_TABLE_TEMPLATE = 0x613,
	PST_NID_RECEIVE_FOLDER_TABLE = 0x62B,
	PST_NID_OUTGOING_QUEUE_TABLE = 0x64C,
	PST_NID_ATTACHMENT_TABLE = 0x671,
	PST_NID_RECIPIENT_TABLE = 0x692,
	PST_NID_CHANGE_HISTORY_TABLE = 0x6B6,
	PST_NID_TOMBSTONE_TABLE = 0x6D7,
	PST_NID_TOMBSTONE_DATE_TABLE = 0x6F8,
	PST_NID_IPM_SUBTREE = 0x8022,	/* as Outlook and pstwrite make it */
	PST_NID_FINDER = 0x8042,
	PST_NID_WASTEBASKET = 0x8062
};

/* Heap ids (§1.2): type 0, alloc index + 1, block index. */
static inline uint32_t
pst_hid_make(const struct pst_layout *l, uint32_t block, uint32_t index)
{
	return block << (5 + l->hid_index_bits) | (index + 1) << 5;
}

static inline uint32_t
pst_hid_block(const struct pst_layout *l, uint32_t hid)
{
	return hid >> (5 + l->hid_index_bits);
}

/* The allocation's 1-based index (0 is invalid). */
static inline uint32_t
pst_hid_index(const struct pst_layout *l, uint32_t hid)
{
	return (hid >> 5) & ((1u << l->hid_index_bits) - 1);
}

/* An HNID is a HID when its type bits are 0, else a subnode NID. */
static inline int
pst_hnid_is_hid(uint32_t hnid)
{
	return (hnid & PST_NID_TYPE_MASK) == PST_NID_TYPE_HID;
}

/*
 * Header (§2.2, ANSI: MS-PST 2.2.2.6). One struct for all forms; the
 * 64-bit fields hold zero-extended 32-bit values in ANSI files.
 */
struct pst_bref {
	uint64_t	bid;
	uint64_t	ib;
};

struct pst_root {
	uint64_t	file_eof;
	uint64_t	amap_last;
	uint64_t	amap_free;
	uint64_t	pmap_free;
	struct pst_bref	nbt;
	struct pst_bref	bbt;
	uint8_t		amap_valid;
};

struct pst_header {
	uint32_t	magic;
	uint32_t	crc_partial;
	uint16_t	magic_client;
	uint16_t	ver;
	uint16_t	ver_client;
	uint8_t		platform_create;
	uint8_t		platform_access;
	uint32_t	reserved1;
	uint32_t	reserved2;
	uint64_t	bid_next_p;
	uint64_t	bid_next_b;
	uint32_t	unique;
	uint32_t	rgnid[PST_NID_HWM];
	struct pst_root	root;
	uint8_t		rgb_fm[PST_HEADER_FMAP_LEN];
	uint8_t		rgb_fp[PST_HEADER_FMAP_LEN];
	uint8_t		sentinel;
	uint8_t		crypt;
	uint32_t	crc_full;	/* Unicode and 4K only */
};

/* Fill h from buf (len bytes). -1 when len is too short for the form
 * that wVer names or wVer is unknown; CRCs are read, not checked. */
int	pst_header_get(const uint8_t *, size_t, struct pst_header *);
/* Write the header of h's form (h->ver) into buf (PST_HEADER_MAX bytes,
 * the unused tail zeroed), computing both CRCs; returns its size. */
size_t	pst_header_put(const struct pst_header *, uint8_t *);
/* CRCs a header should carry, from its bytes. */
uint32_t pst_header_crc_partial(const uint8_t *);
uint32_t pst_header_crc_full(const uint8_t *);

/* Page trailer (§2.4); the CRC covers l->page_crc_len bytes. */
struct pst_ptrailer {
	uint8_t		ptype;
	uint8_t		ptype_repeat;
	uint16_t	sig;
	uint32_t	crc;
	uint64_t	bid;
};

void	pst_ptrailer_get(const struct pst_layout *, const uint8_t *page,
	    struct pst_ptrailer *);
void	pst_ptrailer_put(const struct pst_layout *, uint8_t *page,
	    const struct pst_ptrailer *);

/* B-tree page footer (§2.5): cEnt, cEntMax, cbEnt, cLevel. */
struct pst_btpage {
	uint16_t	cent;
	uint16_t	cent_max;
	uint8_t		cb_ent;
	uint8_t		level;
};

void	pst_btpage_get(const struct pst_layout *, const uint8_t *page,
	    struct pst_btpage *);
void	pst_btpage_put(const struct pst_layout *, uint8_t *page,
	    const struct pst_btpage *);

/* B-tree entries; p points at the entry (cbEnt from the layout). */
struct pst_btentry {
	uint64_t	key;
	struct pst_bref	bref;
};

struct pst_nbtentry {
	uint32_t	nid;
	uint64_t	bid_data;
	uint64_t	bid_sub;
	uint32_t	nid_parent;
};

struct pst_bbtentry {
	struct pst_bref	bref;
	uint16_t	cb;		/* stored size */
	uint16_t	cb_inflated;	/* 4K only; = cb elsewhere */
	uint16_t	cref;
};

void	pst_btentry_get(const struct pst_layout *, const uint8_t *,
	    struct pst_btentry *);
void	pst_btentry_put(const struct pst_layout *, uint8_t *,
	    const struct pst_btentry *);
void	pst_nbtentry_get(const struct pst_layout *, const uint8_t *,
	    struct pst_nbtentry *);
void	pst_nbtentry_put(const struct pst_layout *, uint8_t *,
	    const struct pst_nbtentry *);
void	pst_bbtentry_get(const struct pst_layout *, const uint8_t *,
	    struct pst_bbtentry *);
void	pst_bbtentry_put(const struct pst_layout *, uint8_t *,
	    const struct pst_bbtentry *);

/* Block trailer (§2.6); p points at the trailer (l->block_trailer). */
struct pst_btrailer {
	uint16_t	cb;
	uint16_t	sig;
	uint32_t	crc;		/* over the cb stored bytes */
	uint64_t	bid;
	uint16_t	cb_inflated;	/* 4K only; = cb elsewhere */
};

void	pst_btrailer_get(const struct pst_layout *, const uint8_t *,
	    struct pst_btrailer *);
void	pst_btrailer_put(const struct pst_layout *, uint8_t *,
	    const struct pst_btrailer *);

/* XBLOCK/XXBLOCK header (§2.7), then cent BIDs of l->xblock_bid bytes. */
struct pst_xblock {
	uint8_t		btype;
	uint8_t		level;
	uint16_t	cent;
	uint32_t	lcb_total;
};

void	 pst_xblock_get(const uint8_t *, struct pst_xblock *);
void	 pst_xblock_put(uint8_t *, const struct pst_xblock *);
/* A BID of l->xblock_bid bytes (XBLOCK entries). */
uint64_t pst_bid_get(const struct pst_layout *, const uint8_t *);
void	 pst_bid_put(const struct pst_layout *, uint8_t *, uint64_t);

/* SLBLOCK/SIBLOCK (§2.8): header of l->sl_hdr bytes, then entries. */
struct pst_slblock {
	uint8_t		btype;
	uint8_t		level;
	uint16_t	cent;
};

struct pst_slentry {
	uint32_t	nid;
	uint64_t	bid_data;
	uint64_t	bid_sub;
};

struct pst_sientry {
	uint32_t	nid;
	uint64_t	bid;
};

void	pst_slblock_get(const uint8_t *, struct pst_slblock *);
void	pst_slblock_put(const struct pst_layout *, uint8_t *,
	    const struct pst_slblock *);
void	pst_slentry_get(const struct pst_layout *, const uint8_t *,
	    struct pst_slentry *);
void	pst_slentry_put(const struct pst_layout *, uint8_t *,
	    const struct pst_slentry *);
void	pst_sientry_get(const struct pst_layout *, const uint8_t *,
	    struct pst_sientry *);
void	pst_sientry_put(const struct pst_layout *, uint8_t *,
	    const struct pst_sientry *);

/*
 * Heap-on-node (§3.1). Block 0 starts with HNHDR; blocks 8, 136, 264...
 * with HNBITMAPHDR; all others with HNPAGEHDR. The HNPAGEMAP sits at
 * ibHnpm: cAlloc, cFree, then cAlloc + 1 offsets.
 */
#define PST_HN_SIG		0xEC
#define PST_HN_CLIENT_TC	0x7C
#define PST_HN_CLIENT_BTH	0xB5
#define PST_HN_CLIENT_PC	0xBC
#define PST_HNHDR_SIZE		12
#define PST_HNPAGEHDR_SIZE	2
#define PST_HNBITMAPHDR_SIZE	66
#define PST_HNPAGEMAP_HDR	4
#define PST_HN_FILL_LEN		4	/* rgbFillLevel in HNHDR */
#define PST_HN_BITMAP_FILL_LEN	64

struct pst_hnhdr {
	uint16_t	ib_hnpm;
	uint8_t		sig;
	uint8_t		client_sig;
	uint32_t	hid_user_root;
	uint8_t		fill[PST_HN_FILL_LEN];
};

struct pst_hnpagemap {
	uint16_t	calloc;
	uint16_t	cfree;
};

void	pst_hnhdr_get(const uint8_t *, struct pst_hnhdr *);
void	pst_hnhdr_put(uint8_t *, const struct pst_hnhdr *);
/* Size of heap block i's header: 12, 66 or 2. */
size_t	pst_hn_block_hdr_size(uint32_t block);
void	pst_hnpagemap_get(const uint8_t *, struct pst_hnpagemap *);
void	pst_hnpagemap_put(uint8_t *, const struct pst_hnpagemap *);

/* BTH header (§3.2), an 8-byte heap item. */
#define PST_BTHHEADER_SIZE	8

struct pst_bthheader {
	uint8_t		btype;		/* 0xB5 */
	uint8_t		cb_key;
	uint8_t		cb_ent;
	uint8_t		idx_levels;
	uint32_t	hid_root;
};

void	pst_bthheader_get(const uint8_t *, struct pst_bthheader *);
void	pst_bthheader_put(uint8_t *, const struct pst_bthheader *);

/* PC record (§3.3): BTH with cbKey 2, cbEnt 6. */
#define PST_PC_KEY_SIZE		2
#define PST_PC_DATA_SIZE	6
#define PST_PC_RECORD_SIZE	8

struct pst_pcrecord {
	uint16_t	prop_id;
	uint16_t	prop_type;
	uint32_t	hnid;		/* or the inline value */
};

void	pst_pcrecord_get(const uint8_t *, struct pst_pcrecord *);
void	pst_pcrecord_put(uint8_t *, const struct pst_pcrecord *);

/* PtypObject value (§3.3): {subnode NID, size}. */
#define PST_OBJECT_SIZE		8

/* TC (§3.4): TCINFO then cCols TCOLDESCs. */
#define PST_TCINFO_SIZE		22
#define PST_TCOLDESC_SIZE	8
#define PST_TCI_4B		0	/* rgib: end of 8- and 4-byte cells */
#define PST_TCI_2B		1	/* end of 2-byte cells */
#define PST_TCI_1B		2	/* end of 1-byte cells */
#define PST_TCI_BM		3	/* end of the bitmap = row size */
#define PST_TC_ROWINDEX_KEY	4	/* row-index BTH: cbKey 4 */
#define PST_TC_ROWINDEX_DATA_UNICODE 4	/* cbEnt 4 (2 in ANSI files) */

struct pst_tcinfo {
	uint8_t		btype;		/* 0x7C */
	uint8_t		ccols;
	uint16_t	rgib[4];
	uint32_t	hid_row_index;
	uint32_t	hnid_rows;
	uint32_t	hid_index;
};

struct pst_tcoldesc {
	uint32_t	tag;
	uint16_t	ib;
	uint8_t		cb;
	uint8_t		ibit;
};

void	pst_tcinfo_get(const uint8_t *, struct pst_tcinfo *);
void	pst_tcinfo_put(uint8_t *, const struct pst_tcinfo *);
void	pst_tcoldesc_get(const uint8_t *, struct pst_tcoldesc *);
void	pst_tcoldesc_put(uint8_t *, const struct pst_tcoldesc *);

/* Name-to-id map entry (NAMEID, §4.4). */
#define PST_NAMEID_SIZE		8
#define PST_NAMEMAP_BUCKETS_TAG	0x0001
#define PST_NAMEMAP_GUIDS	0x0002
#define PST_NAMEMAP_ENTRIES	0x0003
#define PST_NAMEMAP_STRINGS	0x0004
#define PST_NAMEMAP_BUCKET0	0x1000
#define PST_NAMEMAP_GUID_MAPI	1	/* implicit GUID indexes */
#define PST_NAMEMAP_GUID_PUBLIC	2
#define PST_NAMEMAP_GUID_FIRST	3
#define PST_NAMED_FIRST		0x8000	/* property id = 0x8000 + wPropIdx */

struct pst_nameid {
	uint32_t	id;		/* LID, or string offset */
	uint16_t	guid;		/* guid index << 1 | is_string */
	uint16_t	prop_idx;
};

void	pst_nameid_get(const uint8_t *, struct pst_nameid *);
void	pst_nameid_put(uint8_t *, const struct pst_nameid *);

#endif
