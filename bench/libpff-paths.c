/* libpff-paths.c: time one way of reading a PST through libpff (bench). */
#define _POSIX_C_SOURCE 200809L	/* clock_gettime under -std=c11 */

#include <sys/resource.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpff.h>

#define NID_TYPE_FOLDER		0x02
#define NID_TYPE_SEARCH_FOLDER	0x03
#define NID_TYPE_MESSAGE	0x04
#define CHUNK			65536	/* attachment reads, as the reader */
#define MAX_DEPTH		256
#define TAG_ATTACH_DATA		0x3701	/* read through the data stream */

enum mode {
	M_OPEN, M_SUBITEMS, M_SUBMESSAGES, M_BYID, M_VALUES, M_FULL
};

static const char *const modes[] = {
	"open", "subitems", "submessages", "byid", "values", "full"
};

struct probe {
	enum mode	 mode;
	libpff_file_t	*file;
	size_t		 items;		/* messages visited */
	size_t		 entries;	/* record entries read */
	uint64_t	 bytes;		/* value and attachment bytes read */
	uint32_t	*ids;		/* byid: message identifiers */
	size_t		 nids, capids;
	uint8_t		*buf;		/* value bytes land here */
	size_t		 bufcap;
	double		 getitem;	/* seconds in libpff_attachment_get_item */
};

static void	 die(libpff_error_t **, const char *, ...)
		    __attribute__((format(printf, 2, 3), noreturn));
static double	 now(void);
static void	 record_set(struct probe *, libpff_item_t *, int, int);
static void	 values(struct probe *, libpff_item_t *, int);
static void	 recipients(struct probe *, libpff_item_t *);
static void	 attach_data(struct probe *, libpff_item_t *);
static void	 attachments(struct probe *, libpff_item_t *, int);
static void	 message(struct probe *, libpff_item_t *);
static void	 walk_subitems(struct probe *, libpff_item_t *, int);
static void	 walk_submessages(struct probe *, libpff_item_t *, int);
static void	 fetch_byid(struct probe *);

