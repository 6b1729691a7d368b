/* A trivial kernel for the differential test: it owns a small address space
 * of REF_PAGES pages, places mappings first-fit from a random start, and
 * holds a few foreign regions (someone else's memory) that a MAP_FIXED or a
 * munmap over them takes away from their owner. sbrk moves a break in the
 * top part of the space, with the kernel's brk rules. */
#ifndef MAPSAN_TEST_FAKE_KERNEL_H
#define MAPSAN_TEST_FAKE_KERNEL_H

#include <mapsan/machine.h>

#include "ref_model.h"

typedef struct {
	uint64_t base;
	uint64_t page;
	uint64_t rng;
	uint64_t brk_start, brk;    /* the heap of sbrk; 0: not placed yet */
	uint8_t mapped[REF_PAGES];  /* the program's own */
	uint8_t foreign[REF_PAGES]; /* someone else's */
} fake_kernel;

void fk_init(fake_kernel *k, uint64_t base, uint64_t page, uint64_t seed);
void fk_set_foreign(fake_kernel *k, uint64_t addr, uint64_t len);
/* Performs the call; returns what the syscall would (address, 0 or -errno). */
uint64_t fk_forward(fake_kernel *k, const ms_call *c);
/* ms_os.range_foreign, with ctx a fake_kernel. */
bool fk_range_foreign(void *ctx, uint64_t base, uint64_t len);
bool fk_is_mapped(const fake_kernel *k, uint64_t addr);
bool fk_is_foreign(const fake_kernel *k, uint64_t addr);

#endif
