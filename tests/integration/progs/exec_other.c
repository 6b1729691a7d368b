/* exec_other PROG [ARGS...]: maps and unmaps cleanly, then becomes PROG. */
#include "prog.h"

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	char *p = map_anon(page_size());
	p[0] = 1;
	munmap(p, page_size());
	printf("exec %s\n", argv[1]);
	fflush(stdout);
	execv(argv[1], argv + 1);
	die("execv");
}
