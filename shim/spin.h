/* Busy-waiting for the runtime's few locks, which must work in signal
 * handlers and in a forked child, where pthread mutexes cannot. */
#ifndef MAPSAN_SPIN_H
#define MAPSAN_SPIN_H

static inline void cpu_relax(void)
{
#if defined(__x86_64__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#endif
}

#endif
