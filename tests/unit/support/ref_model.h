/* A naive reference for the abstract machine: one state per page of a small
 * address space, with the rules of SPEC §3.1/§3.2 and the carry-on of §3.4
 * written directly over pages. Slow and obvious on purpose; the differential
 * test holds the real machine to it. Pages outside the space are untracked. */
#ifndef MAPSAN_TEST_REF_MODEL_H
#define MAPSAN_TEST_REF_MODEL_H

#include <mapsan/machine.h>

#define REF_PAGES 1024

enum { REF_UNTRACKED, REF_LIVE, REF_DEAD };

/* A mapping (or a dead range) is a maximal run of consecutive pages that
 * share an id: pieces split off a mapping keep its id but are never
 * adjacent, so each piece is its own run. */
typedef struct {
	uint8_t state;
	uint8_t prot;
	bool file;
	uint32_t id;
	uint32_t origin;
	uint32_t unmap;
	uint32_t flags;
} ref_page;

typedef struct {
	uint64_t base; /* address of page 0 */
	uint64_t page;
	ms_policy policy;
	bool allow_sealed_files;
	ms_os os; /* only range_foreign is used */
	uint32_t next_id;
	ref_page pg[REF_PAGES];
} ref_model;

void ref_init(ref_model *r, const ms_config *cfg, uint64_t base);
uint64_t ref_end(const ref_model *r);

void ref_check(const ref_model *r, const ms_call *c, ms_verdict *v);
void ref_check_access(const ref_model *r, uint64_t addr, ms_verdict *v);
void ref_record(ref_model *r, const ms_call *c, uint64_t result);

/* The run of pages in state `state` containing addr. */
bool ref_find(const ref_model *r, uint64_t addr, int state, ms_range_info *out);
int ref_state(const ref_model *r, uint64_t addr);
/* round(len) of SPEC §3; false when it fails. */
bool ref_round(const ref_model *r, uint64_t len, uint64_t *out);

#endif
