/* A program mapping is unmapped (and, with quarantine_mb=0, released at
 * once); then a new thread's first checked call makes libunwind map its
 * per-thread cache, which the kernel may place on that very address. The
 * cache is freed by a TSD destructor at thread exit, outside the runtime. */
#include <pthread.h>

#include "prog.h"

static void *map_one_page(void *arg)
{
	(void)arg;
	char *p = map_anon(page_size());
	p[0] = 1;
	if (munmap(p, page_size()))
		die("munmap");
	return NULL;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 64;
	for (int i = 0; i < rounds; i++) {
		char *p = map_anon(256 * 1024);
		p[0] = 1;
		if (munmap(p, 256 * 1024))
			die("munmap");
		pthread_t t;
		if (pthread_create(&t, NULL, map_one_page, NULL) || pthread_join(t, NULL))
			die("pthread");
	}
	puts("done");
	return 0;
}
