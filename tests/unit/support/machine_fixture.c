#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "machine_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *os_alloc(void *ctx, size_t bytes)
{
	(void)ctx;
	return malloc(bytes);
}

static void os_release(void *ctx, void *p, size_t bytes)
{
	(void)ctx;
	(void)bytes;
	free(p);
}

static bool os_range_foreign(void *ctx, uint64_t base, uint64_t len)
{
	fx_foreign *f = ctx;
	f->asked++;
	return base < f->hi && f->lo < base + len;
}

ms_os fx_os(fx_foreign *foreign)
{
	ms_os os = { .ctx = foreign, .alloc = os_alloc, .release = os_release };
	if (foreign)
		os.range_foreign = os_range_foreign;
	return os;
}

ms_config fx_config(size_t page, ms_policy policy)
{
	ms_config cfg = { .page_size = page, .policy = policy, .os = fx_os(NULL) };
	return cfg;
}

ms_machine *fx_machine_with(const ms_config *cfg)
{
	ms_machine *m = ms_machine_create(cfg);
	if (!m) {
		fprintf(stderr, "ms_machine_create failed\n");
		abort();
	}
	return m;
}

ms_machine *fx_machine(size_t page, ms_policy policy)
{
	ms_config cfg = fx_config(page, policy);
	return fx_machine_with(&cfg);
}

static ms_call call_of(ms_call_id id, unsigned nargs)
{
	ms_call c;
	memset(&c, 0, sizeof c);
	c.id = id;
	c.nargs = nargs;
	return c;
}

ms_call call_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t off)
{
	ms_call c = call_of(MS_CALL_MMAP, 6);
	c.arg[0] = addr;
	c.arg[1] = len;
	c.arg[2] = (uint64_t)(unsigned)prot;
	c.arg[3] = (uint64_t)(unsigned)flags;
	c.arg[4] = (uint64_t)(int64_t)fd;
	c.arg[5] = off;
	return c;
}

ms_call call_anon(uint64_t addr, uint64_t len)
{
	return call_mmap(addr, len, FX_RW, FX_ANON, -1, 0);
}

ms_call call_munmap(uint64_t addr, uint64_t len)
{
	ms_call c = call_of(MS_CALL_MUNMAP, 2);
	c.arg[0] = addr;
	c.arg[1] = len;
	return c;
}

ms_call call_mremap(uint64_t old, uint64_t old_size, uint64_t new_size, int flags)
{
	ms_call c = call_of(MS_CALL_MREMAP, 4);
	c.arg[0] = old;
	c.arg[1] = old_size;
	c.arg[2] = new_size;
	c.arg[3] = (uint64_t)(unsigned)flags;
	return c;
}

ms_call call_mremap_to(uint64_t old, uint64_t old_size, uint64_t new_size, int flags,
		       uint64_t new_addr)
{
	ms_call c = call_mremap(old, old_size, new_size, flags);
	c.nargs = 5;
	c.arg[4] = new_addr;
	return c;
}

ms_call call_args(ms_call_id id, unsigned nargs, uint64_t a0, uint64_t a1, uint64_t a2)
{
	ms_call c = call_of(id, nargs);
	c.arg[0] = a0;
	c.arg[1] = a1;
	c.arg[2] = a2;
	return c;
}

ms_call call_mprotect(uint64_t addr, uint64_t len, int prot)
{
	return call_args(MS_CALL_MPROTECT, 3, addr, len, (uint64_t)(unsigned)prot);
}

ms_call call_madvise(uint64_t addr, uint64_t len, int advice)
{
	return call_args(MS_CALL_MADVISE, 3, addr, len, (uint64_t)(unsigned)advice);
}

ms_call call_free(uint64_t ptr)
{
	return call_args(MS_CALL_FREE, 1, ptr, 0, 0);
}

ms_call call_realloc(uint64_t ptr, uint64_t size)
{
	return call_args(MS_CALL_REALLOC, 2, ptr, size, 0);
}

ms_call call_msync(uint64_t addr, uint64_t len, int flags)
{
	return call_args(MS_CALL_MSYNC, 3, addr, len, (uint64_t)(unsigned)flags);
}

