/* reader.c: calendar items out of a PST/OST, through libpff. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libpff.h>

#include "icsread.h"
#include "le.h"
#include "reader.h"
#include "xmalloc.h"

/* MAPI value types. */
#define PT_SHORT	0x0002
#define PT_LONG		0x0003
#define PT_BOOLEAN	0x000B
#define PT_STRING8	0x001E
#define PT_UNICODE	0x001F
#define PT_SYSTIME	0x0040
#define PT_BINARY	0x0102
#define PT_MV_STRING8	0x101E
#define PT_MV_UNICODE	0x101F

/* NID types (low five bits of an item identifier). */
#define NID_TYPE_FOLDER		0x02
#define NID_TYPE_SEARCH_FOLDER	0x03
#define NID_TYPE_MESSAGE	0x04

#define MAX_DEPTH	256	/* folder nesting; a cycle guard */
#define MAX_VALUE	(256u << 20) /* largest property value we copy */
#define PROGRESS_EVERY	100

/* Property sets, in on-disk byte order (as libpff's get_guid gives them). */
static const uint8_t guid_appointment[16] = {
	0x02, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };
static const uint8_t guid_common[16] = {
	0x08, 0x20, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };
static const uint8_t guid_meeting[16] = {
	0x90, 0xDA, 0xD8, 0x6E, 0x0B, 0x45, 0x1B, 0x10,
	0x98, 0xDA, 0x00, 0xAA, 0x00, 0x3F, 0x13, 0x05 };
static const uint8_t guid_public[16] = {
	0x29, 0x03, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46 };
static const uint8_t guid_zero[16];

/* Where a wanted property lives. */
enum pset {
	K_TAG,		/* ordinary tag below 0x8000 */
	K_APPT,		/* PSETID_Appointment LID */
	K_COMMON,	/* PSETID_Common LID */
	K_MEETING,	/* PSETID_Meeting LID */
	K_PUBLIC,	/* PS_PUBLIC_STRINGS LID (libpff gives a zero GUID) */
	K_NAME		/* PS_PUBLIC_STRINGS string name */
};

enum slot {
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
	/* Attachment and recipient rows. */
	S_ATT_METHOD, S_ATT_HIDDEN, S_ATT_REPLACE, S_ATT_START, S_ATT_END,
	S_ATT_LONGNAME, S_ATT_SHORTNAME, S_ATT_MIME,
	S_R_NAME, S_R_ADDRTYPE, S_R_EMAIL, S_R_SMTP, S_R_TYPE, S_R_FLAGS,
	S_R_TRACK,
	S_NSLOTS
};

static const struct {
	enum pset	 set;
	uint32_t	 id;
	const char	*name;
} propdefs[S_NSLOTS] = {
	[S_CLASS] = { K_TAG, 0x001A, NULL },
	[S_SUBJECT] = { K_TAG, 0x0037, NULL },
	[S_IMPORTANCE] = { K_TAG, 0x0017, NULL },
	[S_SENSITIVITY] = { K_TAG, 0x0036, NULL },
	[S_ORG_NAME] = { K_TAG, 0x0042, NULL },
	[S_ORG_ADDRTYPE] = { K_TAG, 0x0064, NULL },
	[S_ORG_EMAIL] = { K_TAG, 0x0065, NULL },
	[S_ORG_SMTP] = { K_TAG, 0x5D02, NULL },
	[S_BODY] = { K_TAG, 0x1000, NULL },
	[S_RTF] = { K_TAG, 0x1009, NULL },
	[S_HTML] = { K_TAG, 0x1013, NULL },
	[S_CREATED] = { K_TAG, 0x3007, NULL },
	[S_MODIFIED] = { K_TAG, 0x3008, NULL },
	[S_SEARCH_KEY] = { K_TAG, 0x300B, NULL },
	[S_CREATOR] = { K_TAG, 0x3FF8, NULL },
	[S_MODIFIER] = { K_TAG, 0x3FFA, NULL },
	[S_CODEPAGE] = { K_TAG, 0x3FFD, NULL },
	[S_CONTAINER_CLASS] = { K_TAG, 0x3613, NULL },
	[S_PASSWORD] = { K_TAG, 0x67FF, NULL },
	[S_START] = { K_APPT, 0x820D, NULL },
	[S_END] = { K_APPT, 0x820E, NULL },
	[S_SUBTYPE] = { K_APPT, 0x8215, NULL },
	[S_BUSY] = { K_APPT, 0x8205, NULL },
	[S_INTENDED_BUSY] = { K_APPT, 0x8224, NULL },
	[S_LOCATION] = { K_APPT, 0x8208, NULL },
	[S_SEQUENCE] = { K_APPT, 0x8201, NULL },
	[S_STATE] = { K_APPT, 0x8217, NULL },
	[S_RESPONSE] = { K_APPT, 0x8218, NULL },
	[S_RECURRING] = { K_APPT, 0x8223, NULL },
	[S_RECUR] = { K_APPT, 0x8216, NULL },
	[S_TZ_STRUCT] = { K_APPT, 0x8233, NULL },
	[S_TZ_DESC] = { K_APPT, 0x8234, NULL },
	[S_TZDEF_START] = { K_APPT, 0x825E, NULL },
	[S_TZDEF_END] = { K_APPT, 0x825F, NULL },
	[S_TZDEF_RECUR] = { K_APPT, 0x8260, NULL },
	[S_REPLACE] = { K_APPT, 0x8228, NULL },
	[S_EXC_BODY] = { K_APPT, 0x8206, NULL },
	[S_REMINDER_SET] = { K_COMMON, 0x8503, NULL },
	[S_REMINDER_DELTA] = { K_COMMON, 0x8501, NULL },
	[S_GOID] = { K_MEETING, 0x0003, NULL },
	[S_CLEAN_GOID] = { K_MEETING, 0x0023, NULL },
	[S_CRIT_CHANGE] = { K_MEETING, 0x001A, NULL },
	[S_KEYWORDS] = { K_NAME, 0, "Keywords" },
	[S_CATEGORIES] = { K_PUBLIC, 0x2328, NULL },
	[S_OWNER_APPT_ID] = { K_TAG, 0x0062, NULL },
	[S_NO_COUNTER] = { K_APPT, 0x825A, NULL },
	[S_SEQ_TIME] = { K_APPT, 0x8202, NULL },
	[S_LAST_SEQ] = { K_APPT, 0x8203, NULL },
	[S_CONF_TYPE] = { K_APPT, 0x8241, NULL },
	[S_AUTOFILL_LOC] = { K_APPT, 0x823A, NULL },
	[S_EXTERN_CHECK] = { K_APPT, 0x8246, NULL },
	[S_ATT_METHOD] = { K_TAG, 0x3705, NULL },
	[S_ATT_HIDDEN] = { K_TAG, 0x7FFE, NULL },
	[S_ATT_REPLACE] = { K_TAG, 0x7FF9, NULL },
	[S_ATT_START] = { K_TAG, 0x7FFB, NULL },
	[S_ATT_END] = { K_TAG, 0x7FFC, NULL },
	[S_ATT_LONGNAME] = { K_TAG, 0x3707, NULL },
	[S_ATT_SHORTNAME] = { K_TAG, 0x3704, NULL },
	[S_ATT_MIME] = { K_TAG, 0x370E, NULL },
	[S_R_NAME] = { K_TAG, 0x3001, NULL },
	[S_R_ADDRTYPE] = { K_TAG, 0x3002, NULL },
	[S_R_EMAIL] = { K_TAG, 0x3003, NULL },
	[S_R_SMTP] = { K_TAG, 0x39FE, NULL },
	[S_R_TYPE] = { K_TAG, 0x0C15, NULL },
	[S_R_FLAGS] = { K_TAG, 0x5FFD, NULL },
	[S_R_TRACK] = { K_TAG, 0x5FFF, NULL },
};

/* The entries of one record set, by slot; borrowed from the item. */
struct props {
	libpff_record_entry_t	*e[S_NSLOTS];
	int			 codepage;	/* 0x3FFD, or 0 */
};

/* One folder during the walk. */
struct fctx {
	const char	*path;
	int		 is_calendar;
	int		 selected;
	size_t		 nappts, nother;
	uint32_t	 nid;
	size_t		 first;		/* appts.n when the walk came in */
};

/* What names the top of the store and its default calendar. */
struct rd_store {
	uint32_t		 ipm_nid;	/* PidTagIpmSubTreeEntryId's
						   folder, or 0 */
	uint8_t			*appt_eid;	/* the first
						   PidTagIpmAppointmentEntryId */
	size_t			 appt_eidlen;
	uint8_t			(*fids)[8];	/* per res->folders: the
						   folder id 0x67F4 (OST) */
	size_t			 nfids;
};

