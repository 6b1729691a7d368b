#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "launcher.h"

typedef struct {
	uint16_t type;
	uint64_t phoff;
	uint16_t phentsize, phnum;
} elf_head;

typedef struct {
	uint32_t type;
	uint64_t offset, vaddr;
} elf_phdr;

static bool read_at(int fd, void *buf, size_t len, uint64_t off)
{
	return pread(fd, buf, len, (off_t)off) == (ssize_t)len;
}

static bool read_head(int fd, const unsigned char *ident, elf_head *h)
{
	if (ident[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr e;
		if (!read_at(fd, &e, sizeof e, 0))
			return false;
		*h = (elf_head){e.e_type, e.e_phoff, e.e_phentsize, e.e_phnum};
		return e.e_phentsize == sizeof(Elf64_Phdr);
	}
	Elf32_Ehdr e;
	if (!read_at(fd, &e, sizeof e, 0))
		return false;
	*h = (elf_head){e.e_type, e.e_phoff, e.e_phentsize, e.e_phnum};
	return e.e_phentsize == sizeof(Elf32_Phdr);
}

static bool read_phdr(int fd, const unsigned char *ident, const elf_head *h,
		      unsigned i, elf_phdr *p)
{
	uint64_t off = h->phoff + (uint64_t)i * h->phentsize;

	if (ident[EI_CLASS] == ELFCLASS64) {
		Elf64_Phdr ph;
		if (!read_at(fd, &ph, sizeof ph, off))
			return false;
		*p = (elf_phdr){ph.p_type, ph.p_offset, ph.p_vaddr};
		return true;
	}
	Elf32_Phdr ph;
	if (!read_at(fd, &ph, sizeof ph, off))
		return false;
	*p = (elf_phdr){ph.p_type, ph.p_offset, ph.p_vaddr};
	return true;
}

static bool native_ident(const unsigned char *ident)
{
	const unsigned char data =
		__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB;

	return memcmp(ident, ELFMAG, SELFMAG) == 0 && ident[EI_DATA] == data &&
	       (ident[EI_CLASS] == ELFCLASS64 || ident[EI_CLASS] == ELFCLASS32);
}

static void scan_phdrs(int fd, const unsigned char *ident, const elf_head *h, elf_info *out)
{
	bool seen_load = false;

	for (unsigned i = 0; i < h->phnum; i++) {
		elf_phdr p;
		if (!read_phdr(fd, ident, h, i, &p))
			return;
		if (p.type == PT_INTERP)
			out->has_interp = true;
		if (p.type == PT_LOAD && !seen_load) {
			seen_load = true;
			if (out->exec)
				out->bias = p.vaddr - p.offset;
		}
	}
}

bool elf_inspect(const char *path, elf_info *out)
{
	unsigned char ident[EI_NIDENT];
	elf_head h;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	memset(out, 0, sizeof *out);
	if (fd < 0)
		return false;
	if (read_at(fd, ident, sizeof ident, 0) && native_ident(ident) &&
	    read_head(fd, ident, &h)) {
		out->elf = true;
		out->exec = h.type == ET_EXEC;
		scan_phdrs(fd, ident, &h, out);
	}
	close(fd);
	return out->elf;
}
