/* Deliberate misuses of the mmap family, one per function, each the kind of
 * bug mapsan exists to catch. */
#ifndef BUGGY_H
#define BUGGY_H

/* munmap with a length that runs on into the neighbouring mapping. */
int buggy_overrun(void);
/* munmap of a mapping that was already unmapped. */
int buggy_double_unmap(void);
/* A store to a mapping after munmap. */
int buggy_use_after_unmap(void);
/* free() of a block that came from mmap. */
int buggy_free_mapping(void);
/* The same calls used correctly. */
int buggy_clean(void);

#endif
