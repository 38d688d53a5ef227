/* namemap.c: the name-to-id map (NID 0x61): named property -> id. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "le.h"
#include "xmalloc.h"
#include "pst/mapi.h"
#include "pst/pstint.h"

static int	namemap_load(struct pst *, char **);
static int	guid_index_match(struct pst *, uint16_t, const uint8_t[16]);

/*
 * Name-to-id map (NID 0x61): the GUID, entry and string streams.
 */
static int
namemap_load(struct pst *f, char **cause)
{
	struct pst_namemap	*nm = &f->nm;
	struct pst_pc		*pc;
	struct pst_prop		 v;
	char			*why = NULL;

	if (nm->loaded > 0)
		return 0;
	if (nm->loaded < 0) {
		pst_err(cause, "name-to-id map is unreadable");
		return -1;
	}
	nm->loaded = -1;
	if (pst_pc_open(f, PST_NID_NAME_TO_ID_MAP, &pc, &why) != 0) {
		pst_err(cause, "name-to-id map: %s", why);
		free(why);
		return -1;
	}
	if (pst_pc_get(pc, PST_NAMEMAP_GUIDS, &v, &why) < 0)
		goto bad;
	nm->guids = xmemdup(v.p != NULL ? v.p : (const uint8_t *)"", v.len + 1);
	nm->nguids = v.len / 16;
	if (pst_pc_get(pc, PST_NAMEMAP_ENTRIES, &v, &why) < 0)
		goto bad;
	nm->entries = xmemdup(v.p != NULL ? v.p : (const uint8_t *)"",
	    v.len + 1);
	nm->nentries = v.len / PST_NAMEID_SIZE;
	if (pst_pc_get(pc, PST_NAMEMAP_STRINGS, &v, &why) < 0)
		goto bad;
	nm->strings = xmemdup(v.p != NULL ? v.p : (const uint8_t *)"",
	    v.len + 1);
	nm->strings_len = v.len;
	pst_pc_free(pc);
	nm->loaded = 1;
	return 0;
bad:
	pst_err(cause, "name-to-id map: %s", why);
	free(why);
	pst_pc_free(pc);
	return -1;
}

void
pst_ltp_free(struct pst *f)
{
	free(f->nm.guids);
	free(f->nm.entries);
	free(f->nm.strings);
	memset(&f->nm, 0, sizeof f->nm);
}

static int
guid_index_match(struct pst *f, uint16_t gi, const uint8_t guid[16])
{
	if (gi == PST_NAMEMAP_GUID_MAPI)
		return memcmp(guid, mapi_ps_mapi, 16) == 0;
	if (gi == PST_NAMEMAP_GUID_PUBLIC)
		return memcmp(guid, mapi_ps_public_strings, 16) == 0;
	if (gi < PST_NAMEMAP_GUID_FIRST ||
	    (size_t)(gi - PST_NAMEMAP_GUID_FIRST) >= f->nm.nguids)
		return 0;
	return memcmp(guid, f->nm.guids + 16 * (gi - PST_NAMEMAP_GUID_FIRST),
	    16) == 0;
}

int
pst_named_lid(struct pst *f, const uint8_t guid[16], uint32_t lid,
    uint16_t *id, char **cause)
{
	struct pst_nameid	e;
	size_t			i;

	*id = 0;
	if (namemap_load(f, cause) != 0)
		return -1;
	for (i = 0; i < f->nm.nentries; i++) {
		pst_nameid_get(f->nm.entries + i * PST_NAMEID_SIZE, &e);
		if ((e.guid & 1) || e.id != lid ||
		    !guid_index_match(f, e.guid >> 1, guid))
			continue;
		if (e.prop_idx > 0xFFFF - PST_NAMED_FIRST)
			continue;
		*id = (uint16_t)(PST_NAMED_FIRST + e.prop_idx);
		return 0;
	}
	return 0;
}

int
pst_named_string(struct pst *f, const uint8_t guid[16], const char *name,
    uint16_t *id, char **cause)
{
	struct pst_nameid	 e;
	size_t			 i, n = strlen(name), k;
	uint32_t		 slen;
	const uint8_t		*s;

	*id = 0;
	if (namemap_load(f, cause) != 0)
		return -1;
	for (i = 0; i < f->nm.nentries; i++) {
		pst_nameid_get(f->nm.entries + i * PST_NAMEID_SIZE, &e);
		if (!(e.guid & 1) || !guid_index_match(f, e.guid >> 1, guid))
			continue;
		if (e.id > f->nm.strings_len || f->nm.strings_len - e.id < 4)
			continue;
		slen = le_get32(f->nm.strings + e.id);
		if (slen > f->nm.strings_len - e.id - 4 || slen != 2 * n)
			continue;
		s = f->nm.strings + e.id + 4;
		/* Names we look up are ASCII. */
		for (k = 0; k < n; k++)
			if (s[2 * k] != (uint8_t)name[k] || s[2 * k + 1] != 0)
				break;
		if (k == n && e.prop_idx <= 0xFFFF - PST_NAMED_FIRST) {
			*id = (uint16_t)(PST_NAMED_FIRST + e.prop_idx);
			return 0;
		}
	}
	return 0;
}
