/* crc.c: the MS-PST CRC-32, sliced by 8 (every page and block has one). */
#include <stdint.h>

#include "le.h"
#include "pst/crc.h"

static void	crc_init(void);

static uint32_t	crc_table[8][256];
static int	crc_ready;

static void
crc_init(void)
{
	uint32_t	c;
	int		i, j;

	for (i = 0; i < 256; i++) {
		c = (uint32_t)i;
		for (j = 0; j < 8; j++)
			c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		crc_table[0][i] = c;
	}
	for (i = 0; i < 256; i++) {
		c = crc_table[0][i];
		for (j = 1; j < 8; j++) {
			c = crc_table[0][c & 0xFF] ^ (c >> 8);
			crc_table[j][i] = c;
		}
	}
	crc_ready = 1;
}

uint32_t
pst_crc32(uint32_t crc, const void *data, size_t len)
{
	const uint8_t	*p = data;
	uint32_t	 a, b;

	if (!crc_ready)
		crc_init();
	while (len >= 8) {
		a = le_get32(p) ^ crc;
		b = le_get32(p + 4);
		crc = crc_table[7][a & 0xFF] ^ crc_table[6][(a >> 8) & 0xFF] ^
		    crc_table[5][(a >> 16) & 0xFF] ^ crc_table[4][a >> 24] ^
		    crc_table[3][b & 0xFF] ^ crc_table[2][(b >> 8) & 0xFF] ^
		    crc_table[1][(b >> 16) & 0xFF] ^ crc_table[0][b >> 24];
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		crc = crc_table[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return crc;
}
