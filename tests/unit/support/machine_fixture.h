/* Test fixtures for the abstract machine: a malloc-backed ms_os, machines
 * for a given page size and policy, and constructors for intercepted calls.
 * The tests play the kernel: they choose what each forwarded call returns. */
#ifndef MAPSAN_TEST_MACHINE_FIXTURE_H
#define MAPSAN_TEST_MACHINE_FIXTURE_H

#include <errno.h>

#include <mapsan/machine.h>

/* Users define _GNU_SOURCE first, for MREMAP_* and MAP_FIXED_NOREPLACE. */
#include <sys/mman.h>

/* Aligned for every page size the tests use. */
#define FX_BASE 0x10000000ULL
#define FX_RW (PROT_READ | PROT_WRITE)
#define FX_ANON (MAP_PRIVATE | MAP_ANONYMOUS)

/* Pages [lo, hi) belong to someone else (heap, a library). */
typedef struct {
	uint64_t lo, hi;
	unsigned asked;
} fx_foreign;

ms_os fx_os(fx_foreign *foreign);
ms_config fx_config(size_t page, ms_policy policy);
ms_machine *fx_machine(size_t page, ms_policy policy);
ms_machine *fx_machine_with(const ms_config *cfg);

ms_call call_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t off);
ms_call call_anon(uint64_t addr, uint64_t len);
ms_call call_munmap(uint64_t addr, uint64_t len);
ms_call call_mremap(uint64_t old, uint64_t old_size, uint64_t new_size, int flags);
ms_call call_mremap_to(uint64_t old, uint64_t old_size, uint64_t new_size, int flags,
		       uint64_t new_addr);
ms_call call_mprotect(uint64_t addr, uint64_t len, int prot);
ms_call call_madvise(uint64_t addr, uint64_t len, int advice);
ms_call call_free(uint64_t ptr);
ms_call call_realloc(uint64_t ptr, uint64_t size);
ms_call call_msync(uint64_t addr, uint64_t len, int flags);
ms_call call_args(ms_call_id id, unsigned nargs, uint64_t a0, uint64_t a1, uint64_t a2);

ms_call with_stack(ms_call c, uint32_t stack);
ms_call with_file(ms_call c, ms_file_facts facts);
ms_file_facts file_regular(uint64_t size);
ms_file_facts file_sealed(uint64_t size);
ms_file_facts file_verity(uint64_t size);

/* (uint64_t)-e, the kernel's failure result. */
uint64_t fx_err(int e);

ms_verdict fx_check(const ms_machine *m, ms_call c);
/* Checks, then, unless the verdict is FAIL, records result as the kernel's. */
ms_verdict fx_run(ms_machine *m, ms_call c, uint64_t result);
/* A clean RW private anonymous mapping at addr (the kernel honours the hint).
 * False when the machine objected or could not record it. */
bool fx_map(ms_machine *m, uint64_t addr, uint64_t len, uint32_t stack);
/* A clean whole munmap; false when the machine objected. */
bool fx_unmap(ms_machine *m, uint64_t addr, uint64_t len, uint32_t stack);

/* An expected verdict, for table-driven tests. */
typedef struct {
	ms_action action;
	int err;
	ms_kind kind;
} fx_want;

#define W_FWD ((fx_want){ MS_ACT_FORWARD, 0, MS_KIND_NONE })
#define W_ERR(e) ((fx_want){ MS_ACT_FAIL, (e), MS_KIND_NONE })
#define W_REP(k) ((fx_want){ MS_ACT_REPORT, 0, (k) })

/* Action, errno and kind match, and a report carries its kind's severity. */
bool fx_matches(const ms_verdict *v, fx_want w);
const char *fx_describe_want(fx_want w);

/* "REPORT partial-unmap base=0x.. size=.." for assertion messages. */
const char *fx_describe(const ms_verdict *v);
const char *fx_describe_call(const ms_call *c);

#endif
