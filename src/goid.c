/* goid.c: GlobalObjectId <-> UID (MS-OXCICAL 2.1.3.1.1.20.26). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "goid.h"
#include "le.h"
#include "model.h"
#include "text.h"
#include "xmalloc.h"

const uint8_t goid_class_id[16] = {
	0x04, 0x00, 0x00, 0x00, 0x82, 0x00, 0xE0, 0x00,
	0x74, 0xC5, 0xB7, 0x10, 0x1A, 0x82, 0xE0, 0x08
};

static const uint8_t vcal_magic[12] = {
	'v', 'C', 'a', 'l', '-', 'U', 'i', 'd', 1, 0, 0, 0
};

int
goid_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
goid_hex_decode(const char *s, uint8_t **out, size_t *len)
{
	size_t	n = strlen(s), i;

	if (n == 0 || n % 2 != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (goid_hex_digit((unsigned char)s[i]) < 0)
			return -1;
	*out = xmalloc(n / 2);
	for (i = 0; i < n / 2; i++)
		(*out)[i] = (uint8_t)(goid_hex_digit((unsigned char)s[2 * i]) <<
		    4 | goid_hex_digit((unsigned char)s[2 * i + 1]));
	*len = n / 2;
	return 0;
}

void
goid_from_uid(const char *uid, uint8_t **goid, size_t *len)
{
	size_t	 ulen = strlen(uid), dlen;
	uint8_t	*b;

	/* Outlook's form: the class id, then at least the 20 bytes to the
	 * data size, all hex. */
	if (ulen > 40 && strncasecmp(uid,
	    "040000008200E00074C5B7101A82E008", 32) == 0 &&
	    goid_hex_decode(uid, goid, len) == 0)
		return;
	dlen = sizeof vcal_magic + ulen + 1;
	b = xcalloc(1, 40 + dlen);
	memcpy(b, goid_class_id, 16);
	le_put32(b + 36, (uint32_t)dlen);
	memcpy(b + 40, vcal_magic, sizeof vcal_magic);
	memcpy(b + 52, uid, ulen);
	*goid = b;
	*len = 40 + dlen;
}

char *
goid_vcal_uid(const uint8_t *d, size_t len)
{
	uint32_t	size;

	if (d == NULL || len < 40 + sizeof vcal_magic)
		return NULL;
	size = le_get32(d + 36);
	if (size < sizeof vcal_magic || size > len - 40)
		return NULL;
	if (memcmp(d + 40, vcal_magic, sizeof vcal_magic) != 0)
		return NULL;
	size -= sizeof vcal_magic;
	d += 40 + sizeof vcal_magic;
	while (size > 0 && d[size - 1] == '\0')
		size--;
	if (size == 0 || memchr(d, '\0', size) != NULL)
		return NULL;
	return xstrndup((const char *)d, size);
}

char *
goid_hex(const uint8_t *d, size_t len)
{
	uint8_t	*copy;
	char	*s;

	copy = xmemdup(d, len);
	if (len >= 20)
		memset(copy + 16, 0, 4);	/* the instance date */
	s = text_hex(copy, len);
	free(copy);
	return s;
}
