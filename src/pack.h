/* pack.h: an item's memory in one piece, and values many items share.
 *
 * Measured on a 100k-appointment file (mkpst --synth), the model held
 * about 1300 bytes per item after reading, in some twenty allocations:
 * the struct 560, malloc's own headers and rounding about 470 (massif:
 * 47 MB of 230), and the folder path, message class, creator, last
 * modifier and time-zone blobs each stored once per item although a
 * file has only a handful of distinct ones.
 *
 * appt_pack() moves what an item points to (strings, blobs, recipient,
 * category, exception and attachment arrays, the exceptions' own items)
 * into one allocation, a->pack, and takes the folder, message class,
 * creator, modifier, time-zone description and blobs and recipient
 * address types from a pool, where each distinct value is stored once.
 * The item is unchanged for every reader of it: the same fields, the
 * same values. Only whoever frees or replaces a field must know: with
 * a->pack set, appt_free() frees the pack, not the fields in it; what
 * is set later (uid, and bodies, HTML, RTF and attachment bytes that
 * appt_unspool() brings back) stays separately allocated and is freed
 * as before. A field of a packed item is replaced by pointing it at
 * memory that outlives the item, never by free().
 *
 * Only a spooled item (model.h: bodies and attachment bytes in the
 * content spool) is packed: what stays is small and fixed once read.
 * reader.c packs what either PST backend reads; the .ics reader's
 * items stay unpacked (such files are small: their text is the input).
 * appt_pack() takes the item and returns the one to use instead: the
 * packed copy (the struct is in its own pack, a->pack == a), or the
 * item itself when it left it as it was (not spooled, an attachment's
 * bytes still in memory, a UID set already).
 *
 * Ownership: the pool owns the shared values; packed items must be
 * freed before their pool. appt_pool_adopt() moves one pool's values
 * into another (the source is left empty, to be freed).
 */
#ifndef PACK_H
#define PACK_H

#include "model.h"

struct appt_pool;

struct appt_pool *appt_pool_new(void);
void		 appt_pool_free(struct appt_pool *);
void		 appt_pool_adopt(struct appt_pool *, struct appt_pool *);
/* Distinct values held, and their bytes (for tests and -v). */
size_t		 appt_pool_count(const struct appt_pool *, size_t *);

struct appt	*appt_pack(struct appt *, struct appt_pool *);

#endif
