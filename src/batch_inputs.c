/* batch_inputs.c: the inputs of a batch: directories searched, files
 * known by their content, each input's output directory and names
 * (batch_int.h). */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "compat.h"
#include "batch.h"
#include "batch_int.h"
#include "xmalloc.h"

static void	 batch_walk(struct batch *, const char *, const char *);
static int	 batch_path_cmp(const void *, const void *);

enum batch_kind
batch_kind(const char *path)
{
	char		 buf[4096], *p;
	ssize_t		 len;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return BATCH_PST;	/* the worker says why */
	len = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (len < 4)
		return BATCH_OTHER;
	buf[len] = '\0';
	if (memcmp(buf, "!BDN", 4) == 0)
		return BATCH_PST;
	p = buf;
	if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
	    (unsigned char)p[2] == 0xBF)
		p += 3;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (strncasecmp(p, "BEGIN:VCALENDAR", 15) != 0)
		return BATCH_OTHER;
	/* The writer's PRODID, "-//pstdedup//pstdedup VERSION//EN". */
	if (strstr(p, "\nPRODID:-//pstdedup//pstdedup ") != NULL)
		return BATCH_OWN_ICS;
	return BATCH_ICS;
}

/* An argument: a directory is searched, anything else is an input. */
void
bt_add(struct batch *b, const char *path, const char *rel, int named)
{
	struct stat	 sb;
	struct batch_in	*in;
	const char	*out = b->o->outdir;
	char		*base;

	if (named && stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		batch_walk(b, path, "");
		return;
	}
	b->v = xreallocarray(b->v, b->n + 1, sizeof *b->v);
	in = &b->v[b->n++];
	memset(in, 0, sizeof *in);
	in->path = xstrdup(path);
	/* Without -d, names as the single-file run gives them. */
	if (out == NULL)
		in->dir = xstrdup(*rel != '\0' ? rel : ".");
	else if (*rel == '\0')
		in->dir = xstrdup(out);
	else
		xasprintf(&in->dir, "%s/%s", out, rel);
	base = cli_default_output(path);
	if (out == NULL && *rel == '\0')
		in->output = base;
	else {
		xasprintf(&in->output, "%s/%s", in->dir, base);
		free(base);
	}
}

static int
batch_path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Depth first, in name order, so that -j never changes the order. */
static void
batch_walk(struct batch *b, const char *dir, const char *rel)
{
	struct stat	  sb;
	struct dirent	 *de;
	DIR		 *d;
	char		**names = NULL, *path, *sub;
	size_t		  n = 0, i;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "pstdedup: %s: cannot open: %s\n", dir,
		    strerror(errno));
		bt_add(b, dir, rel, 0);
		b->v[b->n - 1].status = EX_NOINPUT;
		b->v[b->n - 1].done = 1;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, batch_path_cmp);
	for (i = 0; i < n; i++) {
		xasprintf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ?
		    "" : "/", names[i]);
		/* Symbolic links to directories are not followed: no
		 * loops, no second copy of a tree. */
		if (lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (b->have_outsb && sb.st_dev == b->outsb.st_dev &&
			    sb.st_ino == b->outsb.st_ino) {
				if (b->o->verbose)
					fprintf(stderr, "pstdedup: %s: not "
					    "searched: the output directory\n",
					    path);
			} else {
				if (*rel == '\0')
					sub = xstrdup(names[i]);
				else
					xasprintf(&sub, "%s/%s", rel, names[i]);
				batch_walk(b, path, sub);
				free(sub);
			}
		} else if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
			switch (batch_kind(path)) {
			case BATCH_PST:
			case BATCH_ICS:
				bt_add(b, path, rel, 0);
				break;
			case BATCH_OWN_ICS:
				if (!b->o->quiet)
					fprintf(stderr, "pstdedup: %s: "
					    "skipped: written by pstdedup "
					    "(name the file to read it)\n",
					    path);
				break;
			case BATCH_OTHER:
				break;
			}
		}
		free(path);
		free(names[i]);
	}
	free(names);
}

/* Two inputs may not share an output name (a.pst and a.ost in one
 * folder, or two files named alike given one by one): the later one
 * is not run. Equal ignoring case is equal on Windows. */
void
bt_plan(struct batch *b)
{
	struct stat	sb;
	size_t		i, j;

	for (i = 0; i < b->n; i++)
		b->v[i].newdir = stat(b->v[i].dir, &sb) != 0;

	for (i = 0; i < b->n; i++) {
		for (j = 0; j < i && !b->v[i].done; j++) {
			if (b->v[j].done && b->v[j].status != 0)
				continue;
			if (strcasecmp(b->v[i].output, b->v[j].output) != 0)
				continue;
			fprintf(stderr, "pstdedup: %s: cannot create %s: also "
			    "the output of %s (name their directory, or run "
			    "them apart)\n", b->v[i].path, b->v[i].output,
			    b->v[j].path);
			b->v[i].status = EX_CANTCREAT;
			b->v[i].done = 1;
		}
	}
}
