/* reader_slots.c: which slot of a struct rd_props a property found in
 * the file goes to (reader_impl.h).
 *
 * One table, propdefs, names every property the reader wants by its
 * property set and tag, LID or name; backends put what they find
 * through rd_slot_of() and rd_named_slot() and fill values with
 * rd_val_set(); reader_pst.c asks the way back, a slot's GUID and LID
 * or name (rd_slot_name()), to look up the ids a file gave them. Named
 * properties are matched on property-set GUID plus LID or name, never
 * by LID alone. Nothing here allocates; rd_props_free() frees what the
 * values own. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pst/mapi.h"
#include "reader_impl.h"


/* Property sets as stored (pst/mapi.h); a zero GUID is how libpff
 * reports PS_MAPI's numeric names. */
static const uint8_t guid_zero[16];

static const struct {
	enum rd_pset	 set;
	uint32_t	 id;
	const char	*name;
} propdefs[S_NSLOTS] = {
	[S_CLASS] = { K_TAG, MAPI_ID_MESSAGE_CLASS, NULL },
	[S_SUBJECT] = { K_TAG, MAPI_ID_SUBJECT, NULL },
	[S_IMPORTANCE] = { K_TAG, MAPI_ID_IMPORTANCE, NULL },
	[S_SENSITIVITY] = { K_TAG, MAPI_ID_SENSITIVITY, NULL },
	[S_ORG_NAME] = { K_TAG, MAPI_ID_SENT_REPR_NAME, NULL },
	[S_ORG_ADDRTYPE] = { K_TAG, MAPI_ID_SENT_REPR_ADDRTYPE, NULL },
	[S_ORG_EMAIL] = { K_TAG, MAPI_ID_SENT_REPR_EMAIL, NULL },
	[S_ORG_SMTP] = { K_TAG, MAPI_ID_SENT_REPR_SMTP, NULL },
	[S_BODY] = { K_TAG, MAPI_ID_BODY, NULL },
	[S_RTF] = { K_TAG, MAPI_ID_RTF_COMPRESSED, NULL },
	[S_HTML] = { K_TAG, MAPI_ID_HTML, NULL },
	[S_CREATED] = { K_TAG, MAPI_ID_CREATION_TIME, NULL },
	[S_MODIFIED] = { K_TAG, MAPI_ID_LAST_MODIFICATION_TIME, NULL },
	[S_SEARCH_KEY] = { K_TAG, MAPI_ID_SEARCH_KEY, NULL },
	[S_CREATOR] = { K_TAG, MAPI_ID_CREATOR_NAME, NULL },
	[S_MODIFIER] = { K_TAG, MAPI_ID_LAST_MODIFIER_NAME, NULL },
	[S_CODEPAGE] = { K_TAG, MAPI_ID_MESSAGE_CODEPAGE, NULL },
	[S_CONTAINER_CLASS] = { K_TAG, MAPI_ID_CONTAINER_CLASS, NULL },
	[S_PASSWORD] = { K_TAG, MAPI_ID_PST_PASSWORD, NULL },
	[S_START] = { K_APPT, MAPI_LID_APPT_START_WHOLE, NULL },
	[S_END] = { K_APPT, MAPI_LID_APPT_END_WHOLE, NULL },
	[S_SUBTYPE] = { K_APPT, MAPI_LID_APPT_SUB_TYPE, NULL },
	[S_BUSY] = { K_APPT, MAPI_LID_BUSY_STATUS, NULL },
	[S_INTENDED_BUSY] = { K_APPT, MAPI_LID_INTENDED_BUSY_STATUS, NULL },
	[S_LOCATION] = { K_APPT, MAPI_LID_LOCATION, NULL },
	[S_SEQUENCE] = { K_APPT, MAPI_LID_APPT_SEQUENCE, NULL },
	[S_STATE] = { K_APPT, MAPI_LID_APPT_STATE_FLAGS, NULL },
	[S_RESPONSE] = { K_APPT, MAPI_LID_RESPONSE_STATUS, NULL },
	[S_RECURRING] = { K_APPT, MAPI_LID_RECURRING, NULL },
	[S_RECUR] = { K_APPT, MAPI_LID_APPT_RECUR, NULL },
	[S_TZ_STRUCT] = { K_APPT, MAPI_LID_TIME_ZONE_STRUCT, NULL },
	[S_TZ_DESC] = { K_APPT, MAPI_LID_TIME_ZONE_DESCRIPTION, NULL },
	[S_TZDEF_START] = { K_APPT, MAPI_LID_TZDEF_START_DISPLAY, NULL },
	[S_TZDEF_END] = { K_APPT, MAPI_LID_TZDEF_END_DISPLAY, NULL },
	[S_TZDEF_RECUR] = { K_APPT, MAPI_LID_TZDEF_RECUR, NULL },
	[S_REPLACE] = { K_APPT, MAPI_LID_EXCEPTION_REPLACE_TIME, NULL },
	[S_EXC_BODY] = { K_APPT, MAPI_LID_FEXCEPTIONAL_BODY, NULL },
	[S_REMINDER_SET] = { K_COMMON, MAPI_LID_REMINDER_SET, NULL },
	[S_REMINDER_DELTA] = { K_COMMON, MAPI_LID_REMINDER_DELTA, NULL },
	[S_GOID] = { K_MEETING, MAPI_LID_GLOBAL_OBJECT_ID, NULL },
	[S_CLEAN_GOID] = { K_MEETING, MAPI_LID_CLEAN_GLOBAL_OBJECT_ID, NULL },
	[S_CRIT_CHANGE] = { K_MEETING, MAPI_LID_OWNER_CRITICAL_CHANGE, NULL },
	[S_KEYWORDS] = { K_NAME, 0, "Keywords" },
	[S_CATEGORIES] = { K_PUBLIC, MAPI_LID_KEYWORDS, NULL },
	[S_OWNER_APPT_ID] = { K_TAG, MAPI_ID_OWNER_APPT_ID, NULL },
	[S_NO_COUNTER] = { K_APPT, MAPI_LID_APPT_NOT_ALLOW_PROPOSE, NULL },
	[S_SEQ_TIME] = { K_APPT, MAPI_LID_APPT_SEQUENCE_TIME, NULL },
	[S_LAST_SEQ] = { K_APPT, MAPI_LID_APPT_LAST_SEQUENCE, NULL },
	[S_CONF_TYPE] = { K_APPT, MAPI_LID_CONFERENCING_TYPE, NULL },
	[S_AUTOFILL_LOC] = { K_APPT, MAPI_LID_AUTOFILL_LOCATION, NULL },
	[S_EXTERN_CHECK] = { K_APPT, MAPI_LID_ALLOW_EXTERNAL_CHECK, NULL },
	[S_IPM_SUBTREE_EID] = { K_TAG, MAPI_ID_IPM_SUBTREE_ENTRYID, NULL },
	[S_APPT_EID] = { K_TAG, MAPI_ID_IPM_APPOINTMENT_ENTRYID, NULL },
	[S_FOLDER_ID] = { K_TAG, MAPI_ID_OST_FOLDER_ID, NULL },
	[S_ATT_METHOD] = { K_TAG, MAPI_ID_ATTACH_METHOD, NULL },
	[S_ATT_HIDDEN] = { K_TAG, MAPI_ID_ATTACHMENT_HIDDEN, NULL },
	[S_ATT_REPLACE] = { K_TAG, MAPI_ID_EXCEPTION_REPLACE_TIME, NULL },
	[S_ATT_START] = { K_TAG, MAPI_ID_EXCEPTION_START_TIME, NULL },
	[S_ATT_END] = { K_TAG, MAPI_ID_EXCEPTION_END_TIME, NULL },
	[S_ATT_LONGNAME] = { K_TAG, MAPI_ID_ATTACH_LONG_FILENAME, NULL },
	[S_ATT_SHORTNAME] = { K_TAG, MAPI_ID_ATTACH_FILENAME, NULL },
	[S_ATT_MIME] = { K_TAG, MAPI_ID_ATTACH_MIME_TAG, NULL },
	[S_R_NAME] = { K_TAG, MAPI_ID_DISPLAY_NAME, NULL },
	[S_R_ADDRTYPE] = { K_TAG, MAPI_ID_ADDRTYPE, NULL },
	[S_R_EMAIL] = { K_TAG, MAPI_ID_EMAIL_ADDRESS, NULL },
	[S_R_SMTP] = { K_TAG, MAPI_ID_SMTP_ADDRESS, NULL },
	[S_R_TYPE] = { K_TAG, MAPI_ID_RECIPIENT_TYPE, NULL },
	[S_R_FLAGS] = { K_TAG, MAPI_ID_RECIPIENT_FLAGS, NULL },
	[S_R_TRACK] = { K_TAG, MAPI_ID_RECIPIENT_TRACK_STATUS, NULL },
};

