/* reader_nopff.c: the libpff backend of a build without libpff
 * (configure --without-libpff, e.g. the Windows exe): our own reader
 * only. --reader libpff is refused by cli.c (reader_libpff_available);
 * the fallback on a damaged PST finds no second reader here and the
 * file is reported as our reader saw it. */
#include <stddef.h>

#include "reader.h"
#include "reader_impl.h"
#include "xmalloc.h"

static int
nopff_open(struct rd *rd, const char *path, char **cause)
{
	(void)rd;
	xasprintf(cause, "%s: no libpff in this build to try instead", path);
	return READER_DATAERR;
}

/* Never opened, so nothing else is ever called. */
const struct rd_backend rd_libpff_backend = {
	.name = "libpff",
	.open = nopff_open,
};

const char *
reader_libpff_version(void)
{
	return "none";
}

int
reader_libpff_available(void)
{
	return 0;
}
