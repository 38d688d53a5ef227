/* model.h: the plain appointment model shared by every stage.
 *
 * No libpff or libical type appears here. The reader fills these
 * structures, dedup and report read them, the writer turns them into
 * iCalendar.
 *
 * Ownership: a struct appt owns every pointer in it, including its
 * exceptions' embedded items; a packed one (pack.h) owns its pack
 * instead, and borrows shared values from the pool it was packed
 * with. Strings are NUL-terminated, valid UTF-8
 * without C0 control characters other than TAB, CR and LF; NULL means
 * "property absent", which is not the same as "". Integer properties
 * that can be absent use -1 (APPT_ABSENT) for "absent". Times are
 * FILETIME values (100 ns ticks since 1601-01-01 00:00 UTC) so that no
 * resolution is lost; APPT_NOTIME means absent.
 *
 * An appt_list owns its appointments: appt_list_free() frees them.
 */
#ifndef MODEL_H
#define MODEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define APPT_ABSENT	(-1)
#define APPT_NOTIME	INT64_MIN

/* PidLidAppointmentStateFlags. */
#define APPT_STATE_MEETING	0x1
#define APPT_STATE_RECEIVED	0x2
#define APPT_STATE_CANCELED	0x4

/* PidTagRecipientFlags. */
#define APPT_RCPT_SENDABLE	0x001
#define APPT_RCPT_ORGANIZER	0x002
#define APPT_RCPT_EXC_DELETED	0x020

struct appt_blob {
	uint8_t		*data;		/* owned; NULL when absent */
	size_t		 len;
};

/* One row of the recipient table. */
struct appt_person {
	char		*name;		/* PidTagDisplayName, or NULL */
	char		*email;		/* SMTP address (0x39FE, else 0x3003
					   when the address type is SMTP) */
	char		*addrtype;	/* PidTagAddressType ("SMTP", "EX") */
	int32_t		 type;		/* 0x0C15: 1 required, 2 optional,
					   3 resource; APPT_ABSENT */
	int32_t		 flags;		/* 0x5FFD, APPT_RCPT_*; APPT_ABSENT */
	int32_t		 track_status;	/* 0x5FFF: 0..5 as response status */
};

/* An ordinary attachment (file or embedded mail), not an exception. */
struct appt_attach {
	char		*name;		/* 0x3707 long file name, else 0x3704,
					   else 0x3001; or NULL */
	char		*mime;		/* PidTagAttachMimeTag 0x370E or NULL */
	struct appt_blob data;		/* PidTagAttachDataBinary 0x3701; for
					   an embedded message, NULL */
	int		 embedded;	/* attach method 5: not written as
					   data */
	char		*uri;		/* a reference (an .ics input's
					   VALUE=URI or CID), written back as
					   one; data is empty */
	int		 spooled;	/* the data.len bytes are in a spool
					   at spool_off; data.data is NULL */
	int64_t		 spool_off;
	char		*unread;	/* the reader could not read it: why
					   (the whole message); nothing else
					   is set but name, and the writer
					   reports the item as degraded */
};

/* Where a spooled value sits in the content spool. */
struct appt_spot {
	int64_t		 off;
	size_t		 len;
	int		 present;	/* the value existed when spooled */
};

struct appt;

/* A modified occurrence: a hidden embedded message on the master. */
struct appt_exception {
	int64_t		 replace_time;	/* PidLidExceptionReplaceTime 0x8228
					   on the embedded message: true UTC
					   original start */
	int64_t		 att_replace_time; /* 0x7FF9 on the attachment:
					   local time stored as if UTC */
	int64_t		 att_start;	/* 0x7FFB, local-as-UTC */
	int64_t		 att_end;	/* 0x7FFC, local-as-UTC */
	struct appt	*item;		/* the embedded message, owned; its
					   fields are only what it overrides */
};

struct appt {
	/* Identity and provenance. */
	uint64_t	 id;		/* libpff item identifier (NID) */
	char		*folder;	/* "/Top of Personal Folders/..." */
	char		*msgclass;	/* PidTagMessageClass */
	char		*creator;	/* PidTagCreatorName 0x3FF8 */
	char		*modifier;	/* PidTagLastModifierName 0x3FFA */
	int64_t		 created;	/* PidTagCreationTime 0x3007 */
	int64_t		 modified;	/* PidTagLastModificationTime 0x3008 */
	int64_t		 crit_change;	/* PidLidOwnerCriticalChange */
	struct appt_blob goid;		/* PidLidGlobalObjectId */
	struct appt_blob clean_goid;	/* PidLidCleanGlobalObjectId */
	struct appt_blob search_key;	/* PidTagSearchKey 0x300B */

