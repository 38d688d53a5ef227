/* pack.c: an item's memory in one piece, and values many items share. */
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "pack.h"
#include "xmalloc.h"

#define POOL_CHUNK	(64u << 10)

struct pool_ent {
	uint64_t	 h;
	size_t		 len;
	uint8_t		*p;		/* NULL: free slot */
};

struct pool_chunk {
	struct pool_chunk *next;
	size_t		 used, cap;
	alignas(max_align_t) uint8_t data[];
};

struct appt_pool {
	struct pool_ent	*tab;		/* open addressing, cap a power
					   of two, at most half full */
	size_t		 cap, n;
	struct pool_chunk *chunks;	/* the newest first */
	size_t		 bytes;
};

/* The pack being filled: a bump allocation, bounds-checked. */
struct pk {
	uint8_t		*buf;
	size_t		 front, back;	/* free room: buf[front..back) */
	struct appt_pool *pool;
};

static uint8_t	*pool_put(struct appt_pool *, const void *, size_t);
static const uint8_t *pool_get(struct appt_pool *, const void *, size_t);
static size_t	 sz_str(const char *);
static size_t	 sz_item(const struct appt *);
static size_t	 sz_blob(const struct appt_blob *);
static int	 goid_same(const struct appt *);
static void	*pk_take(struct pk *, size_t, int);
static char	*pk_str(struct pk *, const char *);
static void	 pk_blob(struct pk *, struct appt_blob *,
		    const struct appt_blob *);
static char	*pool_str(struct pk *, const char *);
static void	 pool_blob(struct pk *, struct appt_blob *,
		    const struct appt_blob *);
static void	 pk_item(struct pk *, struct appt *, const struct appt *);
static int	 packable(const struct appt *);

struct appt_pool *
appt_pool_new(void)
{
	struct appt_pool	*p = xcalloc(1, sizeof *p);

	p->cap = 256;
	p->tab = xcalloc(p->cap, sizeof *p->tab);
	return p;
}

void
appt_pool_free(struct appt_pool *p)
{
	struct pool_chunk	*c;

	if (p == NULL)
		return;
	while ((c = p->chunks) != NULL) {
		p->chunks = c->next;
		free(c);
	}
	free(p->tab);
	free(p);
}

/* The source's values move, not its index: the two pools' values are
 * not merged, which only means a value may be held twice. */
void
appt_pool_adopt(struct appt_pool *dst, struct appt_pool *src)
{
	struct pool_chunk	*c;

	if (src == NULL)
		return;
	while ((c = src->chunks) != NULL) {
		src->chunks = c->next;
		c->next = dst->chunks;
		dst->chunks = c;
	}
	dst->bytes += src->bytes;
	src->bytes = 0;
	memset(src->tab, 0, src->cap * sizeof *src->tab);
	src->n = 0;
}

size_t
appt_pool_count(const struct appt_pool *p, size_t *bytes)
{
	if (bytes != NULL)
		*bytes = p != NULL ? p->bytes : 0;
	return p != NULL ? p->n : 0;
}

/* A copy of len bytes and a NUL in the pool's chunks. */
static uint8_t *
pool_put(struct appt_pool *p, const void *data, size_t len)
{
	struct pool_chunk	*c = p->chunks;
	size_t			 need = len + 1, cap;
	uint8_t			*out;

	if (c == NULL || c->cap - c->used < need) {
		cap = need > POOL_CHUNK / 4 ? need : POOL_CHUNK;
		c = xmalloc(offsetof(struct pool_chunk, data) + cap);
		c->used = 0;
		c->cap = cap;
		/* A value too big to share a chunk goes behind the
		 * current one, which keeps filling. */
		if (cap > POOL_CHUNK && p->chunks != NULL) {
			c->next = p->chunks->next;
			p->chunks->next = c;
		} else {
			c->next = p->chunks;
			p->chunks = c;
		}
	}
	out = c->data + c->used;
	memcpy(out, data, len);
	out[len] = '\0';
	c->used += need;
	p->bytes += need;
	return out;
}

/* The pool's copy of these bytes, made on first sight. */
static const uint8_t *
pool_get(struct appt_pool *p, const void *data, size_t len)
{
	struct pool_ent	*tab, *e;
	uint64_t	 h = XXH3_64bits(data, len);
	size_t		 i, j, mask;

	mask = p->cap - 1;
	for (i = (size_t)h & mask; p->tab[i].p != NULL; i = (i + 1) & mask) {
		e = &p->tab[i];
		if (e->h == h && e->len == len && memcmp(e->p, data, len) == 0)
			return e->p;
	}
	if (2 * (p->n + 1) > p->cap) {
		tab = xcalloc(2 * p->cap, sizeof *tab);
		mask = 2 * p->cap - 1;
		for (j = 0; j < p->cap; j++) {
			if (p->tab[j].p == NULL)
				continue;
			for (i = (size_t)p->tab[j].h & mask; tab[i].p != NULL;
			    i = (i + 1) & mask)
				;
			tab[i] = p->tab[j];
		}
		free(p->tab);
		p->tab = tab;
		p->cap *= 2;
		for (i = (size_t)h & mask; p->tab[i].p != NULL;
		    i = (i + 1) & mask)
			;
	}
	e = &p->tab[i];
	e->h = h;
	e->len = len;
	e->p = pool_put(p, data, len);
	p->n++;
	return e->p;
}

