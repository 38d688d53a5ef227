/* crc.h: the MS-PST CRC-32 (also MS-OXRTFCP's).
 *
 * Reflected polynomial 0xEDB88320, starting from the caller's value (0
 * for a fresh CRC) with no final XOR: not zlib's crc32(). Chain calls by
 * passing the previous result. No allocation, no state to free.
 */
#ifndef PST_CRC_H
#define PST_CRC_H

#include <stddef.h>
#include <stdint.h>

uint32_t	pst_crc32(uint32_t crc, const void *, size_t);

#endif