struct rd {
	const struct reader_opts *opts;
	struct reader_result	*res;
	libpff_file_t		*file;
	int			 codepage;
	iconv_t			 cd_file;	/* file codepage */
	iconv_t			 cd_1252;	/* non-UTF-8 HTML */
	iconv_t			 cd_msg;	/* a 0x3FFD codepage */
	int			 cd_msg_cp;	/* ...this one */
	size_t			 foldercap, skipcap;
	size_t			 nfolders, nitems;
	char			*spool_cause;	/* the spool failed: why */
	struct rd_store		 store;
};

static const char exception_class[] =
    "IPM.OLE.CLASS.{00061055-0000-0000-C000-000000000046}";

static char	*pff_reason(libpff_error_t **);
static int	 has_prefix(const char *, const char *);
static iconv_t	 open_codepage(int);
static char	*convert(iconv_t, const uint8_t *, size_t);
static int	 utf8_valid(const uint8_t *, size_t);
static int	 entry_raw(libpff_record_entry_t *, uint8_t **, size_t *,
		    char **);
static int	 named_set(libpff_name_to_id_map_entry_t *, enum pset *,
		    uint32_t *, char *, size_t);
static int	 collect(libpff_record_set_t *, struct props *, char **);
static int	 item_props(libpff_item_t *, struct props *, char **);
static int	 prop_string(struct rd *, const struct props *, enum slot,
		    int, char **, char **);
static int	 entry_int(const struct props *, enum slot, int32_t *, int *,
		    char **);
static int	 prop_i32(const struct props *, enum slot, int32_t *,
		    char **);
static int	 prop_bool(const struct props *, enum slot, int *, char **);
static int	 prop_time(const struct props *, enum slot, int64_t *,
		    char **);
static int	 prop_blob(const struct props *, enum slot,
		    struct appt_blob *, char **);
static int	 prop_categories(struct rd *, const struct props *,
		    struct appt *, char **);
static int	 read_recipients(struct rd *, libpff_item_t *, struct appt *,
		    char **);
static int	 attach_name(struct rd *, const struct props *,
		    struct appt_attach *, char **);
static void	 spool_failed(struct rd *, int);
static int	 attach_data(struct rd *, libpff_item_t *,
		    struct appt_attach *, char **);
static int	 read_attach(struct rd *, libpff_item_t *, int, int32_t,
		    const struct props *, struct appt_attach *, char **);
static void	 read_attachments(struct rd *, libpff_item_t *,
		    struct appt *, const char *, int);
static int	 fill_appt(struct rd *, libpff_item_t *, const struct props *,
		    struct appt *, int, const char *, char **);
static void	 add_skip(struct rd *, uint64_t, const char *, const char *,
		    const char *, int, const char *, ...)
		    __attribute__((format(printf, 7, 8)));
static void	 add_folder(struct rd *, const struct fctx *, const char *);
static int	 folder_matches(const char *, const char *);
static void	 read_message(struct rd *, libpff_item_t *, struct fctx *);
static void	 walk(struct rd *, libpff_item_t *, const char *, int);
static void	 progress(struct rd *);
static int	 tag_raw(libpff_item_t *, uint32_t, uint8_t **, size_t *);
static uint32_t	 entryid_nid(const uint8_t *, size_t);
static void	 store_props(struct rd *, libpff_item_t *,
		    const struct props *);
static void	 folder_store_props(struct rd *, libpff_item_t *,
		    const struct fctx *, const char *, int);
static void	 store_default(struct rd *);

const char *
reader_libpff_version(void)
{
	return libpff_get_version();
}

int
reader_codepage_ok(int cp)
{
	switch (cp) {
	case 874: case 932: case 936: case 949: case 950: case 20127:
		return 1;
	}
	return cp >= 1250 && cp <= 1258;
}

/* libpff's error chain as one line: the innermost message, which names
 * the actual fault, without its function prefix. Frees the error. */
static char *
pff_reason(libpff_error_t **err)
{
	char buf[4096], *p, *s, *colon;

	if (err == NULL || *err == NULL)
		return xstrdup("libpff error");
	buf[0] = '\0';
	if (libpff_error_backtrace_sprint(*err, buf, sizeof buf) < 0 ||
	    buf[0] == '\0')
		libpff_error_sprint(*err, buf, sizeof buf);
	libpff_error_free(err);
	buf[sizeof buf - 1] = '\0';
	s = buf;
	if ((p = strpbrk(s, "\r\n")) != NULL)
		*p = '\0';
	if ((colon = strstr(s, ": ")) != NULL && strchr(s, ' ') > colon)
		s = colon + 2;
	p = s + strlen(s);
	while (p > s && (p[-1] == '.' || p[-1] == ' '))
		*--p = '\0';
	if (*s == '\0')
		return xstrdup("libpff error");
	return appt_text_clean(xstrdup(s));
}

static int
has_prefix(const char *s, const char *prefix)
{
	return s != NULL && strncasecmp(s, prefix, strlen(prefix)) == 0;
}

/* An iconv descriptor from a Windows codepage to UTF-8. */
static iconv_t
open_codepage(int cp)
{
	char name[32];

	switch (cp) {
	case 20127:
		return iconv_open("UTF-8", "ASCII");
	case 65001:
		return iconv_open("UTF-8", "UTF-8");
	case 28591: case 28592: case 28593: case 28594: case 28595:
	case 28596: case 28597: case 28598: case 28599:
		snprintf(name, sizeof name, "ISO-8859-%d", cp - 28590);
		return iconv_open("UTF-8", name);
	}
	snprintf(name, sizeof name, "CP%d", cp);
	return iconv_open("UTF-8", name);
}

/* Bytes in some codepage to clean UTF-8; a byte iconv rejects becomes
 * U+FFFD. Stops at a NUL. */
static char *
convert(iconv_t cd, const uint8_t *p, size_t len)
{
	const uint8_t *nul;
	char *out, *in, *o;
	size_t left, room, cap;

	if ((nul = memchr(p, '\0', len)) != NULL)
		len = nul - p;
	cap = len * 4 + 4;
	out = xmalloc(cap);
	in = (char *)p;
	left = len;
	o = out;
	room = cap - 1;
	iconv(cd, NULL, NULL, NULL, NULL);
	/* The output has room for 4 bytes an input byte, so only EILSEQ
	 * and EINVAL stop it: replace one byte and go on. */
	while (left > 0 && iconv(cd, &in, &left, &o, &room) == (size_t)-1 &&
	    errno != E2BIG && room >= 3) {
		memcpy(o, "\xEF\xBF\xBD", 3);
		o += 3;
		room -= 3;
		in++;
		left--;
		iconv(cd, NULL, NULL, NULL, NULL);
	}
	*o = '\0';
	return appt_text_clean(out);
}

static int
utf8_valid(const uint8_t *p, size_t len)
{
	size_t i = 0, n, k;
	uint32_t c;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if ((p[i] & 0xE0) == 0xC0) {
			n = 2;
			c = p[i] & 0x1F;
		} else if ((p[i] & 0xF0) == 0xE0) {
			n = 3;
			c = p[i] & 0x0F;
		} else if ((p[i] & 0xF8) == 0xF0) {
			n = 4;
			c = p[i] & 0x07;
		} else
			return 0;
		if (len - i < n)
			return 0;
		for (k = 1; k < n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			c = c << 6 | (p[i + k] & 0x3F);
		}
		if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
		    (n == 4 && c < 0x10000) || c > 0x10FFFF ||
		    (c >= 0xD800 && c <= 0xDFFF))
			return 0;
		i += n;
	}
	return 1;
}

/* A copy of an entry's raw value bytes (*len may be 0). */
static int
entry_raw(libpff_record_entry_t *e, uint8_t **data, size_t *len,
    char **cause)
{
	libpff_error_t *err = NULL;
	size_t n = 0;

	*data = NULL;
	*len = 0;
	if (libpff_record_entry_get_data_size(e, &n, &err) != 1) {
		*cause = pff_reason(&err);
		return -1;
	}
	if (n > MAX_VALUE) {
		xasprintf(cause, "property value of %zu bytes", n);
		return -1;
	}
	*data = xmalloc(n + 1);
	if (n > 0 && libpff_record_entry_get_data(e, *data, n, &err) != 1) {
		free(*data);
		*data = NULL;
		*cause = pff_reason(&err);
		return -1;
	}
	*len = n;
	return 0;
}

