/* fail_mmap.c N: N one-page mmaps; prints one line per call, "ok" or the
 * errno name, then unmaps what it got. */
#include "prog.h"

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 8;
	size_t page = page_size();
	char *got[256];
	char out[256 * 12];
	size_t used = 0;
	if (n > 256)
		n = 256;
	/* Print only after the loop: stdio may map its buffers. */
	for (int i = 0; i < n; i++) {
		errno = 0;
		got[i] = mmap(NULL, page, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		const char *what = got[i] != MAP_FAILED ? "ok"
				 : errno == ENOMEM ? "ENOMEM" : "other";
		used += (size_t)snprintf(out + used, sizeof out - used, "%d %s\n", i + 1, what);
	}
	for (int i = 0; i < n; i++)
		if (got[i] != MAP_FAILED)
			munmap(got[i], page);
	fputs(out, stdout);
	printf("done\n");
	return 0;
}