static int	 prop_slot(enum rd_pset, uint32_t, const char *);

/* The slot of a named property: the property set by its GUID, then the
 * LID or name within it. */
int
rd_named_slot(const uint8_t *guid, int numeric, uint32_t lid,
    const char *name)
{
	enum rd_pset set;

	if (memcmp(guid, mapi_psetid_appointment, 16) == 0)
		set = K_APPT;
	else if (memcmp(guid, mapi_psetid_common, 16) == 0)
		set = K_COMMON;
	else if (memcmp(guid, mapi_psetid_meeting, 16) == 0)
		set = K_MEETING;
	else if (numeric && (memcmp(guid, mapi_ps_public_strings, 16) == 0 ||
	    memcmp(guid, guid_zero, 16) == 0))
		set = K_PUBLIC;
	else if (!numeric && memcmp(guid, mapi_ps_public_strings, 16) == 0)
		set = K_NAME;
	else
		return -1;
	return prop_slot(set, numeric ? lid : 0, numeric ? "" : name);
}

int
rd_slot_of(uint32_t tag)
{
	if (tag >= 0x8000)
		return -1;
	return prop_slot(K_TAG, tag, "");
}

int
rd_val_set(struct rd_props *p, int slot, uint32_t type, const uint8_t *data,
    size_t len)
{
	struct rd_val *v;

	if (slot < 0 || slot >= S_NSLOTS || p->v[slot].set)
		return 0;
	v = &p->v[slot];
	v->set = 1;
	v->type = type;
	v->data = data;
	v->len = len;
	return 1;
}

