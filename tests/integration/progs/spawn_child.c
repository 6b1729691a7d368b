/* spawn_child posix_spawn|vfork PROG [ARGS...]: starts PROG the way shells
 * and make do, waits for it and reports its status. */
#include "prog.h"

#include <spawn.h>
#include <sys/wait.h>

extern char **environ;

static pid_t start_vfork(char **argv)
{
	pid_t pid = vfork();
	if (pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 2;
	/* The parent's own mappings are tracked across the spawn. */
	char *p = map_anon(page_size());
	p[0] = 1;
	pid_t pid;
	if (mode_is(argc, argv, "vfork")) {
		pid = start_vfork(argv + 2);
	} else if (posix_spawn(&pid, argv[2], NULL, NULL, argv + 2, environ) != 0) {
		die("posix_spawn");
	}
	if (pid < 0)
		die("spawn");
	int status;
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	munmap(p, page_size());
	printf("child %d exit %d\n", (int)pid, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	printf("done\n");
	return 0;
}