ms_call with_stack(ms_call c, uint32_t stack)
{
	c.stack = stack;
	return c;
}

ms_call with_file(ms_call c, ms_file_facts facts)
{
	c.file = facts;
	return c;
}

ms_file_facts file_regular(uint64_t size)
{
	ms_file_facts f = { .valid = true, .regular = true, .size = size };
	return f;
}

ms_file_facts file_sealed(uint64_t size)
{
	ms_file_facts f = file_regular(size);
	f.sealed = true;
	return f;
}

ms_file_facts file_verity(uint64_t size)
{
	ms_file_facts f = file_regular(size);
	f.verity = true;
	return f;
}

uint64_t fx_err(int e)
{
	return (uint64_t)-(int64_t)e;
}

ms_verdict fx_check(const ms_machine *m, ms_call c)
{
	ms_verdict v;
	memset(&v, 0xa5, sizeof v);
	ms_check(m, &c, &v);
	return v;
}

ms_verdict fx_run(ms_machine *m, ms_call c, uint64_t result)
{
	ms_verdict v = fx_check(m, c);
	if (v.action != MS_ACT_FAIL && !ms_record(m, &c, result)) {
		fprintf(stderr, "ms_record failed\n");
		abort();
	}
	return v;
}

bool fx_map(ms_machine *m, uint64_t addr, uint64_t len, uint32_t stack)
{
	ms_call c = with_stack(call_anon(addr, len), stack);
	ms_verdict v = fx_check(m, c);
	if (v.action != MS_ACT_FORWARD)
		return false;
	return ms_record(m, &c, addr);
}

bool fx_unmap(ms_machine *m, uint64_t addr, uint64_t len, uint32_t stack)
{
	ms_call c = with_stack(call_munmap(addr, len), stack);
	ms_verdict v = fx_check(m, c);
	if (v.action != MS_ACT_FORWARD)
		return false;
	return ms_record(m, &c, 0);
}

const char *fx_describe(const ms_verdict *v)
{
	static __thread char buf[512];
	switch (v->action) {
	case MS_ACT_FORWARD:
		return "FORWARD";
	case MS_ACT_FAIL:
		snprintf(buf, sizeof buf, "FAIL err=%d", v->err);
		return buf;
	case MS_ACT_REPORT:
		snprintf(buf, sizeof buf,
			 "REPORT %s base=%#llx size=%#llx origin=%u unmap=%u \"%.*s\"",
			 (unsigned)v->kind < MS_KIND_COUNT ? ms_kind_name(v->kind) : "?",
			 (unsigned long long)v->map_base, (unsigned long long)v->map_size,
			 v->origin_stack, v->unmap_stack, MS_MESSAGE_MAX, v->message);
		return buf;
	}
	snprintf(buf, sizeof buf, "action=%d?", (int)v->action);
	return buf;
}

const char *fx_describe_call(const ms_call *c)
{
	static __thread char buf[256];
	const char *name = (unsigned)c->id < MS_CALL_COUNT ? ms_call_name(c->id) : "?";
	snprintf(buf, sizeof buf, "%s(%#llx, %#llx, %#llx, %#llx, %#llx, %#llx) stack=%u",
		 name ? name : "?",
		 (unsigned long long)c->arg[0], (unsigned long long)c->arg[1],
		 (unsigned long long)c->arg[2], (unsigned long long)c->arg[3],
		 (unsigned long long)c->arg[4], (unsigned long long)c->arg[5], c->stack);
	return buf;
}

bool fx_matches(const ms_verdict *v, fx_want w)
{
	if (v->action != w.action)
		return false;
	if (w.action == MS_ACT_FAIL)
		return v->err == w.err;
	if (w.action == MS_ACT_REPORT)
		return v->kind == w.kind && v->severity == ms_kind_severity(w.kind);
	return true;
}

const char *fx_describe_want(fx_want w)
{
	static __thread char buf[128];
	if (w.action == MS_ACT_FORWARD)
		return "FORWARD";
	if (w.action == MS_ACT_FAIL)
		snprintf(buf, sizeof buf, "FAIL err=%d", w.err);
	else
		snprintf(buf, sizeof buf, "REPORT %s", ms_kind_name(w.kind));
	return buf;
}
