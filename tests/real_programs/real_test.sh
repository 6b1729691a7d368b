#!/bin/sh
# Runs a program nobody here wrote natively and under the launcher with
# policy native, in two fresh directories: stdout and the exit status must
# match, and there must be no report. Exit 77 (skip) when it is absent.
# Environment: MAPSAN, PYTHON (for the report check).
set -eu
case=$1
self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")

need() {
	for tool in "$@"; do
		command -v "$tool" >/dev/null 2>&1 || { echo "$tool not found: skipped"; exit 77; }
	done
}

# Writes the case's inputs into the current directory and runs it.
run_python3_sqlite() {
	cat >work.py <<'PY'
import os, sqlite3, threading
db = sqlite3.connect("t.db")
db.execute("PRAGMA mmap_size=16777216")
db.execute("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)")
db.executemany("INSERT INTO t(v) VALUES (?)", [("row%d" % i,) for i in range(20000)])
db.execute("CREATE INDEX tv ON t(v)")
db.commit()
print(db.execute("SELECT count(*), sum(k), max(v) FROM t").fetchone())
def reader(out, i):
    c = sqlite3.connect("t.db")
    out[i] = c.execute("SELECT count(*) FROM t WHERE v LIKE 'row1%'").fetchone()[0]
res = [0] * 4
ts = [threading.Thread(target=reader, args=(res, i)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(res)
pid = os.fork()
if pid == 0:
    c = sqlite3.connect("t.db")
    os._exit(c.execute("SELECT count(*) FROM t").fetchone()[0] % 251)
print("child", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
db.execute("DELETE FROM t WHERE k % 2 = 0"); db.commit(); db.execute("VACUUM")
print(db.execute("SELECT count(*) FROM t").fetchone()[0])
PY
	python3 work.py
}

run_bash() {
	bash -c '
		f() { local n=$1; [ "$n" -le 1 ] && { echo 1; return; }; echo $(( n * $(f $((n - 1))) )); }
		echo "fact $(f 10)"
		seq 1 2000 | sort -rn | head -3
		for i in $(seq 1 50); do echo "$i"; done | paste -sd+ | bc 2>/dev/null || echo "no bc"
		a=(x y z); echo "${#a[@]} ${a[*]}"
		( cd / && pwd ); cat <<-EOS
			here $((6 * 7))
		EOS
		wait; exit 3'
}

run_gcc() {
	cat >prog.c <<'C'
#include <stdio.h>
#include <stdlib.h>
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
int main(void)
{
	int v[1000];
	for (int i = 0; i < 1000; i++)
		v[i] = (i * 7919) % 1000;
	qsort(v, 1000, sizeof v[0], cmp);
	printf("%d %d %d\n", v[0], v[500], v[999]);
	return 0;
}
C
	gcc -O2 -g -Wall -o prog prog.c
	./prog
	printf 'int main(void) { return undeclared; }\n' >bad.c
	if gcc -c bad.c 2>/dev/null; then echo "bad.c compiled"; else echo "bad.c rejected"; fi
}

run_make() {
	for n in a b c d; do
		printf 'int %s(void) { return %d; }\n' "$n" "$(printf %s "$n" | od -An -tu1 | tr -d ' ')" >"$n.c"
	done
	printf 'int a(void), b(void), c(void), d(void);\n#include <stdio.h>\nint main(void) { printf("%%d\\n", a() + b() + c() + d()); return 0; }\n' >main.c
	cat >Makefile <<'MK'
OBJS = a.o b.o c.o d.o main.o
all: prog
	./prog
prog: $(OBJS)
	$(CC) -o $@ $(OBJS)
%.o: %.c
	$(CC) -O1 -c -o $@ $<
clean:
	rm -f prog $(OBJS)
.PHONY: all clean
MK
	make -s -j2 CC=cc
	make -s clean
	make -s -n | wc -l
	make -s -j2 CC=cc prog && echo built
}

run_git() {
	export GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@example.org GIT_COMMITTER_NAME=a
	export GIT_COMMITTER_EMAIL=a@example.org GIT_AUTHOR_DATE='2000-01-01T00:00:00Z'
	export GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' GIT_CONFIG_NOSYSTEM=1 HOME="$PWD"
	git init -q -b main repo
	cd repo
	for i in 1 2 3 4 5; do
		seq 1 $((i * 300)) >"f$i"
		git add "f$i"
		git commit -q -m "commit $i"
	done
	git gc -q
	git log --format='%H %s'
	git cat-file -p HEAD~2:f3 | tail -1
	git diff --stat HEAD~3 HEAD | tail -1
	git fsck --full 2>&1 | grep -c . || true
}

run_node() {
	node -e '
		const a = []; for (let i = 0; i < 300000; i++) a.push({ i, s: "v" + i });
		console.log(a.length, JSON.parse(JSON.stringify(a.slice(0, 3)))[2].s);
		const buf = new Float64Array(8 * 1024 * 1024); buf[buf.length - 1] = 2.5;
		console.log(buf.reduce((x, y) => x + y, 0));
		const m = new Map(); for (let i = 0; i < 100000; i++) m.set("k" + i, i);
		console.log(m.get("k99999"));
		console.log(require("child_process").execSync("echo child").toString().trim());
		process.exitCode = 5;'
}

run_perl() {
	perl -e '
		my %h; $h{$_} = $_ * 2 for 1 .. 100000;
		print scalar(keys %h), "\n";
		my @w = sort { $b <=> $a } grep { /7$/ } keys %h; print "@w[0..2]\n";
		my $s = join ",", map { sprintf "%03d", $_ } 1 .. 5; $s =~ s/0(\d\d)/[$1]/g; print "$s\n";
		my $pid = fork(); if ($pid == 0) { exit 9 } waitpid($pid, 0); print "child ", $? >> 8, "\n";
		open(my $p, "-|", "echo", "piped") or die; print scalar <$p>;
		exit 4;'
}

# The JVM handles SIGSEGV itself (implicit null checks) and remaps guard
# zones on each thread's own stack. Its performance-data file is a shared
# writable file mapping by design, a warning of its own: turned off here.
run_java() {
	cat >M.java <<'JAVA'
public class M {
	public static void main(String[] a) throws Exception {
		long s = 0;
		for (int i = 0; i < 200000; i++) {
			int[] o = (i % 1000 == 0) ? null : new int[i % 100];
			try { s += o.length; } catch (NullPointerException e) { s++; }
		}
		Thread[] t = new Thread[4];
		long[] r = new long[4];
		for (int i = 0; i < 4; i++) {
			final int k = i;
			t[i] = new Thread(() -> { StringBuilder b = new StringBuilder(); for (int j = 0; j < 50000; j++) b.append(j % 10); r[k] = b.length(); });
			t[i].start();
		}
		for (Thread x : t) x.join();
		System.out.println("sum " + s + " threads " + (r[0] + r[1] + r[2] + r[3]));
		System.exit(6);
	}
}
JAVA
	javac -J-XX:-UsePerfData M.java && java -XX:-UsePerfData -cp . M
}

if [ "$case" = --body ]; then
	"run_$2"
	exit $?
fi

# The status each case ends with natively: a run that breaks early is caught
# before it is compared.
case $case in
python3_sqlite) need python3; python3 -c 'import sqlite3' 2>/dev/null || { echo "no sqlite3 module: skipped"; exit 77; }; expect=0 ;;
bash) need bash seq sort head paste; expect=3 ;;
gcc) need gcc; expect=0 ;;
make) need make cc od; expect=0 ;;
git) need git seq; expect=0 ;;
node) need node; expect=5 ;;
perl) need perl; expect=4 ;;
java) need java javac; expect=6 ;;
*) echo "unknown case $case" >&2; exit 2 ;;
esac

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/native" "$dir/mapsan"
native=0
(cd "$dir/native" && sh "$self" --body "$case") >"$dir/native.out" 2>"$dir/native.err" || native=$?
if [ "$native" -ne "$expect" ] || [ ! -s "$dir/native.out" ]; then
	cat "$dir/native.err" >&2
	echo "FAIL: the native run exited $native, expected $expect" >&2
	exit 1
fi
under=0
(cd "$dir/mapsan" && "$MAPSAN" --policy native --json "$dir/reports.json" -- sh "$self" --body "$case") \
	>"$dir/mapsan.out" 2>"$dir/mapsan.err" || under=$?
if [ "$native" -ne "$under" ]; then
	cat "$dir/mapsan.err" >&2
	echo "FAIL: exit status $under under mapsan, $native natively" >&2
	exit 1
fi
if ! cmp -s "$dir/native.out" "$dir/mapsan.out"; then
	diff "$dir/native.out" "$dir/mapsan.out" >&2 || true
	echo "FAIL: stdout differs under mapsan" >&2
	exit 1
fi
if ! grep -q "^mapsan: no reports" "$dir/mapsan.err" || [ "$(tr -d ' \n' <"$dir/reports.json")" != "[]" ]; then
	cat "$dir/mapsan.err" >&2
	echo "FAIL: reports under policy native" >&2
	exit 1
fi
echo "$case: status $native, $(wc -l <"$dir/native.out") identical lines, no reports"
