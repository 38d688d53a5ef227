/* crypt.h: the MS-PST block encodings (MS-PST 5.1, 5.2).
 *
 * Permute ("compressible", bCryptMethod 1) substitutes each byte; cyclic
 * ("high", 2) runs three substitutions keyed by the low 32 bits of the
 * block's BID and is its own inverse. Both work in place on external
 * data blocks only (internal blocks are never encoded). Thread-safe: the
 * tables are constant.
 */
#ifndef PST_CRYPT_H
#define PST_CRYPT_H

#include <stddef.h>
#include <stdint.h>

void	pst_permute_encode(uint8_t *, size_t);
void	pst_permute_decode(uint8_t *, size_t);
void	pst_cyclic(uint8_t *, size_t, uint32_t key);

#endif
