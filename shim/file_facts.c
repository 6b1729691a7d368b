#include <fcntl.h>
#include <linux/fs.h>
#include <sys/stat.h>

#include "file_facts.h"
#include "sys.h"

#ifndef FS_VERITY_FL
#define FS_VERITY_FL 0x00100000
#endif

void file_facts_gather(int fd, ms_file_facts *out)
{
	struct stat st;
	*out = (ms_file_facts){0};
	if (sys_failed(sys_call2(SYS_fstat, fd, &st)))
		return;
	out->valid = true;
	out->regular = S_ISREG(st.st_mode);
	out->size = (uint64_t)st.st_size;
	if (!out->regular)
		return;
	const long all = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
	long seals = sys_call2(SYS_fcntl, fd, F_GET_SEALS);
	out->sealed = !sys_failed(seals) && (seals & all) == all;
	/* The kernel stores an int here whatever the ioctl's declared type. */
	int flags = 0;
	if (!sys_failed(sys_call3(SYS_ioctl, fd, FS_IOC_GETFLAGS, &flags)))
		out->verity = (flags & FS_VERITY_FL) != 0;
}