int
rd_slot_name(int s, const uint8_t **guid, uint32_t *lid, const char **name)
{
	if (s < 0 || s >= S_NSLOTS)
		return 0;
	*lid = propdefs[s].id;
	*name = NULL;
	switch (propdefs[s].set) {
	case K_APPT:
		*guid = mapi_psetid_appointment;
		break;
	case K_COMMON:
		*guid = mapi_psetid_common;
		break;
	case K_MEETING:
		*guid = mapi_psetid_meeting;
		break;
	case K_PUBLIC:
		*guid = mapi_ps_public_strings;
		break;
	case K_NAME:
		*guid = mapi_ps_public_strings;
		*name = propdefs[s].name;
		break;
	default:
		return 0;
	}
	return 1;
}

void
rd_props_free(struct rd_props *p)
{
	size_t i;

	for (i = 0; i < S_NSLOTS; i++) {
		if (!p->v[i].set)
			continue;
		free(p->v[i].type_err);
		free(p->v[i].data_err);
		free(p->v[i].own);
	}
	memset(p, 0, sizeof *p);
}

_Static_assert(S_NSLOTS <= UINT8_MAX, "slots must fit prop_slot's index");

/* The slot of a property, or -1: a binary search over propdefs sorted
 * by (set, id) once, since every entry of every item comes through. */
static int
prop_slot(enum rd_pset set, uint32_t id, const char *name)
{
	static uint32_t	 keys[S_NSLOTS];
	static uint8_t	 slots[S_NSLOTS];
	static size_t	 nkeys;
	/* Ordinary tags, most of the calls: slot + 1 by id, 0 for none. */
	static uint8_t	 tags[0x8000];
	uint32_t	 key, k;
	uint8_t		 sl;
	size_t		 i, j, lo, hi;
	int		 found;

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
		/* The table answers as the search below does. */
		for (j = 0; j < nkeys; j++) {
			if (keys[j] >> 16 != K_TAG ||
			    (keys[j] & 0xFFFF) >= 0x8000)
				continue;
			found = -1;
			for (lo = 0, hi = nkeys; lo < hi;) {
				i = lo + (hi - lo) / 2;
				if (keys[i] == keys[j]) {
					found = slots[i];
					break;
				}
				if (keys[i] < keys[j])
					lo = i + 1;
				else
					hi = i;
			}
			tags[keys[j] & 0xFFFF] = (uint8_t)(found + 1);
		}
	}
	if (set == K_TAG && id < 0x8000)
		return (int)tags[id] - 1;
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
