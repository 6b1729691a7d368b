/* The machine's private state and the helpers its rule files share. */
#ifndef MAPSAN_MACHINE_IMPL_H
#define MAPSAN_MACHINE_IMPL_H

#include "mapsan/machine.h"
#include "table.h"

/* ms_range.file bits */
#define RANGE_FILE 1u
#define RANGE_SYNCED 2u  /* msync seen since creation (check_msync) */

/* One dead-range insertion, remembered so the oldest can be evicted whole
 * even after later mappings have split it into pieces. */
typedef struct {
	uint64_t base, end;
	uint32_t seq;
} dead_entry;

struct ms_machine {
	ms_config cfg;
	ms_table live;
	ms_table dead;
	uint64_t page_mask;
	uint32_t dead_seq;
	dead_entry *dead_ring;
	size_t dead_head, dead_used;
};

/* Page arithmetic. round_len fails (false) on overflow or past PTRDIFF_MAX,
 * as Miri's checked_next_multiple_of plus its target_usize_max check. */
bool round_len(const ms_machine *m, uint64_t len, uint64_t *out);
bool page_aligned(const ms_machine *m, uint64_t addr);
/* [addr, addr + round(len)) clamped so end never wraps. */
uint64_t range_end(const ms_machine *m, uint64_t addr, uint64_t len);

/* Verdict builders. */
void verdict_forward(ms_verdict *v);
void verdict_fail(ms_verdict *v, int err);
void verdict_report(ms_verdict *v, ms_kind kind, const ms_range *r, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The reports both policies word alike; c's first two args are addr, len. */
void report_double_unmap(ms_verdict *v, const ms_call *c, const ms_range *dead);
void report_unmap_untracked(ms_verdict *v, const ms_call *c);

/* The first gap of [lo, hi) that no live mapping covers; false when none. */
bool live_first_gap(const ms_machine *m, uint64_t lo, uint64_t hi, uint64_t *glo, uint64_t *ghi);
/* The first dead range in any gap of [lo, hi), or NULL. */
const ms_range *dead_in_gaps(const ms_machine *m, uint64_t lo, uint64_t hi);
/* The live mapping wholly containing [lo, hi), or NULL. */
const ms_range *live_containing(const ms_machine *m, uint64_t lo, uint64_t hi);

void check_miri(const ms_machine *m, const ms_call *c, ms_verdict *v);
void check_native(const ms_machine *m, const ms_call *c, ms_verdict *v);
/* Shared by both policies: free/realloc of a mapping. */
void check_free(const ms_machine *m, const ms_call *c, ms_verdict *v);

void range_info_from(const ms_range *r, ms_range_info *out);

#endif
