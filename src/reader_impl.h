/* reader_impl.h: the backend interface behind reader.h.
 *
 * reader.c and its parts (reader_int.h) are backend-neutral: the
 * property slots (reader_slots.c; named properties matched on
 * property-set GUID plus LID or name, never by LID alone), raw values to
 * struct appt, codepages, the folder walk and the skip and folder
 * bookkeeping. A backend (reader_libpff.c, reader_pst.c) only finds
 * things in the file and hands over raw values:
 *
 * - Items (folders, messages, attachments, embedded messages, the store)
 *   are opaque handles (void *) that the backend owns; the neutral part
 *   gives each one back through release() when done.
 * - An item's properties come as a struct rd_props: the backend puts
 *   each entry it finds through rd_slot_of() (plain tags) or
 *   rd_named_slot() (named ones, resolved to GUID and LID or name) and
 *   fills the slot's value with rd_val_set() or, when it could not be
 *   read, records why (type_err, data_err): the neutral part reports
 *   that cause only if it ever uses the value. The first entry for a
 *   slot wins. Value bytes are borrowed from the handle (valid until it
 *   is released) or owned by the value (own, freed by rd_props_free()).
 * - Recipients are rows of properties; attachments are handles with
 *   their own properties, their data as a stream (size, rewind, read),
 *   and, for an embedded message (an exception), a nested item handle.
 *
 * Errors: the ops return 0 (or the count) on success, -1 with *cause
 * allocated; open() returns a READER_* code, or RD_DAMAGED when the
 * file is a PST whose structure cannot be read (reader.c may then try
 * the other backend).
 */
#ifndef READER_IMPL_H
#define READER_IMPL_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "reader.h"
#include "pst/format.h"
#include "pst/mapi.h"

#define RD_DAMAGED	(-10)	/* a PST, but its structure is unreadable */

#define RD_MAX_VALUE	(256u << 20) /* largest property value we copy */

/* Where a wanted property lives. */
enum rd_pset {
	K_TAG,		/* ordinary tag below 0x8000 */
	K_APPT,		/* PSETID_Appointment LID */
	K_COMMON,	/* PSETID_Common LID */
	K_MEETING,	/* PSETID_Meeting LID */
	K_PUBLIC,	/* PS_PUBLIC_STRINGS LID (libpff gives a zero GUID) */
	K_NAME		/* PS_PUBLIC_STRINGS string name */
};

enum rd_slot {
	S_CLASS, S_SUBJECT, S_IMPORTANCE, S_SENSITIVITY, S_ORG_NAME,
	S_ORG_ADDRTYPE, S_ORG_EMAIL, S_ORG_SMTP, S_BODY, S_RTF, S_HTML,
	S_CREATED, S_MODIFIED, S_SEARCH_KEY, S_CREATOR, S_MODIFIER,
	S_CODEPAGE, S_CONTAINER_CLASS, S_PASSWORD,
	S_START, S_END, S_SUBTYPE, S_BUSY, S_INTENDED_BUSY, S_LOCATION,
	S_SEQUENCE, S_STATE, S_RESPONSE, S_RECURRING, S_RECUR, S_TZ_STRUCT,
	S_TZ_DESC, S_TZDEF_START, S_TZDEF_END, S_TZDEF_RECUR, S_REPLACE,
	S_EXC_BODY, S_REMINDER_SET, S_REMINDER_DELTA, S_GOID, S_CLEAN_GOID,
	S_CRIT_CHANGE, S_KEYWORDS, S_CATEGORIES,
	/* Outlook's X- properties. */
	S_OWNER_APPT_ID, S_NO_COUNTER, S_SEQ_TIME, S_LAST_SEQ, S_CONF_TYPE,
	S_AUTOFILL_LOC, S_EXTERN_CHECK,
	/* Store and folder: the IPM subtree, the default calendar, the
	 * OST folder id. */
	S_IPM_SUBTREE_EID, S_APPT_EID, S_FOLDER_ID,
	/* Attachment and recipient rows. */
	S_ATT_METHOD, S_ATT_HIDDEN, S_ATT_REPLACE, S_ATT_START, S_ATT_END,
	S_ATT_LONGNAME, S_ATT_SHORTNAME, S_ATT_MIME,
	S_R_NAME, S_R_ADDRTYPE, S_R_EMAIL, S_R_SMTP, S_R_TYPE, S_R_FLAGS,
	S_R_TRACK,
	S_NSLOTS
};

