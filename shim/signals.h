/* SIGSEGV and SIGBUS belong to the runtime (use-after-unmap, file-truncated);
 * the program's own handlers for them are kept and called for every fault
 * that is not mapsan's, as if mapsan were absent (SPEC §3.1). */
#ifndef MAPSAN_SIGNALS_H
#define MAPSAN_SIGNALS_H

/* From the constructor: installs the handlers, keeping what was there as
 * the program's. */
void signals_install(void);

#endif