/* The slot set of a named property: 0 when it is none we want. */
static int
named_set(libpff_name_to_id_map_entry_t *nm, enum pset *set, uint32_t *lid,
    char *name, size_t namelen)
{
	libpff_error_t *err = NULL;
	uint8_t guid[16], type = 0;
	size_t sz = 0;
	int numeric;

	if (libpff_name_to_id_map_entry_get_type(nm, &type, &err) != 1 ||
	    libpff_name_to_id_map_entry_get_guid(nm, guid, sizeof guid,
	    &err) != 1)
		goto none;
	numeric = type == LIBPFF_NAME_TO_ID_MAP_ENTRY_TYPE_NUMERIC;
	if (numeric) {
		if (libpff_name_to_id_map_entry_get_number(nm, lid, &err) != 1)
			goto none;
	} else if (libpff_name_to_id_map_entry_get_utf8_string_size(nm, &sz,
	    &err) != 1 || sz > namelen ||
	    libpff_name_to_id_map_entry_get_utf8_string(nm, (uint8_t *)name,
	    namelen, &err) != 1)
		goto none;	/* longer than any name we want */
	name[namelen - 1] = '\0';
	if (memcmp(guid, guid_appointment, 16) == 0)
		*set = K_APPT;
	else if (memcmp(guid, guid_common, 16) == 0)
		*set = K_COMMON;
	else if (memcmp(guid, guid_meeting, 16) == 0)
		*set = K_MEETING;
	else if (numeric && (memcmp(guid, guid_public, 16) == 0 ||
	    memcmp(guid, guid_zero, 16) == 0))
		*set = K_PUBLIC;
	else if (!numeric && memcmp(guid, guid_public, 16) == 0)
		*set = K_NAME;
	else
		return 0;
	return 1;

none:
	libpff_error_free(&err);
	return 0;
}

_Static_assert(S_NSLOTS <= UINT8_MAX, "slots must fit prop_slot's index");

/* The slot of a property, or -1: a binary search over propdefs sorted
 * by (set, id) once, since every entry of every item comes through. */
static int
prop_slot(enum pset set, uint32_t id, const char *name)
{
	static uint32_t	 keys[S_NSLOTS];
	static uint8_t	 slots[S_NSLOTS];
	static size_t	 nkeys;
	uint32_t	 key, k;
	uint8_t		 sl;
	size_t		 i, j, lo, hi;

	if (set == K_NAME) {
		for (i = 0; i < S_NSLOTS; i++) {
			if (propdefs[i].set == K_NAME &&
			    strcmp(propdefs[i].name, name) == 0)
				return (int)i;
		}
		return -1;
	}
	if (nkeys == 0) {
		for (i = 0; i < S_NSLOTS; i++) {
			if (propdefs[i].set == K_NAME)
				continue;
			k = (uint32_t)propdefs[i].set << 16 | propdefs[i].id;
			sl = (uint8_t)i;
			for (j = nkeys; j > 0 && keys[j - 1] > k; j--) {
				keys[j] = keys[j - 1];
				slots[j] = slots[j - 1];
			}
			keys[j] = k;
			slots[j] = sl;
			nkeys++;
		}
	}
	if (id > 0xFFFF)
		return -1;
	key = (uint32_t)set << 16 | id;
	for (lo = 0, hi = nkeys; lo < hi;) {
		i = lo + (hi - lo) / 2;
		if (keys[i] == key)
			return slots[i];
		if (keys[i] < key)
			lo = i + 1;
		else
			hi = i;
	}
	return -1;
}

/* One pass over a record set: each wanted property by its own tag, or
 * by (property set GUID, LID or name) for named ones, never by LID
 * alone. The first entry that matches a slot wins. */
static int
collect(libpff_record_set_t *rs, struct props *p, char **cause)
{
	libpff_error_t *err = NULL;
	libpff_record_entry_t *e;
	libpff_name_to_id_map_entry_t *nm;
	uint32_t tag, lid;
	char name[16];
	enum pset set;
	int i, j, n = 0, r;

	memset(p, 0, sizeof *p);
	if (libpff_record_set_get_number_of_entries(rs, &n, &err) != 1) {
		*cause = pff_reason(&err);
		return -1;
	}
	for (i = 0; i < n; i++) {
		e = NULL;
		if (libpff_record_set_get_entry_by_index(rs, i, &e, &err) !=
		    1) {
			*cause = pff_reason(&err);
			return -1;
		}
		tag = 0;
		nm = NULL;
		if ((r = libpff_record_entry_get_entry_type(e, &tag,
		    &err)) == 1)
			r = libpff_record_entry_get_name_to_id_map_entry(e,
			    &nm, &err) == -1 ? -1 : 1;
		if (r == -1) {
			libpff_record_entry_free(&e, NULL);
			*cause = pff_reason(&err);
			return -1;
		}
		set = K_TAG;
		lid = tag;
		name[0] = '\0';
		if (r == 0 || (nm != NULL && !named_set(nm, &set, &lid, name,
		    sizeof name)) || (nm == NULL && tag >= 0x8000)) {
			libpff_record_entry_free(&e, NULL);
			continue;
		}
		if ((j = prop_slot(set, lid, name)) != -1 && p->e[j] == NULL)
			p->e[j] = e;	/* borrowed from the item */
		else
			libpff_record_entry_free(&e, NULL);
	}
	return 0;
}

static int
item_props(libpff_item_t *item, struct props *p, char **cause)
{
	libpff_error_t *err = NULL;
	libpff_record_set_t *rs = NULL;
	int32_t cp;
	int r;

	memset(p, 0, sizeof *p);
	if (libpff_item_get_record_set_by_index(item, 0, &rs, &err) != 1) {
		*cause = pff_reason(&err);
		return -1;
	}
	r = collect(rs, p, cause);
	libpff_record_set_free(&rs, NULL);
	if (r == 0 && p->e[S_CODEPAGE] != NULL &&
	    prop_i32(p, S_CODEPAGE, &cp, cause) == 0 && cp > 0)
		p->codepage = cp;
	return r;
}

/* A string property as clean UTF-8 (*out NULL when absent). strip: the
 * subject's 0x01 prefix marker plus the character after it. */
static int
prop_string(struct rd *rd, const struct props *p, enum slot s, int strip,
    char **out, char **cause)
{
	libpff_error_t *err = NULL;
	uint32_t vt = 0;
	uint8_t *raw, *q;
	size_t len;
	iconv_t cd;

	*out = NULL;
	if (p->e[s] == NULL)
		return 0;
	if (libpff_record_entry_get_value_type(p->e[s], &vt, &err) != 1) {
		*cause = pff_reason(&err);
		return -1;
	}
	if (vt != PT_UNICODE && vt != PT_STRING8)
		return 0;
	if (entry_raw(p->e[s], &raw, &len, cause) != 0)
		return -1;
	q = raw;
	if (vt == PT_UNICODE) {
		if (strip && len >= 4 && q[0] == 0x01 && q[1] == 0x00) {
			q += 4;
			len -= 4;
		}
		*out = appt_utf16le_to_utf8(q, len);
		free(raw);
		return 0;
	}
	if (strip && len >= 2 && q[0] == 0x01) {
		q += 2;
		len -= 2;
	}
	cd = rd->cd_file;
	if (p->codepage > 0 && p->codepage != rd->codepage) {
		if (rd->cd_msg_cp != p->codepage) {
			if (rd->cd_msg != (iconv_t)-1)
				iconv_close(rd->cd_msg);
			rd->cd_msg = open_codepage(p->codepage);
			rd->cd_msg_cp = p->codepage;
		}
		if (rd->cd_msg != (iconv_t)-1)
			cd = rd->cd_msg;
	}
	*out = convert(cd, q, len);
	free(raw);
	return 0;
}

/* An integer-like value; *found says whether one was there. */
static int
entry_int(const struct props *p, enum slot s, int32_t *v, int *found,
    char **cause)
{
	libpff_error_t *err = NULL;
	uint32_t vt = 0;
	uint8_t *raw;
	size_t len;

	*found = 0;
	if (p->e[s] == NULL)
		return 0;
	if (libpff_record_entry_get_value_type(p->e[s], &vt, &err) != 1) {
		*cause = pff_reason(&err);
		return -1;
	}
	if (vt != PT_LONG && vt != PT_SHORT && vt != PT_BOOLEAN)
		return 0;
	if (entry_raw(p->e[s], &raw, &len, cause) != 0)
		return -1;
	*found = 1;
	if (vt == PT_LONG && len >= 4)
		*v = (int32_t)le_get32(raw);
	else if (vt != PT_BOOLEAN && len >= 2)
		*v = (int16_t)(raw[0] | raw[1] << 8);
	else if (len >= 1)
		*v = raw[0];
	else
		*found = 0;
	free(raw);
	return 0;
}