/* One line on stderr, ending in libpff's own message when it gave one. */
static void
die(libpff_error_t **err, const char *fmt, ...)
{
	char buf[1024], *p;
	va_list ap;

	fputs("libpff-paths: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (err != NULL && *err != NULL &&
	    libpff_error_sprint(*err, buf, sizeof buf) > 0) {
		buf[sizeof buf - 1] = '\0';
		if ((p = strpbrk(buf, "\r\n")) != NULL)
			*p = '\0';
		fprintf(stderr, ": %s", buf);
		libpff_error_free(err);
	}
	fputc('\n', stderr);
	exit(1);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Every entry of one record set as the reader's collect() sees it: its
 * tag, its name-to-id mapping, and its value bytes (on an attachment,
 * all but the data the stream reads). */
static void
record_set(struct probe *pr, libpff_item_t *item, int index, int attach)
{
	libpff_error_t *err = NULL;
	libpff_record_set_t *rs = NULL;
	libpff_record_entry_t *e;
	libpff_name_to_id_map_entry_t *nm;
	uint32_t tag;
	size_t size;
	int i, n = 0;

	if (libpff_item_get_record_set_by_index(item, index, &rs, &err) != 1 ||
	    libpff_record_set_get_number_of_entries(rs, &n, &err) != 1)
		die(&err, "record set %d", index);
	for (i = 0; i < n; i++) {
		e = NULL;
		nm = NULL;
		tag = 0;
		size = 0;
		if (libpff_record_set_get_entry_by_index(rs, i, &e,
		    &err) != 1 ||
		    libpff_record_entry_get_entry_type(e, &tag, &err) == -1 ||
		    libpff_record_entry_get_name_to_id_map_entry(e, &nm,
		    &err) == -1 ||
		    libpff_record_entry_get_data_size(e, &size, &err) != 1)
			die(&err, "record entry %d", i);
		if (attach && tag == TAG_ATTACH_DATA)
			size = 0;
		if (size > pr->bufcap) {
			free(pr->buf);
			pr->bufcap = size;
			if ((pr->buf = malloc(pr->bufcap)) == NULL)
				die(NULL, "out of memory");
		}
		if (size > 0 && libpff_record_entry_get_data(e, pr->buf, size,
		    &err) != 1)
			die(&err, "record entry %d data", i);
		pr->entries++;
		pr->bytes += size;
		libpff_record_entry_free(&e, NULL);
	}
	libpff_record_set_free(&rs, NULL);
}

static void
values(struct probe *pr, libpff_item_t *item, int attach)
{
	record_set(pr, item, 0, attach);
}

/* The recipient table: one record set per recipient. */
static void
recipients(struct probe *pr, libpff_item_t *msg)
{
	libpff_error_t *err = NULL;
	libpff_item_t *rcpts = NULL;
	int i, n = 0, r;

	if ((r = libpff_message_get_recipients(msg, &rcpts, &err)) == 0)
		return;
	if (r != 1 || libpff_item_get_number_of_record_sets(rcpts, &n,
	    &err) != 1)
		die(&err, "recipients");
	for (i = 0; i < n; i++)
		record_set(pr, rcpts, i, 0);
	libpff_item_free(&rcpts, NULL);
}

static void
attach_data(struct probe *pr, libpff_item_t *att)
{
	libpff_error_t *err = NULL;
	size64_t size = 0, off;
	ssize_t got;
	int r;

	if ((r = libpff_attachment_get_data_size(att, &size, &err)) == 0)
		return;
	if (r != 1 || libpff_attachment_data_seek_offset(att, 0, SEEK_SET,
	    &err) == -1)
		die(&err, "attachment data");
	if (pr->bufcap < CHUNK) {
		free(pr->buf);
		pr->bufcap = CHUNK;
		if ((pr->buf = malloc(pr->bufcap)) == NULL)
			die(NULL, "out of memory");
	}
	for (off = 0; off < size; off += (size64_t)got) {
		got = libpff_attachment_data_read_buffer(att, pr->buf, CHUNK,
		    &err);
		if (got <= 0)
			die(&err, "attachment data at %llu",
			    (unsigned long long)off);
	}
	pr->bytes += size;
}

/* Each attachment's entries; an embedded item (an exception) with its
 * entries, recipients and attachments, once, as the reader does; a file
 * attachment's bytes. */
static void
attachments(struct probe *pr, libpff_item_t *msg, int embedded)
{
	libpff_error_t *err = NULL;
	libpff_item_t *att, *emb;
	double t;
	int i, n = 0, type;

	if (libpff_message_get_number_of_attachments(msg, &n, &err) != 1)
		die(&err, "attachments");
	for (i = 0; i < n; i++) {
		att = emb = NULL;
		type = 0;
		if (libpff_message_get_attachment(msg, i, &att, &err) != 1 ||
		    libpff_attachment_get_type(att, &type, &err) != 1)
			die(&err, "attachment %d", i);
		values(pr, att, 1);
		if (type == LIBPFF_ATTACHMENT_TYPE_ITEM && !embedded) {
			t = now();
			if (libpff_attachment_get_item(att, &emb, &err) != 1)
				die(&err, "embedded item of attachment %d", i);
			pr->getitem += now() - t;
			values(pr, emb, 0);
			recipients(pr, emb);
			attachments(pr, emb, 1);
			libpff_item_free(&emb, NULL);
		} else if (type == LIBPFF_ATTACHMENT_TYPE_DATA)
			attach_data(pr, att);
		libpff_item_free(&att, NULL);
	}
}

static void
message(struct probe *pr, libpff_item_t *msg)
{
	pr->items++;
	if (pr->mode == M_VALUES || pr->mode == M_FULL)
		values(pr, msg, 0);
	if (pr->mode == M_FULL) {
		recipients(pr, msg);
		attachments(pr, msg, 0);
	}
}

/* The reader's walk: children by index from libpff's item tree. */
static void
walk_subitems(struct probe *pr, libpff_item_t *folder, int depth)
{
	libpff_error_t *err = NULL;
	libpff_item_t *child;
	uint32_t id;
	int i, n = 0;

	if (depth >= MAX_DEPTH)
		die(NULL, "folders nested too deep");
	if (pr->mode == M_VALUES || pr->mode == M_FULL)
		values(pr, folder, 0);	/* the reader reads the container class */
	if (libpff_item_get_number_of_sub_items(folder, &n, &err) != 1)
		die(&err, "sub-items");
	for (i = 0; i < n; i++) {
		child = NULL;
		id = 0;
		if (libpff_item_get_sub_item(folder, i, &child, &err) != 1 ||
		    libpff_item_get_identifier(child, &id, &err) != 1)
			die(&err, "sub-item %d", i);
		switch (id & 0x1F) {
		case NID_TYPE_MESSAGE:
			if (pr->mode == M_BYID) {
				if (pr->nids == pr->capids) {
					pr->capids = pr->capids ?
					    pr->capids * 2 : 1024;
					pr->ids = realloc(pr->ids,
					    pr->capids * sizeof *pr->ids);
					if (pr->ids == NULL)
						die(NULL, "out of memory");
				}
				pr->ids[pr->nids++] = id;
			} else
				message(pr, child);
			break;
		case NID_TYPE_FOLDER:
		case NID_TYPE_SEARCH_FOLDER:
			walk_subitems(pr, child, depth + 1);
			break;
		}
		libpff_item_free(&child, NULL);
	}
}

/* The folder API: sub-folders, and each folder's contents table. */
static void
walk_submessages(struct probe *pr, libpff_item_t *folder, int depth)
{
	libpff_error_t *err = NULL;
	libpff_item_t *child;
	int i, n = 0;

	if (depth >= MAX_DEPTH)
		die(NULL, "folders nested too deep");
	if (libpff_folder_get_number_of_sub_messages(folder, &n, &err) != 1)
		die(&err, "sub-messages");
	for (i = 0; i < n; i++) {
		child = NULL;
		if (libpff_folder_get_sub_message(folder, i, &child,
		    &err) != 1)
			die(&err, "sub-message %d", i);
		message(pr, child);
		libpff_item_free(&child, NULL);
	}
	n = 0;
	if (libpff_folder_get_number_of_sub_folders(folder, &n, &err) != 1)
		die(&err, "sub-folders");
	for (i = 0; i < n; i++) {
		child = NULL;
		if (libpff_folder_get_sub_folder(folder, i, &child, &err) != 1)
			die(&err, "sub-folder %d", i);
		walk_submessages(pr, child, depth + 1);
		libpff_item_free(&child, NULL);
	}
}

static void
fetch_byid(struct probe *pr)
{
	libpff_error_t *err = NULL;
	libpff_item_t *item;
	size_t i;

	for (i = 0; i < pr->nids; i++) {
		item = NULL;
		if (libpff_file_get_item_by_identifier(pr->file, pr->ids[i],
		    &item, &err) != 1)
			die(&err, "item %u", (unsigned)pr->ids[i]);
		message(pr, item);
		libpff_item_free(&item, NULL);
	}
}

int
main(int argc, char **argv)
{
	libpff_error_t *err = NULL;
	libpff_item_t *root = NULL;
	struct probe pr;
	struct rusage ru;
	double t0, t1, t2, t3;
	size_t i;

	if (argc != 3) {
		fprintf(stderr, "usage: libpff-paths "
		    "open|subitems|submessages|byid|values|full file.pst\n");
		return 64;
	}
	memset(&pr, 0, sizeof pr);
	for (i = 0; i < sizeof modes / sizeof modes[0]; i++)
		if (strcmp(argv[1], modes[i]) == 0)
			break;
	if (i == sizeof modes / sizeof modes[0])
		die(NULL, "%s: unknown mode", argv[1]);
	pr.mode = (enum mode)i;

	t0 = now();
	if (libpff_file_initialize(&pr.file, &err) != 1 ||
	    libpff_file_open(pr.file, argv[2], LIBPFF_OPEN_READ, &err) != 1)
		die(&err, "%s", argv[2]);
	t1 = t2 = now();
	if (pr.mode != M_OPEN) {
		if (libpff_file_get_root_folder(pr.file, &root, &err) != 1)
			die(&err, "%s: root folder", argv[2]);
		if (pr.mode == M_SUBMESSAGES)
			walk_submessages(&pr, root, 0);
		else
			walk_subitems(&pr, root, 0);
		t2 = now();
		if (pr.mode == M_BYID)
			fetch_byid(&pr);
		libpff_item_free(&root, NULL);
	}
	t3 = now();
	if (getrusage(RUSAGE_SELF, &ru) == -1)
		die(NULL, "getrusage failed");
	printf("mode=%s items=%zu entries=%zu bytes=%llu open=%.3f "
	    "walk=%.3f fetch=%.3f getitem=%.3f total=%.3f rss_kib=%ld\n",
	    modes[pr.mode], pr.items, pr.entries, (unsigned long long)pr.bytes,
	    t1 - t0, t3 - t1, pr.mode == M_BYID ? t3 - t2 : 0.0, pr.getitem,
	    t3 - t0, ru.ru_maxrss);
	libpff_file_close(pr.file, NULL);
	libpff_file_free(&pr.file, NULL);
	free(pr.ids);
	free(pr.buf);
	return 0;
}
