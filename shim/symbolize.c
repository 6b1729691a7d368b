/* In-process symbolization of a pc: module path, offset from the module's
 * load bias (what addr2line wants, also for non-PIE executables), and the
 * function from the module's ELF .symtab, so that static and hidden
 * functions have names too; dladdr's exported name is the fallback.
 * Reports only: callers serialise (report.c's lock). File and line are left
 * to the launcher's offline addr2line. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "forward.h"
#include "runtime.h"
#include "sys.h"

#define MODULES_MAX 128

typedef struct {
	uintptr_t bias;           /* l_addr: identifies the loaded object */
	const char *path;         /* copy, in the module's own mapping slot */
	const ElfW(Sym) *syms;    /* .symtab, else .dynsym; NULL if unreadable */
	size_t nsyms;
	const char *strs;
	size_t strs_len;
} module_syms;

static module_syms modules[MODULES_MAX];
static size_t module_count;
static char exe_path[SHIM_PATH_MAX];

static bool same_str(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static const char *main_exe_path(void)
{
	if (!exe_path[0]) {
		long n = sys_call3(SYS_readlink, "/proc/self/exe", exe_path, sizeof exe_path - 1);
		exe_path[sys_failed(n) ? 0 : n] = '\0';
	}
	return exe_path;
}

static bool elf_header_ok(const ElfW(Ehdr) *eh, size_t size)
{
	return size >= sizeof *eh && eh->e_ident[EI_MAG0] == ELFMAG0 &&
	       eh->e_ident[EI_MAG1] == ELFMAG1 && eh->e_ident[EI_MAG2] == ELFMAG2 &&
	       eh->e_ident[EI_MAG3] == ELFMAG3 && eh->e_ident[EI_CLASS] == ELFCLASS64 &&
	       eh->e_shentsize == sizeof(ElfW(Shdr)) && eh->e_shoff < size &&
	       eh->e_shnum <= (size - eh->e_shoff) / sizeof(ElfW(Shdr));
}

/* Finds the symbol table of type `type` in the mapped file. */
static bool elf_symtab(const char *file, size_t size, unsigned type, module_syms *m)
{
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)file;
	const ElfW(Shdr) *sh = (const ElfW(Shdr) *)(file + eh->e_shoff);
	for (unsigned i = 0; i < eh->e_shnum; i++) {
		if (sh[i].sh_type != type || sh[i].sh_link >= eh->e_shnum)
			continue;
		const ElfW(Shdr) *st = &sh[sh[i].sh_link];
		if (sh[i].sh_offset > size || sh[i].sh_size > size - sh[i].sh_offset ||
		    st->sh_offset > size || st->sh_size > size - st->sh_offset || st->sh_size == 0)
			continue;
		m->syms = (const ElfW(Sym) *)(file + sh[i].sh_offset);
		m->nsyms = sh[i].sh_size / sizeof(ElfW(Sym));
		m->strs = file + st->sh_offset;
		m->strs_len = st->sh_size;
		return true;
	}
	return false;
}

/* Maps the module's file whole, read-only, and keeps it for later lookups. */
static void load_symbols(module_syms *m)
{
	long fd = sys_call3(SYS_openat, AT_FDCWD, m->path, O_RDONLY | O_CLOEXEC);
	if (sys_failed(fd))
		return;
	struct stat st;
	long r = sys_call2(SYS_fstat, fd, &st);
	long p = -1;
	if (!sys_failed(r) && st.st_size > 0)
		p = fwd_mmap_runtime((uint64_t)st.st_size, (int)fd);
	sys_call1(SYS_close, fd);
	if (p == -1 || sys_failed(p))
		return;
	size_t size = (size_t)st.st_size;
	const char *file = (const char *)p;
	if (!elf_header_ok((const ElfW(Ehdr) *)file, size) ||
	    (!elf_symtab(file, size, SHT_SYMTAB, m) && !elf_symtab(file, size, SHT_DYNSYM, m)))
		sys_call2(SYS_munmap, p, size);
}

/* The path copy lives in a small raw mapping of its own; reports are rare. */
static const char *copy_path(const char *path)
{
	size_t n = 0;
	while (path[n])
		n++;
	long p = fwd_mmap_runtime(n + 1, -1);
	if (sys_failed(p))
		return NULL;
	char *s = (char *)p;
	for (size_t i = 0; i <= n; i++)
		s[i] = path[i];
	return s;
}

static module_syms *module_for(uintptr_t bias, const char *path)
{
	for (size_t i = 0; i < module_count; i++)
		if (modules[i].bias == bias && same_str(modules[i].path, path))
			return &modules[i];
	if (module_count == MODULES_MAX)
		return NULL;
	module_syms *m = &modules[module_count];
	*m = (module_syms){.bias = bias, .path = copy_path(path)};
	if (!m->path)
		return NULL;
	module_count++;
	load_symbols(m);
	return m;
}

static const char *symtab_lookup(const module_syms *m, uintptr_t vaddr)
{
	const ElfW(Sym) *best = NULL;
	for (size_t i = 0; i < m->nsyms; i++) {
		const ElfW(Sym) *s = &m->syms[i];
		unsigned type = ELF64_ST_TYPE(s->st_info);
		if ((type != STT_FUNC && type != STT_GNU_IFUNC) || s->st_shndx == SHN_UNDEF ||
		    s->st_name >= m->strs_len || vaddr < s->st_value)
			continue;
		if (vaddr < s->st_value + s->st_size) {
			/* Prefer a global name over a local alias of the same code. */
			if (!best || ELF64_ST_BIND(s->st_info) != STB_LOCAL)
				best = s;
		}
	}
	return best ? m->strs + best->st_name : NULL;
}

void symbolize_pc(uintptr_t pc, ms_frame *out)
{
	*out = (ms_frame){.pc = pc, .offset = pc};
	Dl_info info;
	struct link_map *lm = NULL;
	if (!dladdr1((void *)pc, &info, (void **)&lm, RTLD_DL_LINKMAP) || !lm)
		return;
	const char *path = lm->l_name && lm->l_name[0] ? lm->l_name : main_exe_path();
	out->module = path[0] ? path : info.dli_fname;
	out->offset = pc - lm->l_addr;
	module_syms *m = path[0] ? module_for(lm->l_addr, path) : NULL;
	if (m && m->syms)
		out->function = symtab_lookup(m, pc - lm->l_addr);
	if (!out->function)
		out->function = info.dli_sname;
	if (m && m->path)
		out->module = m->path;
}