/* Absent or of another type leaves *v alone. */
static int
prop_i32(const struct props *p, enum slot s, int32_t *v, char **cause)
{
	int found;

	return entry_int(p, s, v, &found, cause);
}

static int
prop_bool(const struct props *p, enum slot s, int *v, char **cause)
{
	int32_t x = 0;
	int found;

	if (entry_int(p, s, &x, &found, cause) != 0)
		return -1;
	if (found)
		*v = x != 0;
	return 0;
}

static int
prop_time(const struct props *p, enum slot s, int64_t *v, char **cause)
{
	libpff_error_t *err = NULL;
	uint32_t vt = 0;
	uint8_t *raw;
	uint64_t ft = 0;
	size_t len, i;

	if (p->e[s] == NULL)
		return 0;
	if (libpff_record_entry_get_value_type(p->e[s], &vt, &err) != 1) {
		*cause = pff_reason(&err);
		return -1;
	}
	if (vt != PT_SYSTIME)
		return 0;
	if (entry_raw(p->e[s], &raw, &len, cause) != 0)
		return -1;
	if (len == 8) {
		for (i = 8; i > 0; i--)
			ft = ft << 8 | raw[i - 1];
		if (ft <= INT64_MAX)
			*v = (int64_t)ft;
	}
	free(raw);
	return 0;
}

static int
prop_blob(const struct props *p, enum slot s, struct appt_blob *b,
    char **cause)
{
	uint8_t *raw;
	size_t len;

	if (p->e[s] == NULL)
		return 0;
	if (entry_raw(p->e[s], &raw, &len, cause) != 0)
		return -1;
	appt_blob_clear(b);
	b->data = raw;
	b->len = len;
	return 0;
}

/* Keywords (multi-valued strings), or the older Categories LID. The
 * multi-valued layout (MS-PST 2.3.3.4.2) is parsed here: a count, that
 * many offsets, then the strings back to back. libpff 20180714 reports
 * no values for it. */
static int
prop_categories(struct rd *rd, const struct props *p, struct appt *a,
    char **cause)
{
	libpff_error_t *err = NULL;
	enum slot s = p->e[S_KEYWORDS] != NULL ? S_KEYWORDS : S_CATEGORIES;
	uint32_t vt = 0, n, i, off, next;
	uint8_t *raw;
	size_t len;
	char *str;

	if (p->e[s] == NULL)
		return 0;
	if (libpff_record_entry_get_value_type(p->e[s], &vt, &err) != 1) {
		*cause = pff_reason(&err);
		return -1;
	}
	if (vt == PT_UNICODE || vt == PT_STRING8) {
		if (prop_string(rd, p, s, 0, &str, cause) != 0)
			return -1;
		a->categories = xcalloc(1, sizeof *a->categories);
		a->categories[0] = str;
		a->ncategories = 1;
		return 0;
	}
	if (vt != PT_MV_UNICODE && vt != PT_MV_STRING8)
		return 0;
	if (entry_raw(p->e[s], &raw, &len, cause) != 0)
		return -1;
	n = len >= 4 ? le_get32(raw) : 0;
	if (len < 4 || n > (len - 4) / 4) {
		free(raw);
		xasprintf(cause, "malformed categories value");
		return -1;
	}
	if (n > 0)
		a->categories = xcalloc(n, sizeof *a->categories);
	for (i = 0; i < n; i++) {
		off = le_get32(raw + 4 + 4 * i);
		next = i + 1 < n ? le_get32(raw + 8 + 4 * i) : len;
		if (off < 4 + 4 * n || off > next || next > len) {
			free(raw);
			xasprintf(cause, "malformed categories value");
			return -1;
		}
		if (vt == PT_MV_UNICODE)
			str = appt_utf16le_to_utf8(raw + off, next - off);
		else
			str = convert(rd->cd_file, raw + off, next - off);
		a->categories[a->ncategories++] = str;
	}
	free(raw);
	return 0;
}

/* The recipient table: one record set per row. */
static int
read_recipients(struct rd *rd, libpff_item_t *msg, struct appt *a,
    char **cause)
{
	libpff_error_t *err = NULL;
	libpff_item_t *rcpts = NULL;
	libpff_record_set_t *rs;
	struct appt_person *r;
	struct props p;
	int i, n = 0, ret;

	if ((ret = libpff_message_get_recipients(msg, &rcpts, &err)) != 1) {
		if (ret == 0)
			return 0;
		*cause = pff_reason(&err);
		return -1;
	}
	if (libpff_item_get_number_of_record_sets(rcpts, &n, &err) != 1) {
		*cause = pff_reason(&err);
		libpff_item_free(&rcpts, NULL);
		return -1;
	}
	if (n > 0)
		a->rcpts = xcalloc(n, sizeof *a->rcpts);
	ret = 0;
	for (i = 0; i < n && ret == 0; i++) {
		rs = NULL;
		if (libpff_item_get_record_set_by_index(rcpts, i, &rs,
		    &err) != 1) {
			*cause = pff_reason(&err);
			ret = -1;
			break;
		}
		ret = collect(rs, &p, cause);
		libpff_record_set_free(&rs, NULL);
		if (ret != 0)
			break;
		r = &a->rcpts[a->nrcpts++];
		r->type = r->flags = r->track_status = APPT_ABSENT;
		if (prop_string(rd, &p, S_R_NAME, 0, &r->name, cause) != 0 ||
		    prop_string(rd, &p, S_R_ADDRTYPE, 0, &r->addrtype,
		    cause) != 0 ||
		    prop_string(rd, &p, S_R_SMTP, 0, &r->email, cause) != 0 ||
		    prop_i32(&p, S_R_TYPE, &r->type, cause) != 0 ||
		    prop_i32(&p, S_R_FLAGS, &r->flags, cause) != 0 ||
		    prop_i32(&p, S_R_TRACK, &r->track_status, cause) != 0) {
			ret = -1;
			break;
		}
		if ((r->email == NULL || *r->email == '\0') &&
		    r->addrtype != NULL &&
		    strcasecmp(r->addrtype, "SMTP") == 0) {
			free(r->email);
			if (prop_string(rd, &p, S_R_EMAIL, 0, &r->email,
			    cause) != 0)
				ret = -1;
		}
	}
	libpff_item_free(&rcpts, NULL);
	return ret;
}

/* Every property we model, from an item's first record set. */
static int
fill_appt(struct rd *rd, libpff_item_t *item, const struct props *p,
    struct appt *a, int embedded, const char *folder, char **cause)
{
	char *addrtype = NULL;

