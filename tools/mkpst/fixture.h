/* fixture.h: iCalendar fixture text -> PST messages, for mkpst.
 *
 * fixture_convert() reads an iCalendar file written in the fixture
 * language (RFC 5545 plus the X-PST-* properties documented at the top
 * of fixture.c) and writes a PST with one Outlook-shaped message per
 * VEVENT or VJOURNAL. The lower layer (struct fixture_appt and
 * fixture_write(), in fixture_pst.c) is shared with the synthetic
 * generator; the text side is split as fixture_int.h describes.
 *
 * Errors: 0, or -1 with *cause allocated and *kind set to one of
 * FIXTURE_E*. Ownership: a struct fixture_appt owns every pointer in it
 * except tz (borrowed); fixture_appt_free() releases them.
 */
#ifndef FIXTURE_H
#define FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "recur.h"
#include "tz.h"

struct pstw;

#define FIXTURE_EDATA	1	/* bad fixture text (EX_DATAERR) */
#define FIXTURE_ECREATE	2	/* output cannot be created (EX_CANTCREAT) */
#define FIXTURE_EIO	3	/* output write error (EX_IOERR) */
#define FIXTURE_ENOINPUT 4	/* input cannot be read (EX_NOINPUT) */

/* X-PST-BROKEN: deliberately damaged blobs. */
#define FIXTURE_BROKEN_RECUR_TRUNCATE	0x01
#define FIXTURE_BROKEN_RECUR_COUNT_LIE	0x02
#define FIXTURE_BROKEN_TZ_TRUNCATE	0x04
#define FIXTURE_BROKEN_GOID_TRUNCATE	0x08

/* A recipient row. */
struct fixture_person {
	char		*name;
	char		*email;
	int32_t		 type;		/* 0x0C15: 1 required, 2 optional,
					   3 resource */
	int32_t		 flags;		/* 0x5FFD */
	int32_t		 track;		/* 0x5FFF */
};

/* A raw MAPI property (X-PST-PROP). */
struct fixture_raw {
	int		 named;		/* 0 tag, 1 LID, 2 string name */
	uint16_t	 tag;
	uint8_t		 guid[16];	/* on-disk byte order */
	uint32_t	 lid;
	char		*name;
	uint16_t	 type;		/* PSTW_* */
	uint8_t		*val;		/* stored value bytes */
	size_t		 len;
	char		**mv;		/* PSTW_MV_UNICODE values */
	size_t		 nmv;
};

/* A modified occurrence. Times are UTC FILETIMEs; NULL / -1 means
 * "inherited from the master". */
struct fixture_exc {
	int64_t		 orig_start;
	int64_t		 start;
	int64_t		 end;
	char		*subject;
	char		*location;
	char		*body;
	int32_t		 busy;
	int32_t		 reminder_set;
	int32_t		 reminder_min;
	struct fixture_person *rcpts;
	size_t		 nrcpts;
};

/* One message, resolved and ready to write. Integers use -1 for
 * "absent" unless said otherwise. */
struct fixture_appt {
	char		*folder;	/* "Calendar", "Calendar/Sub", ... */
	char		*folder_class;	/* NULL: IPF.Appointment / IPF.Note */
	int		 mail;		/* IPM.Note: no appointment props */
	char		*msgclass;
	char		*subject;
	char		*location;
	char		*body;
	char		*html;
	uint8_t		*rtf;		/* compressed RTF */
	size_t		 rtflen;
	int64_t		 start, end;	/* UTC FILETIME */
	int		 all_day;
	int32_t		 busy;		/* default 2 */
	int32_t		 intended_busy;
	int32_t		 sensitivity;	/* default 0 */
	int32_t		 importance;	/* default 1 */
	int		 reminder_set;
	int32_t		 reminder_min;
	char		**categories;
	size_t		 ncategories;
	int32_t		 sequence;
	int32_t		 state;
	int32_t		 response;
	char		*creator;
	char		*modifier;
	int64_t		 created;	/* 0: absent */
	int64_t		 modified;
	int64_t		 dtstamp;
	uint8_t		*goid;
	size_t		 goidlen;
	uint8_t		*clean_goid;
	size_t		 cleanlen;
	char		*org_name;
	char		*org_email;
	struct fixture_person *rcpts;	/* organizer row included */
	size_t		 nrcpts;

	/* Time zone (borrowed): local times of the recurrence blob. */
	const struct tz_rule *tz;
	const char	*tzid;
	const char	*tzdesc;

	/* Recurrence: the pattern with range filled in; deleted, modified
	 * and excs are derived by fixture_write() from exdates and excs. */
	int		 recurring;
	struct recur	 pat;
	int64_t		*exdates;	/* UTC original starts */
	size_t		 nexdates;
	struct fixture_exc *excs;
	size_t		 nexcs;

	struct fixture_raw *raw;
	size_t		 nraw;
	int		 broken;	/* FIXTURE_BROKEN_* */
	char		*attach_name;	/* a file attachment, or NULL */
	uint8_t		*attach_data;
	size_t		 attach_len;
	int		 attach_ole;	/* X-METHOD=OLE: method 6 */
	int32_t		 attach_count;	/* X-PST-ATTACH-COUNT */
};

/* Folder paths -> node ids, created on first use. */
struct fixture_folders;

void	fixture_appt_init(struct fixture_appt *);
void	fixture_appt_free(struct fixture_appt *);

struct fixture_folders *fixture_folders_new(void);
void	fixture_folders_free(struct fixture_folders *);

/* Write one message into the folder it names. *kind as above. */
int	fixture_write(struct pstw *, struct fixture_folders *,
	    const struct fixture_appt *, int *, char **);

/* The whole conversion: in (.ics) -> out (.pst). Partial output is
 * removed on failure. */
int	fixture_convert(const char *, const char *, int *, char **);

#endif
