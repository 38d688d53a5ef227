/* pstwrite.h: write PST files (MS-PST), for fixtures and scale.
 *
 * Our own code from the MS-PST specification over the one definition of
 * the format in pst/ (format.h, crc.h, crypt.h, mapi.h); no libpff or
 * libical. Writes ANSI (wVer 14) or Unicode (wVer 23) files, unencoded
 * or with the permute or cyclic encoding: header with its CRCs, NBT
 * and BBT B-trees of any depth, AMap/PMap/FMap/FPMap pages, an empty
 * DList, XBLOCK/XXBLOCK data trees, SLBLOCK/SIBLOCK subnode trees,
 * heap-on-node, BTH, property and table contexts, the name-to-id map,
 * the message store, root folder and IPM subtree, folders of any class
 * at any depth, messages with tagged and named properties, recipients,
 * file attachments and embedded messages. The layers' files and what
 * they share: pstw_int.h.
 *
 * Blocks are written to the file as messages are added: memory grows
 * only with the number of nodes (for the B-trees and contents tables),
 * not with message sizes.
 *
 * Errors: int functions return 0, or -1 with *cause allocated.
 * Ownership: a struct pstw_msg belongs to the caller until
 * pstw_msg_write(), which consumes it (even on failure). Props,
 * attachments and embedded messages obtained from a message belong to
 * that message. Data passed in is copied.
 */
#ifndef PSTWRITE_H
#define PSTWRITE_H

#include <stddef.h>
#include <stdint.h>

#include "pst/format.h"
#include "pst/mapi.h"

/* Property types and sets for callers: the names of pst/mapi.h. */
#define PSTW_I2		MAPI_PT_SHORT
#define PSTW_I4		MAPI_PT_LONG
#define PSTW_BOOL	MAPI_PT_BOOLEAN
#define PSTW_I8		MAPI_PT_LONGLONG
#define PSTW_STRING8	MAPI_PT_STRING8
#define PSTW_UNICODE	MAPI_PT_UNICODE
#define PSTW_SYSTIME	MAPI_PT_SYSTIME
#define PSTW_CLSID	MAPI_PT_CLSID
#define PSTW_BINARY	MAPI_PT_BINARY
#define PSTW_MV_I4	MAPI_PT_MV_LONG
#define PSTW_MV_UNICODE	MAPI_PT_MV_UNICODE
#define PSTW_MV_BINARY	MAPI_PT_MV_BINARY
#define pstw_psetid_appointment	mapi_psetid_appointment
#define pstw_psetid_meeting	mapi_psetid_meeting
#define pstw_psetid_common	mapi_psetid_common
#define pstw_ps_public_strings	mapi_ps_public_strings

/* The file form, all zero for the default: Unicode (wVer 23) or ANSI
 * (wVer 14: 32-bit ids, Outlook 97-2002), and the encoding of external
 * blocks (bCryptMethod). */
struct pstw_opts {
	int		ansi;
	enum pst_crypt	crypt;
};

struct pstw;
struct pstw_props;
struct pstw_msg;
struct pstw_attach;

/* Create path (truncating it); the store gets display name name. The
 * file is Unicode and unencoded unless opts (may be NULL) say otherwise. */
int	pstw_open(const char *path, const char *name, struct pstw **,
	    char **cause);
int	pstw_open_opts(const char *path, const char *name,
	    const struct pstw_opts *, struct pstw **, char **cause);
/* Write trees, maps and header, close. Frees w whatever happens. */
int	pstw_close(struct pstw *, char **cause);
/* Give up: close and remove the file, free w. */
void	pstw_abort(struct pstw *);

/* Property ids for named properties, allocated in the name-to-id map
 * on first use (0x8000 + index). */
uint16_t pstw_named_lid(struct pstw *, const uint8_t guid[16], uint32_t lid);
uint16_t pstw_named_str(struct pstw *, const uint8_t guid[16],
	    const char *name);

/* Folders. The IPM subtree ("Top of Personal Folders") is the usual
 * parent; container_class may be NULL (e.g. "IPF.Appointment"). */
uint32_t pstw_ipm_subtree(const struct pstw *);
uint32_t pstw_deleted_items(const struct pstw *);
int	pstw_folder(struct pstw *, uint32_t parent, const char *name,
	    const char *container_class, uint32_t *nid, char **cause);

/* Property setters: id is the 16-bit property id (tag >> 16), or one
 * from pstw_named_*(). Setting the same id twice replaces the value. */
void	pstw_set_i4(struct pstw_props *, uint16_t id, int32_t);
void	pstw_set_i2(struct pstw_props *, uint16_t id, int16_t);
void	pstw_set_bool(struct pstw_props *, uint16_t id, int);
void	pstw_set_i8(struct pstw_props *, uint16_t id, int64_t);
void	pstw_set_time(struct pstw_props *, uint16_t id, int64_t filetime);
void	pstw_set_str(struct pstw_props *, uint16_t id, const char *utf8);
void	pstw_set_str8(struct pstw_props *, uint16_t id, const char *bytes);
void	pstw_set_bin(struct pstw_props *, uint16_t id, const void *,
	    size_t);
void	pstw_set_mvstr(struct pstw_props *, uint16_t id,
	    const char *const *utf8, size_t n);
/* Any type, raw value bytes as they would be stored (for X-MAPI-PROP
 * fixtures and deliberately broken values). */
void	pstw_set_raw(struct pstw_props *, uint16_t id, uint16_t type,
	    const void *, size_t);

/* Messages. */
struct pstw_msg	*pstw_msg_new(const char *msgclass);
void		 pstw_msg_free(struct pstw_msg *);
struct pstw_props *pstw_msg_props(struct pstw_msg *);
/* A recipient row; returns its properties. */
struct pstw_props *pstw_msg_recipient(struct pstw_msg *);
/* An attachment; returns it. */
struct pstw_attach *pstw_msg_attach(struct pstw_msg *);
struct pstw_props *pstw_attach_props(struct pstw_attach *);
/* Method 1: file data. */
void	pstw_attach_data(struct pstw_attach *, const void *, size_t);
/* Method 6: an OLE object's bytes, in a subnode (PtypObject). */
void	pstw_attach_ole(struct pstw_attach *, const void *, size_t);
/* Method 5: an embedded message, owned by the attachment. */
struct pstw_msg *pstw_attach_embed(struct pstw_attach *, const char *msgclass);

/* Add msg to a folder and write its blocks now. Consumes msg. *nid gets
 * the message's node id (may be NULL). */
int	pstw_msg_write(struct pstw *, uint32_t folder, struct pstw_msg *,
	    uint32_t *nid, char **cause);

#endif