	a->folder = folder != NULL ? xstrdup(folder) : NULL;
	if (prop_string(rd, p, S_CLASS, 0, &a->msgclass, cause) != 0 ||
	    prop_string(rd, p, S_CREATOR, 0, &a->creator, cause) != 0 ||
	    prop_string(rd, p, S_MODIFIER, 0, &a->modifier, cause) != 0 ||
	    prop_time(p, S_CREATED, &a->created, cause) != 0 ||
	    prop_time(p, S_MODIFIED, &a->modified, cause) != 0 ||
	    prop_time(p, S_CRIT_CHANGE, &a->crit_change, cause) != 0 ||
	    prop_blob(p, S_GOID, &a->goid, cause) != 0 ||
	    prop_blob(p, S_CLEAN_GOID, &a->clean_goid, cause) != 0 ||
	    prop_blob(p, S_SEARCH_KEY, &a->search_key, cause) != 0 ||
	    prop_string(rd, p, S_SUBJECT, 1, &a->subject, cause) != 0 ||
	    prop_string(rd, p, S_LOCATION, 0, &a->location, cause) != 0 ||
	    prop_string(rd, p, S_BODY, 0, &a->body, cause) != 0 ||
	    prop_blob(p, S_RTF, &a->rtf, cause) != 0 ||
	    prop_time(p, S_START, &a->start, cause) != 0 ||
	    prop_time(p, S_END, &a->end, cause) != 0 ||
	    prop_bool(p, S_SUBTYPE, &a->all_day, cause) != 0 ||
	    prop_i32(p, S_BUSY, &a->busy, cause) != 0 ||
	    prop_i32(p, S_INTENDED_BUSY, &a->intended_busy, cause) != 0 ||
	    prop_i32(p, S_SENSITIVITY, &a->sensitivity, cause) != 0 ||
	    prop_i32(p, S_IMPORTANCE, &a->importance, cause) != 0 ||
	    prop_bool(p, S_REMINDER_SET, &a->reminder_set, cause) != 0 ||
	    prop_i32(p, S_REMINDER_DELTA, &a->reminder_min, cause) != 0 ||
	    prop_categories(rd, p, a, cause) != 0 ||
	    prop_i32(p, S_SEQUENCE, &a->sequence, cause) != 0 ||
	    prop_i32(p, S_STATE, &a->state, cause) != 0 ||
	    prop_i32(p, S_RESPONSE, &a->response, cause) != 0 ||
	    prop_string(rd, p, S_ORG_NAME, 0, &a->org_name, cause) != 0 ||
	    prop_string(rd, p, S_ORG_SMTP, 0, &a->org_email, cause) != 0 ||
	    prop_string(rd, p, S_ORG_ADDRTYPE, 0, &addrtype, cause) != 0 ||
	    prop_bool(p, S_RECURRING, &a->recurring, cause) != 0 ||
	    prop_blob(p, S_RECUR, &a->recur, cause) != 0 ||
	    prop_blob(p, S_TZ_STRUCT, &a->tz_struct, cause) != 0 ||
	    prop_string(rd, p, S_TZ_DESC, 0, &a->tz_desc, cause) != 0 ||
	    prop_blob(p, S_TZDEF_START, &a->tzdef_start, cause) != 0 ||
	    prop_blob(p, S_TZDEF_END, &a->tzdef_end, cause) != 0 ||
	    prop_blob(p, S_TZDEF_RECUR, &a->tzdef_recur, cause) != 0 ||
	    prop_time(p, S_REPLACE, &a->replace_time, cause) != 0 ||
	    prop_bool(p, S_EXC_BODY, &a->exc_body, cause) != 0 ||
	    entry_int(p, S_OWNER_APPT_ID, &a->owner_appt_id,
	    &a->has_owner_appt_id, cause) != 0 ||
	    prop_bool(p, S_NO_COUNTER, &a->no_counter, cause) != 0 ||
	    prop_time(p, S_SEQ_TIME, &a->seq_time, cause) != 0 ||
	    prop_i32(p, S_LAST_SEQ, &a->last_sequence, cause) != 0 ||
	    prop_i32(p, S_CONF_TYPE, &a->conf_type, cause) != 0 ||
	    prop_bool(p, S_AUTOFILL_LOC, &a->autofill_loc, cause) != 0 ||
	    prop_bool(p, S_EXTERN_CHECK, &a->extern_check, cause) != 0)
		goto fail;
	/* Nearly always a copy of the start zone: not kept twice. */
	if (appt_blob_eq(&a->tzdef_end, &a->tzdef_start))
		appt_blob_clear(&a->tzdef_end);
	if ((a->org_email == NULL || *a->org_email == '\0') &&
	    addrtype != NULL && strcasecmp(addrtype, "SMTP") == 0) {
		free(a->org_email);
		if (prop_string(rd, p, S_ORG_EMAIL, 0, &a->org_email,
		    cause) != 0)
			goto fail;
	}
	free(addrtype);
	addrtype = NULL;

	/* PidTagHtml: bytes in the message's charset, or a string. */
	if (p->e[S_HTML] != NULL) {
		libpff_error_t *err = NULL;
		uint32_t vt = 0;
		uint8_t *raw;
		size_t len;

		if (libpff_record_entry_get_value_type(p->e[S_HTML], &vt,
		    &err) != 1) {
			*cause = pff_reason(&err);
			goto fail;
		}
		if (vt == PT_UNICODE || vt == PT_STRING8) {
			if (prop_string(rd, p, S_HTML, 0, &a->html, cause) != 0)
				goto fail;
		} else if (vt == PT_BINARY) {
			if (entry_raw(p->e[S_HTML], &raw, &len, cause) != 0)
				goto fail;
			if (memchr(raw, '\0', len) != NULL)
				len = strlen((char *)raw);
			if (utf8_valid(raw, len)) {
				raw[len] = '\0';
				a->html = appt_text_clean((char *)raw);
			} else {
				a->html = convert(rd->cd_1252, raw, len);
				free(raw);
			}
		}
	}
	if (read_recipients(rd, item, a, cause) != 0)
		goto fail;
	read_attachments(rd, item, a, folder, embedded);
	return 0;

fail:
	free(addrtype);
	return -1;
}

/* An attachment's name: the long file name, else the short one, else
 * its display name (PidTagDisplayName, the recipients' S_R_NAME tag).
 * An empty name counts as none. */
static int
attach_name(struct rd *rd, const struct props *ap, struct appt_attach *at,
    char **cause)
{
	static const enum slot order[] = {
		S_ATT_LONGNAME, S_ATT_SHORTNAME, S_R_NAME
	};
	size_t i;

	for (i = 0; i < sizeof order / sizeof order[0] && at->name == NULL;
	    i++) {
		if (prop_string(rd, ap, order[i], 0, &at->name, cause) != 0)
			return -1;
		if (at->name != NULL && *at->name == '\0') {
			free(at->name);
			at->name = NULL;
		}
	}
	return 0;
}

/* The first failure of the content spool ends the run (READER_IOERR). */
static void
spool_failed(struct rd *rd, int error)
{
	if (rd->spool_cause == NULL)
		xasprintf(&rd->spool_cause, "cannot write the scratch file: %s",
		    strerror(error != 0 ? error : EIO));
}

/* A file attachment's bytes through libpff's data stream, which follows
 * the value into its data tree however large it is. No value: no data.
 * With a spool the bytes go there, 64 KiB at a time, and the model keeps
 * only where; else the buffer grows with the bytes actually read, not
 * with the size the file claims. */
static int
attach_data(struct rd *rd, libpff_item_t *att, struct appt_attach *at,
    char **cause)
{
	libpff_error_t *err = NULL;
	FILE *spool = rd->opts != NULL ? rd->opts->spool : NULL;
	struct appt_blob *b = &at->data;
	size64_t size = 0;
	ssize_t got;
	size_t off, cap;
	uint8_t *buf;
	int r;

	if ((r = libpff_attachment_get_data_size(att, &size, &err)) != 1) {
		if (r == 0)
			return 0;
		*cause = pff_reason(&err);
		return -1;
	}
	if (size > MAX_VALUE) {
		xasprintf(cause, "data of %llu bytes",
		    (unsigned long long)size);
		return -1;
	}
	if (libpff_attachment_data_seek_offset(att, 0, SEEK_SET, &err) ==
	    -1) {
		*cause = pff_reason(&err);
		return -1;
	}
	cap = size < 65536 ? size : 65536;
	buf = xmalloc(cap + 1);
	if (spool != NULL && (at->spool_off = ftello(spool)) == -1)
		spool_failed(rd, errno);
	for (off = 0; off < size; off += (size_t)got) {
		if (spool == NULL && off == cap) {
			cap = size - cap > cap ? cap * 2 : size;
			buf = xreallocarray(buf, cap + 1, 1);
		}
		got = libpff_attachment_data_read_buffer(att,
		    spool != NULL ? buf : buf + off,
		    spool != NULL ? (size - off < cap ? size - off : cap) :
		    cap - off, &err);
		if (got <= 0 || (size_t)got > cap - (spool != NULL ? 0 : off)) {
			*cause = got < 0 ? pff_reason(&err) :
			    xstrdup("data shorter than its size");
			free(buf);
			return -1;
		}
		if (spool != NULL && rd->spool_cause == NULL &&
		    fwrite(buf, 1, (size_t)got, spool) != (size_t)got)
			spool_failed(rd, errno);
	}
	if (spool != NULL) {
		free(buf);
		at->spooled = 1;
		b->data = NULL;
	} else
		b->data = buf;
	b->len = size;
	return 0;
}

/* The rest of an ordinary attachment, named already: a file's bytes, or
 * for an embedded message, which is not exported, its subject when the
 * attachment has no name. A reference attachment has no bytes here. */
