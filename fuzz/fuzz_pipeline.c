/* fuzz_pipeline.c: libFuzzer target for reader -> dedup -> writer -> report. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dedup.h"
#include "model.h"
#include "reader.h"
#include "report.h"
#include "writer.h"
#include "xmalloc.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* libpff only opens files: one scratch file, rewritten per input. */
static char	 path[] = "/tmp/fuzz_pipeline.XXXXXX";
static int	 fd = -1;
static FILE	*devnull;

static void
cleanup(void)
{
	if (fd != -1)
		unlink(path);
	if (devnull != NULL)
		fclose(devnull);
}

static int
scratch(const uint8_t *data, size_t size)
{
	size_t off = 0;
	ssize_t n;

	if (fd == -1) {
		if ((fd = mkstemp(path)) == -1) {
			perror("fuzz_pipeline: mkstemp");
			abort();
		}
		if ((devnull = fopen("/dev/null", "w")) == NULL) {
			perror("fuzz_pipeline: /dev/null");
			abort();
		}
		atexit(cleanup);
	}
	if (ftruncate(fd, 0) == -1)
		return -1;
	while (off < size) {
		if ((n = pwrite(fd, data + off, size - off, (off_t)off)) <= 0)
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
	struct reader_opts ro;
	struct reader_result rr;
	struct dedup_opts dopts;
	struct dedup_result dr;
	struct writer_opts wo;
	struct report_run run;
	struct appt **kept;
	char *cause = NULL;
	size_t nkept = 0;

	if (scratch(data, size) == -1)
		return 0;
	memset(&ro, 0, sizeof ro);
	ro.all_folders = 1;		/* reach every item libpff yields */
	memset(&rr, 0, sizeof rr);
	if (reader_read(path, &ro, &rr, &cause) != 0) {
		free(cause);
		return 0;
	}

	memset(&dopts, 0, sizeof dopts);
	memset(&dr, 0, sizeof dr);
	if (dedup_run(&rr.appts, &dopts, &dr, &cause) != 0) {
		free(cause);
		reader_result_free(&rr);
		return 0;
	}

	kept = xcalloc(rr.appts.n + 1, sizeof *kept);
	for (size_t i = 0; i < rr.appts.n; i++)
		if (dr.dup_of[i] == DEDUP_KEPT)
			kept[nkept++] = rr.appts.v[i];
	memset(&wo, 0, sizeof wo);
	wo.calname = "fuzz";
	wo.warn = quiet_warn;
	if (writer_render(kept, nkept, &wo, devnull, &cause) != 0)
		free(cause);
	free(kept);

	memset(&run, 0, sizeof run);
	run.file = "fuzz.pst";
	run.rr = &rr;
	run.dr = &dr;
	/* Counts that do not add up are pstdedup's internal error (70). */
	if (report_totals(&rr, &dr, &run.totals, &cause) != 0) {
		fprintf(stderr, "fuzz_pipeline: %s\n", cause);
		abort();
	}
	report_write(devnull, &run, REPORT_JSON);

	dedup_result_free(&dr);
	reader_result_free(&rr);
	return 0;
}
