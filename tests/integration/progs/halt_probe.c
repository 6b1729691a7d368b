/* Shows what a halt leaves behind. A child that shares this address space
 * (clone with CLONE_VM, its own process) makes a partial munmap; once it is
 * gone, the parent looks at the page the munmap named. A halted call was
 * never forwarded, so the page must still be mapped. */
#include "prog.h"

#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static char *target;
static size_t page;

static int child_main(void *arg)
{
	(void)arg;
	munmap(target, page);
	return 0;
}

/* Only raw system calls from here on: the child may have left the runtime
 * in any state when it was stopped. */
static int page_mapped(void *p)
{
	unsigned char vec;
	return syscall(SYS_mincore, p, page, &vec) == 0;
}

static void say(const char *s)
{
	ssize_t r = write(1, s, strlen(s));
	(void)r;
}

int main(void)
{
	page = page_size();
	target = map_anon(2 * page);
	target[0] = 'k';
	size_t stack_size = 256 * 1024;
	char *stack = malloc(stack_size);
	if (!stack)
		die("malloc");
	pid_t pid = clone(child_main, stack + stack_size, CLONE_VM | SIGCHLD, NULL);
	if (pid < 0)
		die("clone");
	int status;
	if (waitpid(pid, &status, __WALL) != pid)
		die("waitpid");
	char line[64];
	snprintf(line, sizeof line, "child exit %d\n",
		 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	say(line);
	say(page_mapped(target) && target[0] == 'k' ? "page intact\n" : "page gone\n");
	syscall(SYS_exit_group, 0);
	return 0;
}