static int
read_attach(struct rd *rd, libpff_item_t *att, int type, int32_t method,
    const struct props *ap, struct appt_attach *at, char **cause)
{
	libpff_error_t *err = NULL;
	libpff_item_t *emb = NULL;
	struct props ep;
	int r;

	if (prop_string(rd, ap, S_ATT_MIME, 0, &at->mime, cause) != 0)
		return -1;
	if (method != 5 && type != LIBPFF_ATTACHMENT_TYPE_ITEM) {
		if (type != LIBPFF_ATTACHMENT_TYPE_DATA)
			return 0;
		return attach_data(rd, att, at, cause);
	}
	at->embedded = 1;
	if (at->name != NULL)
		return 0;
	if (libpff_attachment_get_item(att, &emb, &err) != 1) {
		*cause = err != NULL ? pff_reason(&err) :
		    xstrdup("no embedded message");
		return -1;
	}
	if ((r = item_props(emb, &ep, cause)) == 0)
		r = prop_string(rd, &ep, S_SUBJECT, 1, &at->name, cause);
	libpff_item_free(&emb, NULL);
	return r;
}

/* Exceptions are hidden embedded messages (attach method 5) on a master;
 * every other attachment, and all of an exception's own, is kept in
 * a->attachs. A broken attachment is reported and left out, the item
 * kept. */
