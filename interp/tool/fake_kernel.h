/* A fake kernel for replay: plausible results for calls whose trace left the
 * result out, and fresh addresses in an address space of its own. */
#ifndef MAPSAN_TOOL_FAKE_KERNEL_H
#define MAPSAN_TOOL_FAKE_KERNEL_H

#include "script.h"

typedef struct {
	uint64_t next;
	size_t page;
	const sn_script *s;
	const ms_machine *m;
} fake_kernel;

void fake_init(fake_kernel *k, const sn_script *s, const ms_machine *m);
/* A page-aligned address for len bytes, clear of every range seen so far. */
uint64_t fake_fresh(fake_kernel *k, uint64_t len);
/* What a kernel would plausibly return: an address, 0, or (uint64_t)-errno. */
uint64_t fake_result(fake_kernel *k, const ms_call *c);
bool fake_failed(uint64_t result);
/* ms_os.range_foreign over the script's foreign regions; ctx is the script. */
bool fake_foreign(void *ctx, uint64_t base, uint64_t len);

#endif
