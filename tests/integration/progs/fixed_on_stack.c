/* MAP_FIXED over a thread's stack, as a JVM commits its guard zones: over
 * the calling thread's own stack ("own") it is that thread's business;
 * over another thread's stack ("other") it is memory the caller never
 * mapped. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static pthread_barrier_t ready, done;

/* A page near the low end of t's usable stack, far below any live frame. */
static char *low_stack_page(pthread_t t)
{
	pthread_attr_t a;
	void *addr;
	size_t size;
	if (pthread_getattr_np(t, &a) != 0 || pthread_attr_getstack(&a, &addr, &size) != 0)
		return NULL;
	pthread_attr_destroy(&a);
	return (char *)addr + 2 * sysconf(_SC_PAGESIZE);
}

static void *remap_own(void *arg)
{
	(void)arg;
	char *page = low_stack_page(pthread_self());
	long ps = sysconf(_SC_PAGESIZE);
	void *r = page ? mmap(page, (size_t)ps, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)
		       : MAP_FAILED;
	printf(r == page ? "own remapped\n" : "own failed\n");
	return NULL;
}

static void *wait_here(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&ready);
	pthread_barrier_wait(&done);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	if (argc > 1 && strcmp(argv[1], "other") == 0) {
		pthread_barrier_init(&ready, NULL, 2);
		pthread_barrier_init(&done, NULL, 2);
		pthread_create(&t, NULL, wait_here, NULL);
		pthread_barrier_wait(&ready);
		char *page = low_stack_page(t);
		void *r = mmap(page, (size_t)sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
		printf(r == page ? "other remapped\n" : "other failed\n");
		pthread_barrier_wait(&done);
	} else {
		pthread_create(&t, NULL, remap_own, NULL);
	}
	pthread_join(t, NULL);
	puts("done");
	return 0;
}