/* One property's value as found in the file. */
struct rd_val {
	int		 set;		/* an entry was found for the slot */
	uint32_t	 type;		/* PT_* */
	const uint8_t	*data;		/* raw bytes, len of them */
	size_t		 len;
	char		*type_err;	/* the type could not be read: why */
	char		*data_err;	/* the bytes could not be read: why */
	uint8_t		*own;		/* data when the value owns it */
};

/* The wanted properties of one item (or row), by slot. */
struct rd_props {
	struct rd_val	 v[S_NSLOTS];
	int		 codepage;	/* 0x3FFD, or 0 */
};

/* Attachment kinds, as far as the backend can tell them apart. */
enum rd_att_type {
	RD_ATT_OTHER,
	RD_ATT_DATA,		/* bytes */
	RD_ATT_ITEM,		/* an embedded message */
	RD_ATT_REF		/* a reference: no bytes here */
};

struct rd;

struct rd_backend {
	const char	*name;		/* "pst", "libpff" */
	/* Open the file (it exists and is no directory); set
	 * rd->res->file_type. READER_DATAERR when it is no PST at all. */
	int	 (*open)(struct rd *, const char *, char **);
	void	 (*close)(struct rd *);
	/* The root folder and the message store: 1 found, 0 none, -1. */
	int	 (*root)(struct rd *, void **, char **);
	int	 (*store)(struct rd *, void **, char **);
	/* A folder's display name as clean UTF-8, or NULL. */
	char	*(*folder_name)(struct rd *, void *);
	/* An item's properties into a zeroed struct rd_props. */
	int	 (*props)(struct rd *, void *, struct rd_props *, char **);
	/* The identifier of an item, 0 if unknown. */
	uint64_t (*item_id)(struct rd *, void *);
	/* A folder's children in order: messages and sub-folders (told
	 * apart by the NID type of *id); others may be listed too. */
	int	 (*nchildren)(struct rd *, void *, int *, char **);
	int	 (*child)(struct rd *, void *, int, void **, uint32_t *,
		    char **);
	/* Optional: a message's class (clean UTF-8, NULL when it has
	 * none) without reading the rest of it, for messages outside the
	 * selected folders, which are only counted. */
	int	 (*msgclass)(struct rd *, void *, char **, char **);
	/* Recipient rows of a message (*n 0 when it has none). */
	int	 (*nrecipients)(struct rd *, void *, int *, char **);
	int	 (*recipient)(struct rd *, void *, int, struct rd_props *,
		    char **);
	/* Attachments: attachment i with its kind and properties (*att
	 * NULL on failure), its embedded message, its data. data_size
	 * returns 1, or 0 when there is no data. */
	int	 (*nattach)(struct rd *, void *, int *, char **);
	int	 (*attach)(struct rd *, void *, int, void **,
		    enum rd_att_type *, struct rd_props *, char **);
	int	 (*attach_item)(struct rd *, void *, void **, char **);
	int	 (*data_size)(struct rd *, void *, uint64_t *, char **);
	int	 (*data_rewind)(struct rd *, void *, char **);
	ssize_t	 (*data_read)(struct rd *, void *, uint8_t *, size_t,
		    char **);
	void	 (*release)(struct rd *, void *);
};

/* The walk's state, shared by reader.c and the backend. */
struct rd {
	const struct reader_opts *opts;
	struct reader_result	*res;
	const struct rd_backend	*be;
	void			*be_state;	/* the backend's own */
	int			 codepage;	/* ANSI codepage in use */
};

extern const struct rd_backend rd_libpff_backend;
extern const struct rd_backend rd_pst_backend;

/* The slot of a plain tag (below 0x8000), or -1. */
int	 rd_slot_of(uint32_t);
/* The slot of a named property: GUID in on-disk byte order, numeric
 * with its LID or a string name (UTF-8). -1 when none we want. */
int	 rd_named_slot(const uint8_t *, int, uint32_t, const char *);
/* Fill a slot if it is still empty: borrowed bytes; returns whether
 * it took them. */
int	 rd_val_set(struct rd_props *, int, uint32_t, const uint8_t *,
	    size_t);
void	 rd_props_free(struct rd_props *);
/* Whether a slot is a named property, and its GUID and LID, or name
 * (NULL for a LID). */
int	 rd_slot_name(int, const uint8_t **, uint32_t *, const char **);
/* A string value (MAPI_PT_UNICODE, or MAPI_PT_STRING8 in the file's
 * codepage) as clean UTF-8; NULL for another type. */
char	*rd_string(struct rd *, uint32_t, const uint8_t *, size_t);

#endif