static void
read_attachments(struct rd *rd, libpff_item_t *msg, struct appt *a,
    const char *folder, int embedded)
{
	libpff_error_t *err = NULL;
	libpff_item_t *att, *emb;
	libpff_record_set_t *rs;
	struct appt_exception *x;
	struct appt_attach at;
	struct props ap, ep;
	struct appt *ea;
	char *cause = NULL, *cls;
	int i, n = 0, type, hidden;
	int32_t method;
	uint32_t id;

	if (libpff_message_get_number_of_attachments(msg, &n, &err) != 1) {
		cause = pff_reason(&err);
		add_skip(rd, a->id, folder, NULL, a->subject, 1,
		    "attachments of \"%s\" unreadable: %s",
		    a->subject != NULL ? a->subject : "", cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++) {
		att = emb = NULL;
		rs = NULL;
		ea = NULL;
		cls = NULL;
		memset(&at, 0, sizeof at);
		if (libpff_message_get_attachment(msg, i, &att, &err) != 1) {
			cause = pff_reason(&err);
			goto broken;
		}
		type = 0;
		if (libpff_attachment_get_type(att, &type, &err) != 1) {
			cause = pff_reason(&err);
			goto broken;
		}
		if (libpff_item_get_record_set_by_index(att, 0, &rs, &err) !=
		    1) {
			cause = pff_reason(&err);
			goto broken;
		}
		if (collect(rs, &ap, &cause) != 0)
			goto broken;
		libpff_record_set_free(&rs, NULL);
		method = APPT_ABSENT;
		hidden = 0;
		if (attach_name(rd, &ap, &at, &cause) != 0 ||
		    prop_i32(&ap, S_ATT_METHOD, &method, &cause) != 0 ||
		    prop_bool(&ap, S_ATT_HIDDEN, &hidden, &cause) != 0)
			goto broken;
		if (embedded || (method != 5 &&
		    type != LIBPFF_ATTACHMENT_TYPE_ITEM))
			goto ordinary;
		if (libpff_attachment_get_item(att, &emb, &err) != 1) {
			cause = err != NULL ? pff_reason(&err) :
			    xstrdup("no embedded message");
			goto broken;
		}
		if (item_props(emb, &ep, &cause) != 0 ||
		    prop_string(rd, &ep, S_CLASS, 0, &cls, &cause) != 0)
			goto broken;
		if (hidden != 1 && (cls == NULL ||
		    strcasecmp(cls, exception_class) != 0)) {
			/* libpff does not open an embedded item twice. */
			if (at.name == NULL && prop_string(rd, &ep,
			    S_SUBJECT, 1, &at.name, &cause) != 0)
				goto broken;
			free(cls);
			cls = NULL;
			libpff_item_free(&emb, NULL);
			goto ordinary;
		}
		free(cls);
		cls = NULL;
		free(at.name);
		at.name = NULL;
		ea = appt_new();
		id = 0;
		if (libpff_item_get_identifier(emb, &id, NULL) == 1)
			ea->id = id;
		if (fill_appt(rd, emb, &ep, ea, 1, folder, &cause) != 0)
			goto broken;
		a->excs = xreallocarray(a->excs, a->nexcs + 1,
		    sizeof *a->excs);
		x = &a->excs[a->nexcs++];
		x->replace_time = ea->replace_time;
		x->att_replace_time = x->att_start = x->att_end = APPT_NOTIME;
		x->item = ea;
		if (prop_time(&ap, S_ATT_REPLACE, &x->att_replace_time,
		    &cause) != 0 ||
		    prop_time(&ap, S_ATT_START, &x->att_start, &cause) != 0 ||
		    prop_time(&ap, S_ATT_END, &x->att_end, &cause) != 0) {
			/* Keep the exception; its attachment times are
			 * informational only. */
			free(cause);
			cause = NULL;
		}
		libpff_item_free(&emb, NULL);
		libpff_item_free(&att, NULL);
		continue;
ordinary:
		if (read_attach(rd, att, type, method, &ap, &at, &cause) != 0)
			goto broken;
		a->attachs = xreallocarray(a->attachs, a->nattach + 1,
		    sizeof *a->attachs);
		a->attachs[a->nattach++] = at;
		libpff_item_free(&att, NULL);
		continue;
broken:
		add_skip(rd, a->id, folder, cls, a->subject, 1,
		    "attachment %d%s%s%s of \"%s\" unreadable, left out: %s",
		    i + 1, at.name != NULL ? " \"" : "",
		    at.name != NULL ? at.name : "", at.name != NULL ? "\"" : "",
		    a->subject != NULL ? a->subject : "", cause);
		free(cause);
		cause = NULL;
		free(cls);
		free(at.name);
		free(at.mime);
		appt_blob_clear(&at.data);
		appt_free(ea);
		libpff_record_set_free(&rs, NULL);
		libpff_item_free(&emb, NULL);
		libpff_item_free(&att, NULL);
	}
}

static void
add_skip(struct rd *rd, uint64_t id, const char *folder, const char *cls,
    const char *subject, int damaged, const char *fmt, ...)
{
	struct reader_result *res = rd->res;
	struct reader_skip *s;
	va_list ap;
	char reason[2048];

	if (res->nskips == rd->skipcap) {
		rd->skipcap = rd->skipcap ? rd->skipcap * 2 : 16;
		res->skips = xreallocarray(res->skips, rd->skipcap,
		    sizeof *res->skips);
	}
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	s = &res->skips[res->nskips++];
	s->id = id;
	s->folder = xstrdup(folder != NULL ? folder : "");
	s->msgclass = cls != NULL ? xstrdup(cls) : NULL;
	s->subject = subject != NULL ? xstrdup(subject) : NULL;
	s->reason = appt_text_clean(xstrdup(reason));
	s->damaged = damaged;
}

static void
add_folder(struct rd *rd, const struct fctx *f, const char *cls)
{
	struct reader_result *res = rd->res;
	struct reader_folder *rf;

	if (res->nfolders == rd->foldercap) {
		rd->foldercap = rd->foldercap ? rd->foldercap * 2 : 8;
		res->folders = xreallocarray(res->folders, rd->foldercap,
		    sizeof *res->folders);
	}
	rf = &res->folders[res->nfolders++];
	rf->path = xstrdup(f->path);
	rf->container_class = cls != NULL ? xstrdup(cls) : NULL;
	rf->is_calendar = f->is_calendar;
	rf->selected = f->selected;
	rf->nappts = f->nappts;
	rf->nother = f->nother;
	rf->nid = f->nid;
	rf->first = f->first;
	rf->count = res->appts.n - f->first;
	rf->is_default = 0;
}

/* --folder: the full path (leading slash optional) or the last
 * component, case-insensitively. */
static int
folder_matches(const char *path, const char *want)
{
	const char *last;

	if (*want == '/')
		want++;
	if (*path == '/')
		path++;
	if (strcasecmp(path, want) == 0)
		return 1;
	last = strrchr(path, '/');
	return strcasecmp(last != NULL ? last + 1 : path, want) == 0;
}

static void
progress(struct rd *rd)
{
	if (rd->opts->progress != NULL &&
	    rd->nitems % PROGRESS_EVERY == 0)
		rd->opts->progress(rd->opts->progress_arg, rd->nfolders,
		    rd->nitems);
}

static void
read_message(struct rd *rd, libpff_item_t *msg, struct fctx *f)
{
	struct props p;
	struct appt *a;
	char *cause = NULL, *cls = NULL, *subject = NULL;
	uint32_t id = 0;

	rd->nitems++;
	progress(rd);
	libpff_item_get_identifier(msg, &id, NULL);
	if (item_props(msg, &p, &cause) != 0 ||
	    prop_string(rd, &p, S_CLASS, 0, &cls, &cause) != 0) {
		/* Unreadable: only what the folder promised to show. Outside
		 * calendar folders it is listed but not counted as a damaged
		 * calendar item: it is most likely mail or a contact. */
		if (f->selected) {
			f->nother++;
			if (f->is_calendar)
				add_skip(rd, id, f->path, NULL, NULL, 1, "%s",
				    cause);
			else
				add_skip(rd, id, f->path, NULL, NULL, 0,
				    "unreadable item outside calendar "
				    "folders: %s", cause);
		}
		free(cause);
		return;
	}
	if (!has_prefix(cls, "IPM.Appointment")) {
		f->nother++;
		if (f->selected && f->is_calendar) {
			if (prop_string(rd, &p, S_SUBJECT, 1, &subject,
			    &cause) != 0) {
				free(cause);
				subject = NULL;
			}
			if (has_prefix(cls, "IPM.Schedule.Meeting."))
				add_skip(rd, id, f->path, cls, subject, 0,
				    "meeting request");
			else
				add_skip(rd, id, f->path, cls, subject, 0,
				    "not an appointment (%s)",
				    cls != NULL ? cls : "no message class");
		}
		free(subject);
		free(cls);
		return;
	}
	f->nappts++;
	if (!f->selected) {
		rd->res->left_out++;
		free(cls);
		return;
	}
	a = appt_new();
	a->id = id;
	a->in_calendar = f->is_calendar;
	if (fill_appt(rd, msg, &p, a, 0, f->path, &cause) != 0) {
		add_skip(rd, id, f->path, cls, a->subject, 1, "%s", cause);
		free(cause);
		appt_free(a);
	} else if (a->start == APPT_NOTIME) {
		add_skip(rd, id, f->path, cls, a->subject, 1, "no start time");
		appt_free(a);
	} else if (a->end == APPT_NOTIME) {
		add_skip(rd, id, f->path, cls, a->subject, 1, "no end time");
		appt_free(a);
	} else if (a->end < a->start) {
		add_skip(rd, id, f->path, cls, a->subject, 1,
		    "end before start");
		appt_free(a);
	} else {
		/* Bodies wait on disk with the attachment bytes. */
		if (rd->opts->spool != NULL && rd->spool_cause == NULL &&
		    appt_spool(a, rd->opts->spool, &cause) != 0)
			rd->spool_cause = cause;
		appt_list_push(&rd->res->appts, a);
	}
	free(cls);
}

/* One folder: its messages, then its sub-folders. Children come from
 * libpff's item tree by index (libpff_item_get_sub_item): the per-folder
 * contents table path (get_sub_message) searches the tree by identifier
 * on every call and reads the table as well. */
static void
walk(struct rd *rd, libpff_item_t *folder, const char *parent, int depth)
{
	libpff_error_t *err = NULL;
	libpff_item_t *child;
	struct props p;
	struct fctx f;
	char *name = NULL, *path, *cls = NULL, *cause = NULL;
	size_t sz = 0;
	int i, n = 0, *subs = NULL, nsubs = 0;
	uint32_t id;

	rd->nfolders++;
	if (depth > 0 && libpff_folder_get_utf8_name_size(folder, &sz,
	    &err) == 1 && sz > 1 && sz < 65536) {
		name = xmalloc(sz);
		if (libpff_folder_get_utf8_name(folder, (uint8_t *)name, sz,
		    &err) != 1) {
			free(name);
			name = NULL;
		} else {
			name[sz - 1] = '\0';
			name = appt_text_clean(name);
		}
	}
	libpff_error_free(&err);
	if (depth == 0)
		path = xstrdup("");
	else
		xasprintf(&path, "%s/%s", parent, name != NULL ? name : "");
	free(name);

	memset(&f, 0, sizeof f);
	f.path = path;
	f.first = rd->res->appts.n;
	if (libpff_item_get_identifier(folder, &f.nid, &err) != 1)
		f.nid = 0;
	libpff_error_free(&err);
	if (item_props(folder, &p, &cause) != 0 ||
	    prop_string(rd, &p, S_CONTAINER_CLASS, 0, &cls, &cause) != 0) {
		/* Cannot tell whether it is a calendar: say so. */
		add_skip(rd, 0, path, NULL, NULL, 1,
		    "folder properties unreadable: %s", cause);
		free(cause);
		cause = NULL;
	}
	f.is_calendar = has_prefix(cls, "IPF.Appointment");
	if (rd->opts->folder != NULL)
		f.selected = folder_matches(path, rd->opts->folder) &&
		    (f.is_calendar || rd->opts->all_folders);
	else
		f.selected = f.is_calendar || rd->opts->all_folders;

	if (libpff_item_get_number_of_sub_items(folder, &n, &err) != 1) {
		cause = pff_reason(&err);
		add_skip(rd, 0, path, NULL, NULL, 1, "folder unreadable: %s",
		    cause);
		free(cause);
		n = 0;
	}
	for (i = 0; i < n; i++) {
		child = NULL;
		id = 0;
		if (libpff_item_get_sub_item(folder, i, &child, &err) != 1 ||
		    libpff_item_get_identifier(child, &id, &err) != 1) {
			f.nother++;
			cause = pff_reason(&err);
			add_skip(rd, 0, path, NULL, NULL, 1, "%s", cause);
			free(cause);
			libpff_item_free(&child, NULL);
			continue;
		}
		switch (id & 0x1F) {
		case NID_TYPE_MESSAGE:
			read_message(rd, child, &f);
			break;
		case NID_TYPE_FOLDER:
		case NID_TYPE_SEARCH_FOLDER:
			subs = xreallocarray(subs, nsubs + 1, sizeof *subs);
			subs[nsubs++] = i;
			break;
		}
		libpff_item_free(&child, NULL);
	}
	if (f.is_calendar || f.nappts > 0)
		add_folder(rd, &f, cls);
	folder_store_props(rd, folder, &f, parent, depth);
	free(cls);

	for (i = 0; i < nsubs; i++) {
		child = NULL;
		if (libpff_item_get_sub_item(folder, subs[i], &child,
		    &err) != 1) {
			cause = pff_reason(&err);
			add_skip(rd, 0, path, NULL, NULL, 1, "%s", cause);
			free(cause);
			continue;
		}
		if (depth + 1 >= MAX_DEPTH)
			add_skip(rd, 0, path, NULL, NULL, 1,
			    "folders nested too deep");
		else
			walk(rd, child, path, depth + 1);
		libpff_item_free(&child, NULL);
	}
	free(subs);
	free(path);
}

int
reader_read(const char *path, const struct reader_opts *opts,
    struct reader_result *res, char **cause)
{
	libpff_error_t *err = NULL;
	libpff_item_t *root = NULL, *store = NULL;
	struct rd rd;
	struct stat sb;
	struct props p;
	uint8_t ftype = 0;
	int32_t pw = 0;
	char *why = NULL;
	int fd, r, ret = READER_DATAERR;
	uint8_t head[64];
	ssize_t nhead;

	/* iCalendar, by its content: the .ics reader (icsread.h). */
	if ((fd = open(path, O_RDONLY)) != -1) {
		nhead = read(fd, head, sizeof head);
		close(fd);
		if (nhead > 0 && icsread_sniff(head, (size_t)nhead))
			return icsread_read(path, opts, res, cause);
	}

	memset(res, 0, sizeof *res);
	appt_list_init(&res->appts);
	memset(&rd, 0, sizeof rd);
	rd.opts = opts;
	rd.res = res;
	rd.cd_file = rd.cd_1252 = rd.cd_msg = (iconv_t)-1;
	rd.codepage = opts->codepage != 0 ? opts->codepage : 1252;
	if (!reader_codepage_ok(rd.codepage)) {
		xasprintf(cause, "unsupported codepage %d", rd.codepage);
		return READER_DATAERR;
	}

	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &sb) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return READER_NOINPUT;
	}
	close(fd);
	if (S_ISDIR(sb.st_mode)) {
		xasprintf(cause, "%s: %s", path, strerror(EISDIR));
		return READER_NOINPUT;
	}
	if ((r = libpff_check_file_signature(path, &err)) != 1) {
		if (r == 0 || sb.st_size < 512)
			xasprintf(cause, "%s: not a PST or OST file", path);
		else {
			why = pff_reason(&err);
			xasprintf(cause, "%s: %s", path, why);
		}
		libpff_error_free(&err);
		free(why);
		return READER_DATAERR;
	}

	rd.cd_file = open_codepage(rd.codepage);
	rd.cd_1252 = open_codepage(1252);
	if (rd.cd_file == (iconv_t)-1 || rd.cd_1252 == (iconv_t)-1) {
		xasprintf(cause, "codepage %d: %s", rd.codepage,
		    strerror(errno));
		goto out;
	}
	if (libpff_file_initialize(&rd.file, &err) != 1 ||
	    libpff_file_set_ascii_codepage(rd.file, rd.codepage, &err) != 1 ||
	    libpff_file_open(rd.file, path, LIBPFF_OPEN_READ, &err) != 1) {
		why = pff_reason(&err);
		xasprintf(cause, "%s: %s", path, why);
		free(why);
		goto out;
	}
	if (opts->progress != NULL)
		opts->progress(opts->progress_arg, 0, 0);
	if (libpff_file_get_type(rd.file, &ftype, &err) == 1)
		res->file_type = ftype;
	libpff_error_free(&err);

	if (libpff_file_get_message_store(rd.file, &store, &err) == 1 &&
	    item_props(store, &p, &why) == 0) {
		store_props(&rd, store, &p);
		if (prop_i32(&p, S_PASSWORD, &pw, &why) == 0 && pw != 0 &&
		    pw != -1)
			res->password = 1; /* OSTs carry 0xFFFFFFFF: none */
	}
	libpff_error_free(&err);
	free(why);
	why = NULL;
	libpff_item_free(&store, NULL);

	if ((r = libpff_file_get_root_folder(rd.file, &root, &err)) != 1) {
		why = r == 0 ? xstrdup("no root folder") : pff_reason(&err);
		xasprintf(cause, "%s: %s", path, why);
		free(why);
		goto out;
	}
	walk(&rd, root, "", 0);
	libpff_item_free(&root, NULL);
	store_default(&rd);
	if (opts->progress != NULL)
		opts->progress(opts->progress_arg, rd.nfolders, rd.nitems);
	if (opts->spool != NULL && rd.spool_cause == NULL &&
	    fflush(opts->spool) != 0)
		spool_failed(&rd, errno);
	if (rd.spool_cause != NULL) {
		*cause = rd.spool_cause;
		rd.spool_cause = NULL;
		ret = READER_IOERR;
		goto out;
	}
	ret = 0;

