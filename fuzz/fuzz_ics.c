/* fuzz_ics.c: libFuzzer target for .ics input: icsread -> writer -> verify. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "icsread.h"
#include "model.h"
#include "reader.h"
#include "verify.h"
#include "writer.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* reader_read() opens a path: one scratch file, rewritten per input. */
static char	 path[] = "/tmp/fuzz_ics.XXXXXX";
static int	 fd = -1;

static void
cleanup(void)
{
	if (fd != -1)
		unlink(path);
}

static int
scratch(const uint8_t *data, size_t size)
{
	size_t	off = 0;
	ssize_t	n;

	if (fd == -1) {
		if ((fd = mkstemp(path)) == -1) {
			perror("fuzz_ics: mkstemp");
			abort();
		}
		atexit(cleanup);
	}
	if (ftruncate(fd, 0) == -1)
		return -1;
	/* Always iCalendar by content, so the .ics reader is what runs. */
	if (pwrite(fd, "BEGIN:VCALENDAR\r\n", 17, 0) != 17)
		return -1;
	while (off < size) {
		if ((n = pwrite(fd, data + off, size - off,
		    (off_t)(17 + off))) <= 0)
			return -1;
		off += (size_t)n;
	}
	return 0;
}

static void
quiet_warn(void *arg, const struct appt *a, const char *why)
{
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reader_opts	 ro;
	struct reader_result	 rr;
	struct writer_opts	 wo;
	struct verify_opts	 vo;
	char			*cause = NULL, *buf = NULL;
	size_t			 len = 0;
	FILE			*out;

	if (scratch(data, size) == -1)
		return 0;
	memset(&ro, 0, sizeof ro);
	if (reader_read(path, &ro, &rr, &cause) != 0) {
		free(cause);
		return 0;
	}
	memset(&wo, 0, sizeof wo);
	wo.calname = "fuzz";
	wo.warn = quiet_warn;
	if ((out = open_memstream(&buf, &len)) == NULL)
		abort();
	if (writer_render(rr.appts.v, rr.appts.n, &wo, out, &cause) != 0) {
		free(cause);
		cause = NULL;
	}
	fclose(out);
	/* What was written reads back. */
	if ((out = fmemopen(buf, len, "r")) != NULL) {
		memset(&vo, 0, sizeof vo);
		vo.shared_uids = 1;
		if (verify_ics(out, rr.appts.v, rr.appts.n, &vo, &cause) != 0)
			free(cause);
		fclose(out);
	}
	free(buf);
	reader_result_free(&rr);
	return 0;
}
