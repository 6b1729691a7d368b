#ifndef MAPSAN_LEAKS_H
#define MAPSAN_LEAKS_H

/* detect_leaks (SPEC §2): reports every mapping still live, once, at the
 * first of atexit and the destructor. */
void leaks_at_exit(void);

#endif
