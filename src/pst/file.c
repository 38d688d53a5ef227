/* file.c: open a PST/OST read-only, check its header, read it bounded. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "xmalloc.h"
#include "pst/crc.h"
#include "pst/pstint.h"

static int	magic_ok(const uint8_t *);
static int	header_check(struct pst *, char **);
static int	finish_open(struct pst *, struct pst **, char **);
static void	touch(struct pst *, uint64_t, size_t);

/*
 * Mapped file pages count in the resident set, so a whole-file walk
 * would hold the whole file. Every so many bytes or reads (a read may
 * fault in 64 KiB around it), the range read since the last trim is
 * dropped with MADV_DONTNEED: the pages stay in the page cache and a
 * later read maps them again with the same bytes (the mapping is
 * read-only and private), so nothing borrowed from it goes stale.
 */
#define TRIM_BYTES	(4u << 20)
#define TRIM_READS	512

void
pst_err(char **cause, const char *fmt, ...)
{
	va_list	ap;
	char	*s;

	if (cause == NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1) {
		va_end(ap);
		*cause = xstrdup("out of memory");
		return;
	}
	va_end(ap);
	free(*cause);
	*cause = s;
}

int
pst_file_read(struct pst *f, uint64_t off, size_t len, void *dst,
    char **cause)
{
	size_t	done = 0;
	ssize_t	n;

	if (off > f->size || len > f->size - off) {
		pst_err(cause, "%zu bytes at offset 0x%llx are beyond the end "
		    "of the file (%llu bytes)", len, (unsigned long long)off,
		    (unsigned long long)f->size);
		return -1;
	}
	if (f->map != NULL) {
		memcpy(dst, f->map + off, len);
		if (f->mapped)
			touch(f, off, len);
		return 0;
	}
	while (done < len) {
		n = pread(f->fd, (uint8_t *)dst + done, len - done,
		    (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			pst_err(cause, "read at offset 0x%llx: %s",
			    (unsigned long long)(off + done),
			    n < 0 ? strerror(errno) : "unexpected end of file");
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

static void
touch(struct pst *f, uint64_t off, size_t len)
{
	if (f->touch_bytes == 0 && f->touch_reads == 0) {
		f->touch_lo = off;
		f->touch_hi = off + len;
	} else {
		if (off < f->touch_lo)
			f->touch_lo = off;
		if (off + len > f->touch_hi)
			f->touch_hi = off + len;
	}
	f->touch_bytes += len;
	if (++f->touch_reads < TRIM_READS && f->touch_bytes < TRIM_BYTES)
		return;
	pst_file_trim(f);
}

void
pst_file_trim(struct pst *f)
{
	uint64_t	lo, hi;
	long		pg;

	if (!f->mapped || (f->touch_bytes == 0 && f->touch_reads == 0))
		return;
	if ((pg = sysconf(_SC_PAGESIZE)) <= 0)
		pg = 4096;
	/* Fault-around maps up to 64 KiB beside each read. */
	lo = f->touch_lo > 65536 ? f->touch_lo - 65536 : 0;
	lo -= lo % (uint64_t)pg;
	hi = f->touch_hi + 65536;
	if (hi > f->maplen)
		hi = f->maplen;
	if (hi > lo)
		(void)madvise((void *)(uintptr_t)(f->map + lo),
		    (size_t)(hi - lo), MADV_DONTNEED);
	f->touch_bytes = f->touch_reads = 0;
}

static int
header_check(struct pst *f, char **cause)
{
	uint8_t			 buf[PST_HEADER_MAX];
	struct pst_header	*h = &f->hdr;
	int			 kind;
	size_t			 n;

	memset(buf, 0, sizeof buf);
	n = f->size < sizeof buf ? (size_t)f->size : sizeof buf;
	if (n < 24 || pst_file_read(f, 0, n, buf, cause) != 0) {
		pst_err(cause, "file too short for a PST header (%llu bytes)",
		    (unsigned long long)f->size);
		return -1;
	}
	if (magic_ok(buf) == 0) {
		pst_err(cause, "not a PST/OST file (no !BDN signature)");
		return -1;
	}
	if ((kind = pst_kind_of_ver(buf[10] | buf[11] << 8)) < 0) {
		pst_err(cause, "unsupported format version %u",
		    (unsigned)(buf[10] | buf[11] << 8));
		return -1;
	}
	f->l = pst_layout(kind);
	if (pst_header_get(buf, n, h) != 0) {
		pst_err(cause, "file too short for its header (%llu bytes)",
		    (unsigned long long)f->size);
		return -1;
	}
	if (h->crc_partial != pst_header_crc_partial(buf)) {
		pst_err(cause, "header checksum mismatch (0x%08x, computed "
		    "0x%08x)", h->crc_partial, pst_header_crc_partial(buf));
		return -1;
	}
	if (kind != PST_ANSI && h->crc_full != pst_header_crc_full(buf)) {
		pst_err(cause, "header checksum mismatch (full: 0x%08x, "
		    "computed 0x%08x)", h->crc_full, pst_header_crc_full(buf));
		return -1;
	}
	if (h->crypt > PST_CRYPT_CYCLIC) {
		pst_err(cause, "unknown encryption method %u", h->crypt);
		return -1;
	}
	if (h->root.nbt.ib == 0 || h->root.bbt.ib == 0) {
		pst_err(cause, "header has no node or block B-tree");
		return -1;
	}
	return 0;
}

/* Only the magic: a file without it is no PST at all. */
static int
magic_ok(const uint8_t *p)
{
	return p[0] == 0x21 && p[1] == 0x42 && p[2] == 0x44 && p[3] == 0x4E;
}

static int
finish_open(struct pst *f, struct pst **out, char **cause)
{
	if (header_check(f, cause) != 0 || pst_ndb_load(f, cause) != 0) {
		pst_close(f);
		return -1;
	}
	*out = f;
	return 0;
}

int
pst_open(const char *path, int flags, struct pst **out, char **cause)
{
	struct pst	*f;
	struct stat	 st;
	void		*m;

	*out = NULL;
	f = xcalloc(1, sizeof *f);
	if ((f->fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		pst_err(cause, "%s", strerror(errno));
		free(f);
		return -1;
	}
	if (fstat(f->fd, &st) != 0) {
		pst_err(cause, "%s", strerror(errno));
		pst_close(f);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		pst_err(cause, "not a regular file");
		pst_close(f);
		return -1;
	}
	f->size = (uint64_t)st.st_size;
	if (!(flags & PST_OPEN_PREAD) && f->size > 0 &&
	    f->size <= SIZE_MAX) {
		m = mmap(NULL, (size_t)f->size, PROT_READ, MAP_PRIVATE, f->fd,
		    0);
		if (m != MAP_FAILED) {
			f->map = m;
			f->maplen = (size_t)f->size;
			f->mapped = 1;
		}
	}
	return finish_open(f, out, cause);
}

int
pst_open_mem(const void *buf, size_t len, struct pst **out, char **cause)
{
	struct pst	*f;
	static const uint8_t empty[1];

	*out = NULL;
	f = xcalloc(1, sizeof *f);
	f->fd = -1;
	f->map = len > 0 ? buf : empty;
	f->maplen = len;
	f->size = len;
	return finish_open(f, out, cause);
}

void
pst_close(struct pst *f)
{
	if (f == NULL)
		return;
	pst_ltp_free(f);
	pst_ndb_free(f);
	if (f->mapped)
		munmap((void *)(uintptr_t)f->map, f->maplen);
	if (f->fd != -1)
		close(f->fd);
	free(f);
}

const struct pst_header *
pst_header(const struct pst *f)
{
	return &f->hdr;
}

const struct pst_layout *
pst_file_layout(const struct pst *f)
{
	return f->l;
}

uint64_t
pst_file_size(const struct pst *f)
{
	return f->size;
}
