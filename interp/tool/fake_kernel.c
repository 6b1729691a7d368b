#include <errno.h>
#include <sys/mman.h>

#include "fake_kernel.h"

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Far above where absolute addresses in traces are likely to fall
 * (heap near 0x55..., libraries and stacks near 0x7f...), and with a wide
 * gap after each mapping so no two replayed mappings are ever adjacent by
 * accident. */
#define FAKE_BASE 0x100000000000ull
#define FAKE_GAP (1ull << 30)
#define FAKE_LIMIT 0x7e0000000000ull
#define FAIL(e) ((uint64_t)0 - (uint64_t)(e))

void fake_init(fake_kernel *k, const sn_script *s, const ms_machine *m)
{
	k->next = FAKE_BASE;
	k->page = ms_machine_config(m)->page_size;
	k->s = s;
	k->m = m;
}

bool fake_failed(uint64_t result)
{
	return result > FAIL(4096);
}

bool fake_foreign(void *ctx, uint64_t base, uint64_t len)
{
	const sn_script *s = ctx;
	for (size_t i = 0; i < s->nforeign; i++)
		if (base < s->foreign[i].base + s->foreign[i].len && s->foreign[i].base < base + len)
			return true;
	return false;
}

static bool range_taken(const fake_kernel *k, uint64_t base, uint64_t size)
{
	ms_range_info r;
	if (ms_first_live_from(k->m, base, &r) && r.base < base + size)
		return true;
	if (ms_find_dead(k->m, base, NULL) || ms_find_dead(k->m, base + size - 1, NULL))
		return true;
	return fake_foreign((void *)k->s, base, size);
}

static uint64_t round_up(uint64_t v, uint64_t to)
{
	return (v + to - 1) & ~(to - 1);
}

uint64_t fake_fresh(fake_kernel *k, uint64_t len)
{
	uint64_t size = round_up(len ? len : 1, k->page);
	uint64_t base = k->next;
	while (range_taken(k, base, size))
		base += FAKE_GAP;
	k->next = base + round_up(size, FAKE_GAP) + FAKE_GAP;
	return base;
}

static bool too_big(uint64_t len)
{
	return len > FAKE_LIMIT - FAKE_BASE;
}

static uint64_t fake_mmap(fake_kernel *k, const ms_call *c)
{
	uint64_t addr = c->arg[0], len = c->arg[1], flags = c->arg[3];
	uint64_t sharing = flags & MAP_SHARED_VALIDATE;
	if (len == 0 || sharing == 0)
		return FAIL(EINVAL);
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))
		return addr & (k->page - 1) ? FAIL(EINVAL) : addr;
	return too_big(len) ? FAIL(ENOMEM) : fake_fresh(k, len);
}

static uint64_t fake_mremap(fake_kernel *k, const ms_call *c)
{
	uint64_t old = c->arg[0], old_size = c->arg[1], new_size = c->arg[2], flags = c->arg[3];
	if ((old & (k->page - 1)) || new_size == 0)
		return FAIL(EINVAL);
	if (flags & MREMAP_FIXED)
		return c->nargs > 4 ? c->arg[4] : FAIL(EINVAL);
	/* A shrink stays in place; a growth moves when it may, since the fake
	 * address space leaves no room to promise. */
	if (new_size <= old_size || !(flags & MREMAP_MAYMOVE))
		return old;
	return too_big(new_size) ? FAIL(ENOMEM) : fake_fresh(k, new_size);
}

static uint64_t fake_range_op(const fake_kernel *k, const ms_call *c)
{
	if (c->arg[0] & (k->page - 1))
		return FAIL(EINVAL);
	if (c->id == MS_CALL_MUNMAP && c->arg[1] == 0)
		return FAIL(EINVAL);
	return 0;
}

uint64_t fake_result(fake_kernel *k, const ms_call *c)
{
	switch (c->id) {
	case MS_CALL_MMAP: return fake_mmap(k, c);
	case MS_CALL_MREMAP: return fake_mremap(k, c);
	case MS_CALL_MUNMAP:
	case MS_CALL_MPROTECT:
	case MS_CALL_MADVISE: return fake_range_op(k, c);
	case MS_CALL_REALLOC:
	case MS_CALL_SBRK: return fake_fresh(k, k->page);
	default: return 0;
	}
}
