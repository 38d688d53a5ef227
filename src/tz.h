/* tz.h: decode and encode Outlook time-zone blobs; local <-> UTC.
 *
 * Pure code: bytes in, structs out, no libpff or libical. Handles
 * PidLidTimeZoneStruct (TZREG, 48 bytes) and the TZDEFINITION blobs
 * (PidLidAppointmentTimeZoneDefinition{Start,End}Display, ...Recur).
 * Decoders never trust a length field: every read is bounds-checked
 * and nothing is allocated from an unchecked count.
 *
 * Errors: functions returning int give 0 on success, -1 with *cause
 * set to an allocated reason (caller frees) on failure.
 * Ownership: struct tz owns its keyname and rules; tz_free() releases
 * them (not the struct itself, which is usually on the stack).
 */
#ifndef TZ_H
#define TZ_H

#include <stddef.h>
#include <stdint.h>

/* A Windows SYSTEMTIME as used in transition rules. */
struct tz_systime {
	uint16_t	year, month, dow, day, hour, minute, second, msec;
};

/* One rule: TZREG, or a TZRULE of a TZDEFINITION. */
struct tz_rule {
	uint16_t	year;		/* TZRULE wYear: in force from Jan 1;
					   0 for a TZREG */
	uint16_t	flags;		/* TZRULE_FLAG_* */
	int32_t		bias;		/* minutes, UTC = local + bias */
	int32_t		std_bias;
	int32_t		dst_bias;
	struct tz_systime std_date;	/* month 0: no daylight saving */
	struct tz_systime dst_date;
};

#define TZ_RULE_RECUR_CURRENT	0x0001
#define TZ_RULE_EFFECTIVE	0x0002

struct tz {
	char		*keyname;	/* UTF-8 Windows key name, or NULL */
	struct tz_rule	*rules;		/* sorted by year ascending */
	size_t		 nrules;
};

int	tz_decode_reg(const uint8_t *, size_t, struct tz_rule *, char **);
int	tz_decode_def(const uint8_t *, size_t, struct tz *, char **);
void	tz_free(struct tz *);

/* Encoders for the fixture generator; the result is owned by caller. */
void	tz_encode_reg(const struct tz_rule *, uint8_t out[48]);
int	tz_encode_def(const struct tz *, uint8_t **, size_t *, char **);

/* The rule in force during a given year (last rule with year <= y). */
const struct tz_rule *tz_rule_for_year(const struct tz *, int);

/* An item's zone as it stores it: a TZDEFINITION and/or a TZREG. */
struct tz_zone {
	int		has_def, has_reg;
	struct tz	def;
	struct tz_rule	reg;
};

/* Decode an item's two zone blobs (NULL: absent); one that does not
 * decode, or a definition without rules, is left out. 1 if either is
 * there. Free with tz_zone_free(). */
int	tz_zone_load(struct tz_zone *, const uint8_t *, size_t,
	    const uint8_t *, size_t);
void	tz_zone_free(struct tz_zone *);
/* The rule for a year: the definition's (its first before them all),
 * else the TZREG. */
const struct tz_rule *tz_zone_rule(const struct tz_zone *, int);

/* Whether a rule has daylight saving: both transitions set and stated
 * as a VTIMEZONE can state them (else it is taken as without). */
int	tz_rule_has_dst(const struct tz_rule *);

/* Convert between UTC and local wall-clock time, both as FILETIME, by a
 * single rule (the caller picks the rule for the year). Local times in
 * the skipped or repeated hour resolve like Windows does: standard time
 * wins in the repeated hour. */
int64_t	tz_utc_to_local(const struct tz_rule *, int64_t);
int64_t	tz_local_to_utc(const struct tz_rule *, int64_t);

/* Same through a whole definition (rule chosen by the local year). */
int64_t	tz_def_utc_to_local(const struct tz *, int64_t);
int64_t	tz_def_local_to_utc(const struct tz *, int64_t);

/* UTC offsets in seconds east of UTC, for VTIMEZONE TZOFFSETFROM/TO. */
int32_t	tz_std_offset(const struct tz_rule *);
int32_t	tz_dst_offset(const struct tz_rule *);

/* The weekday of a day since 1601-01-01 (ft.h): 0 Sunday .. 6. */
int	tz_weekday(int64_t);

/* The local FILETIME of a rule's transition (std_date or dst_date) in a
 * given year: relative rules resolve to the n-th (5 = last) weekday of
 * the month, absolute ones to that month and day. */
int64_t	tz_transition(const struct tz_systime *, int);

#endif
