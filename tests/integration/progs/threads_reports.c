/* Eight threads each making many reports at once (run with
 * halt_on_error=0): every report must arrive whole. */
#include "prog.h"

#include <pthread.h>

#define THREADS 8
#define BUGS 40

static void *double_unmaps(void *arg)
{
	(void)arg;
	size_t page = page_size();
	for (int i = 0; i < BUGS; i++) {
		char *p = map_anon(page);
		p[0] = 1;
		munmap(p, page);
		munmap(p, page);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		if (pthread_create(&t[i], NULL, double_unmaps, NULL) != 0)
			die("pthread_create");
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	printf("done\n");
	return 0;
}
