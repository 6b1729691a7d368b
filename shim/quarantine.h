/* Address space held back after munmap so that a use after unmap faults
 * instead of reading whatever the kernel maps there next (SPEC §2,
 * quarantine_mb). Every function here runs with the table lock held. */
#ifndef MAPSAN_QUARANTINE_H
#define MAPSAN_QUARANTINE_H

#include <stdbool.h>
#include <stdint.h>

/* munmap of the page-aligned [lo, hi): pages the table tracks are
 * quarantined, the rest are unmapped. Returns the kernel-style result. */
long quarantine_unmap(uint64_t lo, uint64_t hi);

/* The program has just replaced [lo, hi) itself (MAP_FIXED, mremap, a
 * munmap of pages we hold): drop every entry overlapping it, so that no
 * later release unmaps what is now the program's or someone else's. */
void quarantine_claim(uint64_t lo, uint64_t hi);

/* The lowest held range overlapping [lo, hi), if any. */
bool quarantine_overlap(uint64_t lo, uint64_t hi, uint64_t *qlo, uint64_t *qhi);

/* Carrying on after a use-after-unmap at addr: makes its held range
 * readable and writable again. False when addr is not held. */
bool quarantine_open(uint64_t addr);

#endif