/*
 * A pack holds two kinds of pieces: structs and arrays, 8-byte aligned,
 * from the front, and strings and blobs, unaligned, from the back. So
 * its size is exactly the sum of the pieces, with no padding to
 * guess, and pk_take() checks every take against it all the same.
 */
#define PK_ALIGN	8
#define PK_ROUND(n)	(((n) + PK_ALIGN - 1) & ~(size_t)(PK_ALIGN - 1))

_Static_assert(alignof(struct appt) <= PK_ALIGN &&
    alignof(struct appt_person) <= PK_ALIGN &&
    alignof(struct appt_exception) <= PK_ALIGN &&
    alignof(struct appt_attach) <= PK_ALIGN &&
    alignof(char *) <= PK_ALIGN, "pack alignment");

static size_t
sz_str(const char *s)
{
	return s != NULL ? strlen(s) + 1 : 0;
}

static size_t
sz_blob(const struct appt_blob *b)
{
	return b->data != NULL ? b->len + 1 : 0;
}

/* A master's GOID names no one occurrence: it is its Clean GOID, byte
 * for byte, which then shares its bytes. */
static int
goid_same(const struct appt *a)
{
	return a->goid.data != NULL && a->clean_goid.data != NULL &&
	    a->goid.len == a->clean_goid.len &&
	    memcmp(a->goid.data, a->clean_goid.data, a->goid.len) == 0;
}

static size_t
sz_item(const struct appt *a)
{
	size_t	n = 0, i;

	n += sz_blob(&a->goid) + sz_blob(&a->search_key) + sz_blob(&a->recur);
	if (!goid_same(a))
		n += sz_blob(&a->clean_goid);
	n += sz_str(a->subject) + sz_str(a->location);
	n += sz_str(a->org_name) + sz_str(a->org_email);
	n += PK_ROUND(a->ncategories * sizeof *a->categories);
	for (i = 0; i < a->ncategories; i++)
		n += sz_str(a->categories[i]);
	n += PK_ROUND(a->nrcpts * sizeof *a->rcpts);
	for (i = 0; i < a->nrcpts; i++)
		n += sz_str(a->rcpts[i].name) + sz_str(a->rcpts[i].email);
	n += PK_ROUND(a->nexcs * sizeof *a->excs);
	for (i = 0; i < a->nexcs; i++) {
		if (a->excs[i].item != NULL)
			n += PK_ROUND(sizeof(struct appt)) +
			    sz_item(a->excs[i].item);
	}
	if (a->attachs != NULL)
		n += PK_ROUND(a->nattach * sizeof *a->attachs);
	for (i = 0; i < a->nattach && a->attachs != NULL; i++)
		n += sz_str(a->attachs[i].name) + sz_str(a->attachs[i].mime) +
		    sz_str(a->attachs[i].uri) + sz_str(a->attachs[i].unread);
	return n;
}

/* n bytes: aligned from the front, or not from the back. */
static void *
pk_take(struct pk *k, size_t n, int aligned)
{
	/* sz_item() and pk_item() disagreeing is a bug, never input. */
	if (aligned) {
		n = PK_ROUND(n);
		if (n > k->back - k->front)
			abort();
		k->front += n;
		return k->buf + k->front - n;
	}
	if (n > k->back - k->front)
		abort();
	k->back -= n;
	return k->buf + k->back;
}

static char *
pk_str(struct pk *k, const char *s)
{
	size_t	 n;
	char	*out;

	if (s == NULL)
		return NULL;
	n = strlen(s) + 1;
	out = pk_take(k, n, 0);
	memcpy(out, s, n);
	return out;
}

/* A present blob stays present, however short. */
static void
pk_blob(struct pk *k, struct appt_blob *d, const struct appt_blob *s)
{
	d->len = s->len;
	if (s->data == NULL) {
		d->data = NULL;
		return;
	}
	d->data = pk_take(k, s->len + 1, 0);
	memcpy(d->data, s->data, s->len);
	d->data[s->len] = 0;
}

static char *
pool_str(struct pk *k, const char *s)
{
	if (s == NULL)
		return NULL;
	return (char *)(uintptr_t)pool_get(k->pool, s, strlen(s));
}