out:
	free(rd.spool_cause);
	free(rd.store.appt_eid);
	free(rd.store.fids);
	libpff_error_free(&err);
	if (rd.file != NULL) {
		libpff_file_close(rd.file, NULL);
		libpff_file_free(&rd.file, NULL);
	}
	if (rd.cd_file != (iconv_t)-1)
		iconv_close(rd.cd_file);
	if (rd.cd_1252 != (iconv_t)-1)
		iconv_close(rd.cd_1252);
	if (rd.cd_msg != (iconv_t)-1)
		iconv_close(rd.cd_msg);
	if (ret != 0)
		reader_result_free(res);
	return ret;
}

void
reader_result_free(struct reader_result *res)
{
	size_t i;

	appt_list_free(&res->appts);
	for (i = 0; i < res->nfolders; i++) {
		free(res->folders[i].path);
		free(res->folders[i].container_class);
	}
	free(res->folders);
	for (i = 0; i < res->nskips; i++) {
		free(res->skips[i].folder);
		free(res->skips[i].msgclass);
		free(res->skips[i].subject);
		free(res->skips[i].reason);
	}
	free(res->skips);
	free(res->store_name);
	free(res->top);
	memset(res, 0, sizeof *res);
	appt_list_init(&res->appts);
}

/* A property by its plain tag, raw; 1 found, 0 absent or unreadable. For
 * the few store and folder properties outside the slot table. */
static int
tag_raw(libpff_item_t *item, uint32_t tag, uint8_t **data, size_t *len)
{
	libpff_error_t *err = NULL;
	libpff_record_set_t *rs = NULL;
	libpff_record_entry_t *e = NULL;
	uint32_t vt = 0;
	char *cause = NULL;
	int r = 0;

	*data = NULL;
	*len = 0;
	if (libpff_item_get_record_set_by_index(item, 0, &rs, &err) == 1 &&
	    libpff_record_set_get_entry_by_type(rs, tag, vt, &e,
	    LIBPFF_ENTRY_VALUE_FLAG_MATCH_ANY_VALUE_TYPE, &err) == 1) {
		if (entry_raw(e, data, len, &cause) == 0)
			r = 1;
		free(cause);
		libpff_record_entry_free(&e, NULL);
	}
	libpff_error_free(&err);
	libpff_record_set_free(&rs, NULL);
	return r;
}

/* The folder NID of a 24-byte PST folder EntryID (4 flag bytes, the
 * store's 16-byte UID, the NID); 0 for any other form. */
static uint32_t
entryid_nid(const uint8_t *eid, size_t len)
{
	if (eid == NULL || len != 24)
		return 0;
	return le_get32(eid + 20);
}

/* The store's display name and where its IPM subtree is. */
static void
store_props(struct rd *rd, libpff_item_t *store, const struct props *p)
{
	uint8_t *eid;
	size_t len;
	char *name = NULL, *cause = NULL;

	/* 0x3001 is in the slot table as a recipient's name. */
	if (prop_string(rd, p, S_R_NAME, 0, &name, &cause) == 0 &&
	    name != NULL && *name != '\0')
		rd->res->store_name = name;
	else
		free(name);
	free(cause);
	if (tag_raw(store, 0x35E0, &eid, &len))
		rd->store.ipm_nid = entryid_nid(eid, len);
	free(eid);
}

/* During the walk: the top of the store, the first
 * PidTagIpmAppointmentEntryId (on the root folder of a PST, the Inbox
 * of an OST), and for folders kept in res->folders their OST folder id
 * (PidTagFolderId-like 0x67F4: replica id, then the 6-byte global
 * counter that a long-term EntryID carries). */
static void
folder_store_props(struct rd *rd, libpff_item_t *folder, const struct fctx *f,
    const char *parent, int depth)
{
	struct reader_result *res = rd->res;
	const char *name;
	uint8_t *v;
	size_t len;

	name = strrchr(f->path, '/');
	name = name != NULL ? name + 1 : f->path;
	if (res->top == NULL) {
		if (rd->store.ipm_nid != 0 && f->nid == rd->store.ipm_nid)
			res->top = xstrdup(f->path);
		/* An OST names no subtree in its store: Exchange's is the
		 * mailbox root's IPM_SUBTREE. */
		else if (rd->store.ipm_nid == 0 && depth == 2 &&
		    strcmp(name, "IPM_SUBTREE") == 0 &&
		    has_prefix(parent, "/Root - Mailbox"))
			res->top = xstrdup(f->path);
	}
	if (rd->store.appt_eid == NULL && depth <= 3 &&
	    tag_raw(folder, 0x36D0, &v, &len)) {
		rd->store.appt_eid = v;
		rd->store.appt_eidlen = len;
	}
	if (res->nfolders > rd->store.nfids &&
	    res->folders[res->nfolders - 1].nid == f->nid &&
	    strcmp(res->folders[res->nfolders - 1].path, f->path) == 0) {
		rd->store.fids = xreallocarray(rd->store.fids, res->nfolders,
		    sizeof *rd->store.fids);
		while (rd->store.nfids < res->nfolders)
			memset(rd->store.fids[rd->store.nfids++], 0, 8);
		if (tag_raw(folder, 0x67F4, &v, &len) && len == 8)
			memcpy(rd->store.fids[res->nfolders - 1], v, 8);
		free(v);
	}
}

/* Mark the folder PidTagIpmAppointmentEntryId names: by NID for a PST
 * EntryID, by global counter for an OST's 46-byte long-term one (flags
 * 4, provider UID 16, folder type 2, database GUID 16, counter 6). */
static void
store_default(struct rd *rd)
{
	static const uint8_t zero[6];
	struct reader_result *res = rd->res;
	const uint8_t *eid = rd->store.appt_eid;
	uint32_t nid;
	size_t i;

	if (eid == NULL)
		return;
	nid = entryid_nid(eid, rd->store.appt_eidlen);
	for (i = 0; i < res->nfolders; i++) {
		if (!res->folders[i].is_calendar)
			continue;
		if (nid != 0 && res->folders[i].nid == nid) {
			res->folders[i].is_default = 1;
			return;
		}
		if (rd->store.appt_eidlen == 46 && i < rd->store.nfids &&
		    memcmp(rd->store.fids[i] + 2, zero, 6) != 0 &&
		    memcmp(rd->store.fids[i] + 2, eid + 38, 6) == 0) {
			res->folders[i].is_default = 1;
			return;
		}
	}
}