	/* What the user sees. */
	char		*subject;	/* prefix marker already stripped */
	char		*location;	/* PidLidLocation */
	char		*body;		/* PidTagBody, plain text */
	char		*html;		/* PidTagHtml 0x1013 as UTF-8 */
	struct appt_blob rtf;		/* PidTagRtfCompressed 0x1009 (LZFu) */
	int64_t		 start;		/* PidLidAppointmentStartWhole, UTC */
	int64_t		 end;		/* PidLidAppointmentEndWhole, UTC */
	int		 all_day;	/* PidLidAppointmentSubType: 0/1 or
					   APPT_ABSENT */
	int32_t		 busy;		/* PidLidBusyStatus 0..4 */
	int32_t		 intended_busy;	/* PidLidIntendedBusyStatus */
	int32_t		 sensitivity;	/* PidTagSensitivity 0..3 */
	int32_t		 importance;	/* PidTagImportance 0..2 */
	int		 reminder_set;	/* PidLidReminderSet 0/1 */
	int32_t		 reminder_min;	/* PidLidReminderDelta, minutes */
	char		**categories;	/* Keywords; ncategories entries */
	size_t		 ncategories;
	int32_t		 sequence;	/* PidLidAppointmentSequence */

	/* Exported as Outlook's X- properties (MS-OXCICAL). */
	int32_t		 owner_appt_id;	/* PidTagOwnerAppointmentId 0x0062;
					   any value, so presence apart: */
	int		 has_owner_appt_id;
	int		 no_counter;	/* ...AppointmentNotAllowPropose 0/1 */
	int64_t		 seq_time;	/* ...AppointmentSequenceTime 0x8202 */
	int32_t		 last_sequence;	/* ...AppointmentLastSequence 0x8203 */
	int32_t		 conf_type;	/* PidLidConferencingType 0x8241 */
	int		 autofill_loc;	/* PidLidAutoFillLocation 0/1 */
	int		 extern_check;	/* PidLidAllowExternalCheck 0/1 */

	/* Meetings. */
	int32_t		 state;		/* PidLidAppointmentStateFlags */
	int32_t		 response;	/* PidLidResponseStatus 0..5 */
	char		*org_name;	/* PidTagSentRepresentingName */
	char		*org_email;	/* sent-representing SMTP address */
	struct appt_person *rcpts;
	size_t		 nrcpts;

	/* Recurrence and time zones, raw: recur.h and tz.h decode them. */
	int		 recurring;	/* PidLidRecurring 0/1 */
	struct appt_blob recur;		/* PidLidAppointmentRecur 0x8216 */
	struct appt_blob tz_struct;	/* PidLidTimeZoneStruct 0x8233 */
	char		*tz_desc;	/* PidLidTimeZoneDescription 0x8234 */
	struct appt_blob tzdef_start;	/* ...DefinitionStartDisplay 0x825E */
	struct appt_blob tzdef_end;	/* ...DefinitionEndDisplay 0x825F;
					   absent when equal to tzdef_start */
	struct appt_blob tzdef_recur;	/* ...DefinitionRecur 0x8260 */
	struct appt_exception *excs;	/* modified occurrences */
	size_t		 nexcs;
	struct appt_attach *attachs;	/* ordinary (non-exception) ones */
	size_t		 nattach;

	/* Content spooled out of memory (appt_spool): body, html and rtf
	 * are NULL then, except between appt_unspool and appt_respool. */
	int		 spooled;
	struct appt_spot body_at, html_at, rtf_at;

	/* Not properties: the reader sets in_calendar when the item's
	 * folder is a calendar (IPF.Appointment); dedup_uids() sets uid,
	 * owned, to replace the UID the writer derives from the GOID
	 * (NULL: none), so that no two masters of a file share a UID. */
	int		 in_calendar;
	char		*uid;

	/* Exception embedded messages only. */
	int64_t		 replace_time;	/* PidLidExceptionReplaceTime */
	int		 exc_body;	/* PidLidFExceptionalBody 0/1 */

	/* Set by appt_pack() (pack.h): every pointer above but uid and
	 * what appt_unspool() brings back points into this one
	 * allocation, which starts with the item itself, or into a
	 * shared pool; NULL: each is its own. An exception's item in a
	 * packed master has the master's pack and is freed with it. */
	void		*pack;
};

/* An owning, growable array of appointments. */
struct appt_list {
	struct appt	**v;
	size_t		  n, cap;
};

struct appt	*appt_new(void);	/* every field absent */
void		 appt_free(struct appt *);
void		 appt_list_init(struct appt_list *);
void		 appt_list_push(struct appt_list *, struct appt *); /* takes */
void		 appt_list_free(struct appt_list *); /* frees items too */

void		 appt_blob_set(struct appt_blob *, const void *, size_t);
void		 appt_blob_clear(struct appt_blob *);
int		 appt_blob_eq(const struct appt_blob *,
		    const struct appt_blob *);

/*
 * The content spool keeps what only the output needs (bodies, HTML, RTF,
 * attachment bytes) in a scratch file instead of memory, so memory does
 * not grow with it. appt_spool() moves an item's bodies, and its
 * exceptions', to the end of the spool; appt_unspool() brings them and
 * the spooled attachment bytes back for one item; appt_respool() frees
 * them again. 0, or -1 with *cause ("cannot write the scratch file: why").
 */
int		 appt_spool(struct appt *, FILE *, char **);
int		 appt_unspool(struct appt *, FILE *, char **);
void		 appt_respool(struct appt *);
/* Whether the item has a non-empty body, spooled or not. */
int		 appt_has_body(const struct appt *);



#endif