static void
pool_blob(struct pk *k, struct appt_blob *d, const struct appt_blob *s)
{
	d->len = s->len;
	d->data = s->data == NULL ? NULL :
	    (uint8_t *)(uintptr_t)pool_get(k->pool, s->data, s->len);
}

/* d gets s's values, every pointer into the pack or the pool; d may be
 * s's own struct, s a copy of it. */
static void
pk_item(struct pk *k, struct appt *d, const struct appt *s)
{
	size_t	i;

	*d = *s;
	d->pack = k->buf;
	d->folder = pool_str(k, s->folder);
	d->msgclass = pool_str(k, s->msgclass);
	d->creator = pool_str(k, s->creator);
	d->modifier = pool_str(k, s->modifier);
	d->tz_desc = pool_str(k, s->tz_desc);
	pool_blob(k, &d->tz_struct, &s->tz_struct);
	pool_blob(k, &d->tzdef_start, &s->tzdef_start);
	pool_blob(k, &d->tzdef_end, &s->tzdef_end);
	pool_blob(k, &d->tzdef_recur, &s->tzdef_recur);
	pk_blob(k, &d->goid, &s->goid);
	if (goid_same(s))
		d->clean_goid = d->goid;
	else
		pk_blob(k, &d->clean_goid, &s->clean_goid);
	pk_blob(k, &d->search_key, &s->search_key);
	pk_blob(k, &d->recur, &s->recur);
	d->subject = pk_str(k, s->subject);
	d->location = pk_str(k, s->location);
	d->org_name = pk_str(k, s->org_name);
	d->org_email = pk_str(k, s->org_email);
	if (s->ncategories > 0) {
		d->categories = pk_take(k, s->ncategories *
		    sizeof *d->categories, 1);
		for (i = 0; i < s->ncategories; i++)
			d->categories[i] = pk_str(k, s->categories[i]);
	} else
		d->categories = NULL;
	if (s->nrcpts > 0) {
		d->rcpts = pk_take(k, s->nrcpts * sizeof *d->rcpts, 1);
		for (i = 0; i < s->nrcpts; i++) {
			d->rcpts[i] = s->rcpts[i];
			d->rcpts[i].name = pk_str(k, s->rcpts[i].name);
			d->rcpts[i].email = pk_str(k, s->rcpts[i].email);
			d->rcpts[i].addrtype = pool_str(k,
			    s->rcpts[i].addrtype);
		}
	} else
		d->rcpts = NULL;
	if (s->nexcs > 0) {
		d->excs = pk_take(k, s->nexcs * sizeof *d->excs, 1);
		for (i = 0; i < s->nexcs; i++) {
			d->excs[i] = s->excs[i];
			if (s->excs[i].item == NULL)
				continue;
			d->excs[i].item = pk_take(k, sizeof(struct appt), 1);
			pk_item(k, d->excs[i].item, s->excs[i].item);
		}
	} else
		d->excs = NULL;
	if (s->nattach > 0 && s->attachs != NULL) {
		d->attachs = pk_take(k, s->nattach * sizeof *d->attachs,
		    1);
		for (i = 0; i < s->nattach; i++) {
			d->attachs[i] = s->attachs[i];
			d->attachs[i].name = pk_str(k, s->attachs[i].name);
			d->attachs[i].mime = pk_str(k, s->attachs[i].mime);
			d->attachs[i].uri = pk_str(k, s->attachs[i].uri);
			d->attachs[i].unread = pk_str(k,
			    s->attachs[i].unread);
		}
	} else
		d->attachs = NULL;
}

/* Only what stays fixed once read: no body, HTML, RTF or attachment
 * bytes in memory (they come and go with appt_unspool()), no UID yet,
 * not packed already; the same for each exception. */
static int
packable(const struct appt *a)
{
	size_t	i;

	if (a->pack != NULL || !a->spooled || a->body != NULL ||
	    a->html != NULL || a->rtf.data != NULL || a->uid != NULL)
		return 0;
	for (i = 0; i < a->nattach && a->attachs != NULL; i++) {
		if (a->attachs[i].data.data != NULL)
			return 0;
	}
	for (i = 0; i < a->nexcs; i++) {
		if (a->excs[i].item != NULL && !packable(a->excs[i].item))
			return 0;
	}
	return 1;
}

struct appt *
appt_pack(struct appt *a, struct appt_pool *pool)
{
	struct appt	*out;
	struct pk	 k;

	if (a == NULL || pool == NULL || !packable(a))
		return a;
	memset(&k, 0, sizeof k);
	k.pool = pool;
	/* The struct itself first: the pack is the item. */
	k.back = PK_ROUND(sizeof *a) + sz_item(a);
	k.buf = xmalloc(k.back);
	out = pk_take(&k, sizeof *out, 1);
	pk_item(&k, out, a);
	appt_free(a);
	return out;
}
