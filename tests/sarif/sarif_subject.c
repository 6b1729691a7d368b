/* Three processes for the CI-format checks: the parent makes an unsupported
 * mapping, one child frees part of a mapping, the other child is clean. With
 * argument "clean" no process misbehaves. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void *map_pages(size_t len, int flags)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		_exit(1);
	}
	return p;
}

static void child_trims(long page)
{
	char *p = map_pages(2 * page, MAP_PRIVATE | MAP_ANONYMOUS);
	munmap(p + page, page);
	munmap(p, page);
	_exit(0);
}

static void child_clean(long page)
{
	char *p = map_pages(2 * page, MAP_PRIVATE | MAP_ANONYMOUS);
	p[0] = 1;
	munmap(p, 2 * page);
	_exit(0);
}

static int run_child(void (*body)(long), long page)
{
	int status;
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		body(page);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	long page = sysconf(_SC_PAGESIZE);
	int clean = argc > 1 && strcmp(argv[1], "clean") == 0;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | (clean ? 0 : MAP_NORESERVE);
	void *p = map_pages((size_t)page, flags);

	if (run_child(clean ? child_clean : child_trims, page) != 0)
		return 1;
	if (run_child(child_clean, page) != 0)
		return 1;
	munmap(p, (size_t)page);
	puts("done");
	return 0;
}
