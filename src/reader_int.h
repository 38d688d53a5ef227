/*
 * reader_int.h: what the backend-neutral reader's parts share, private
 * to them (reader.h is the interface, reader_impl.h the backends' side).
 *
 * reader_slots.c is the property slot table the backends fill
 * (rd_slot_of, rd_named_slot, rd_val_set); reader_props.c reads a
 * slot's raw value as a C value (strings through codepages, integers,
 * times, blobs, categories, HTML) and owns the iconv descriptors;
 * reader_appt.c turns an item's properties into a struct appt with its
 * recipients, attachments and exceptions; reader.c chooses the backend,
 * walks the folders, sorts messages into items, skips and counts, and
 * keeps the folder and store bookkeeping.
 *
 * Why not reader_impl.h: that header is the interface a backend is
 * written against, and a backend only finds things and hands over raw
 * values. struct rdn and the decoders below are the neutral part's own;
 * a backend that could reach them would start decoding by itself.
 *
 * A struct rdn lives for one reading of a file (read_with() in
 * reader.c): it owns its iconv descriptors (rn_conv_open() to
 * rn_conv_close()), the spool's first error and the store's
 * bookkeeping; the items go into rd.res. The rn_prop_* functions leave
 * their target alone (a string: NULL) when the value is absent or of a
 * type they do not read; they return 0, or -1 with *cause allocated
 * when a value used could not be read.
 *
 * Names shared between the parts carry rn_ (for the struct rdn they
 * work on); everything else is static to its part.
 */
#ifndef READER_INT_H
#define READER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "compat.h"
#include "model.h"
#include "reader_impl.h"

/* What names the top of the store and its default calendar. */
struct rd_store {
	uint32_t	 ipm_nid;	/* PidTagIpmSubTreeEntryId's folder,
					   or 0 */
	uint8_t		*appt_eid;	/* the first
					   PidTagIpmAppointmentEntryId */
	size_t		 appt_eidlen;
	uint8_t		(*fids)[8];	/* per res->folders: its fid */
};

/* The neutral part's state beside the shared struct rd. */
struct rdn {
	struct rd	 rd;
	iconv_t		 cd_file;	/* file codepage */
	iconv_t		 cd_1252;	/* non-UTF-8 HTML */
	iconv_t		 cd_msg;	/* a 0x3FFD codepage */
	int		 cd_msg_cp;	/* ...this one */
	size_t		 foldercap, skipcap;
	size_t		 nfolders, nitems;
	char		*spool_cause;	/* the spool failed: why */
	struct rd_store	 store;
};

/* reader_props.c */
/* The file's codepage (rd.codepage) and 1252: 0, or -1 with *cause. */
int	 rn_conv_open(struct rdn *, char **);
void	 rn_conv_close(struct rdn *);
/* An item's properties (*p zeroed first) and the codepage it names. */
int	 rn_item_props(struct rdn *, void *, struct rd_props *, char **);
/* A string as clean UTF-8 (NULL when absent); strip: the subject's
 * 0x01 prefix marker plus the character after it. */
int	 rn_prop_string(struct rdn *, const struct rd_props *, enum rd_slot,
	    int, char **, char **);
/* An integer-like value; *found says whether one was there. */
int	 rn_entry_int(const struct rd_props *, enum rd_slot, int32_t *,
	    int *, char **);
int	 rn_prop_i32(const struct rd_props *, enum rd_slot, int32_t *,
	    char **);
int	 rn_prop_bool(const struct rd_props *, enum rd_slot, int *,
	    char **);
/* A FILETIME. */
int	 rn_prop_time(const struct rd_props *, enum rd_slot, int64_t *,
	    char **);
/* Any type: the bytes as they are, replacing what *b held. */
int	 rn_prop_blob(const struct rd_props *, enum rd_slot,
	    struct appt_blob *, char **);
/* Keywords or Categories into a->categories. */
int	 rn_prop_categories(struct rdn *, const struct rd_props *,
	    struct appt *, char **);
/* PidTagHtml: a string, or bytes (UTF-8 when valid, else 1252). */
int	 rn_prop_html(struct rdn *, const struct rd_props *, char **,
	    char **);
/* A slot's bytes, borrowed: 1 found, 0 absent or unreadable. */
int	 rn_slot_raw(const struct rd_props *, enum rd_slot, const uint8_t **,
	    size_t *);

/* reader_appt.c */
/* Every property we model from an item's properties, its recipients
 * and attachments (embedded: an exception, whose attachments are all
 * ordinary); folder is copied. 0, or -1 with *cause: the item is
 * damaged. */
int	 rn_fill_appt(struct rdn *, void *, const struct rd_props *,
	    struct appt *, int, const char *, char **);
/* The first failure of the content spool ends the run (READER_IOERR). */
void	 rn_spool_failed(struct rdn *, int);

#endif
