/* goid.h: PidLidGlobalObjectId <-> iCalendar UID.
 *
 * One copy of MS-OXCICAL 2.1.3.1.1.20.26: a UID that is Outlook's hex
 * form of a GOID is that GOID; any other UID is wrapped as a "vCal-Uid"
 * GOID, and unwrapped again on the way out. Used by the writer, the
 * .ics reader and the fixture tool.
 *
 * Ownership: every returned buffer or string is owned by the caller.
 */
#ifndef GOID_H
#define GOID_H

#include <stddef.h>
#include <stdint.h>

/* The 16-byte class id every GOID starts with. */
extern const uint8_t goid_class_id[16];

/* The value of a hex digit (either case), or -1: for the hex form of a
 * GOID here and for mkpst's {GUID}s. */
int	 goid_hex_digit(int);

/* Even-length hex text -> bytes; 0, or -1 (nothing allocated). */
int	 goid_hex_decode(const char *, uint8_t **, size_t *);

/* UID -> GlobalObjectId bytes: Outlook's hex form decoded, anything
 * else wrapped as vCal-Uid. */
void	 goid_from_uid(const char *, uint8_t **, size_t *);

/* The UID inside a vCal-Uid GOID (raw, unescaped), or NULL if the
 * bytes are not one. */
char	*goid_vcal_uid(const uint8_t *, size_t);

/* Uppercase hex with the instance date (bytes 16..19) zeroed: the UID
 * of a GOID, and the hex of its CleanGlobalObjectId. */
char	*goid_hex(const uint8_t *, size_t);

#endif
