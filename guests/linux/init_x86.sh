#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# /init of the x86 Linux partition's initramfs (guests/linux/build.mk), run by Debian's
# static busybox. It checks from user space that both vCPUs are online and that the local
# APIC timer interrupt count rises on each, then exchanges checksummed messages with the
# bare-metal peer over the shared region whose guest address "bulkhead.shm=<addr>" names
# (guests/linux_peer.h protocol, polled: Linux user space has no doorbell on x86 yet),
# mapped through /dev/mem (an E820 reserved hole, which CONFIG_STRICT_DEVMEM lets user space
# map). With "bulkhead.test" on the command line (tests/system/x86_linux.sh) it first dumps
# the ACPI tables Linux sees, and powers off at the end (or at the first failure); otherwise
# (`make run`) it starts an interactive shell on the console.
/bin/busybox mkdir -p /usr/bin /usr/sbin /sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

say() { echo "linux-test: $*"; }
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p"; }
testing=false
grep -qw bulkhead.test /proc/cmdline && testing=true
shell() {
    echo "Bulkhead: try cat /proc/interrupts; cat /sys/devices/system/cpu/online; dmesg"
    exec setsid sh -c 'exec sh </dev/ttyS0 >/dev/ttyS0 2>&1'
}
fail() {
    say "FAIL: $*"
    $testing && poweroff -f
    shell
}

# What the firmware interface shows Linux, for the test's host-address check: every ACPI
# table the kernel exports, in hex, 32 bytes a line.
if $testing; then
    for t in /sys/firmware/acpi/tables/* /sys/firmware/acpi/tables/dynamic/*; do
        [ -f "$t" ] || continue
        n=${t#/sys/firmware/acpi/tables/}
        od -An -v -tx1 -w32 "$t" | while read -r l; do say "acpi $n: $l"; done
    done
    say "acpi tables dumped"
fi

online=$(cat /sys/devices/system/cpu/online)
say "CPUs online: $online"
[ "$online" = 0-1 ] || fail "CPUs online $online, not 0-1"
loc() { awk '/LOC:/ { print $2, $3 }' /proc/interrupts; }
set -- $(loc)
a0=$1 a1=$2
sleep 1
set -- $(loc)
say "local timer interrupts: CPU0 $a0 -> $1, CPU1 $a1 -> $2"
[ "$1" -gt "$a0" ] && [ "$2" -gt "$a1" ] || fail "the local timer count did not rise on both CPUs"

# The shared region (guests/linux_peer.h): 32-bit words at shm + 4 * index.
shm=$(arg bulkhead.shm)
[ -n "$shm" ] || fail "no bulkhead.shm= on the command line"
rd() { devmem $((shm + 4 * $1)) 32; }
wr() { devmem $((shm + 4 * $1)) 32 $2; }
i=0
while [ "$(rd 0)" != 0x4C50454C ]; do
    i=$((i + 1))
    [ $i -lt 600 ] || fail "the peer never said it was ready"
    sleep 0.1
done
hb0=$(rd 1)
# lp_checksum() of guests/linux_peer.h in shell arithmetic (32-bit wrap).
csum() { # seq len words...
    c=$(((0x811c9dc5 ^ $1) & 0xffffffff))
    c=$(((c * 16777619 ^ $2) & 0xffffffff))
    shift 2
    for w; do c=$(((c * 16777619 ^ w) & 0xffffffff)); done
    echo $c
}
N=8 LEN=4
seq=1
while [ $seq -le $N ]; do
    words=
    j=0
    while [ $j -lt $LEN ]; do
        w=$((((seq * 0x9e3779b9) ^ (j * 0x85ebca6b) ^ 0x4c4e5800) & 0xffffffff))
        wr $((16 + 3 + j)) $w
        words="$words $w"
        j=$((j + 1))
    done
    wr 17 $LEN
    wr 18 "$(csum $seq $LEN $words)"
    wr 16 $seq
    i=0
    while [ $(($(rd 64))) -ne $seq ]; do
        i=$((i + 1))
        [ $i -lt 1000 ] || fail "no reply to message $seq"
        sleep 0.01
    done
    rwords=
    j=0
    while [ $j -lt $LEN ]; do
        rwords="$rwords $(($(rd $((64 + 3 + j)))))"
        j=$((j + 1))
    done
    [ $(($(rd 66))) -eq "$(csum $seq $(($(rd 65))) $rwords)" ] || fail "reply $seq: bad checksum"
    set -- $words
    j=0
    for r in $rwords; do
        eval w=\$$((j + 1))
        [ "$r" -eq $(((~w + j) & 0xffffffff)) ] || fail "reply $seq word $j: $r"
        j=$((j + 1))
    done
    seq=$((seq + 1))
done
say "$N messages exchanged with the peer, checksums good"
say "peer heartbeat $((hb0)) -> $(($(rd 1)))"
if $testing; then
    # The peer checks the count and stops with its verdict.
    wr 4 $N
    wr 3 0x53544f50
    say PASS
    # The 8250 driver polls the virtual COM1 from a timer (no interrupt line in the ACPI
    # tables): let it drain the last lines before the partition powers off.
    sleep 2
    poweroff -f
fi
# `make run`: the peer keeps running (its heartbeat counts on in the region).
echo "Bulkhead: Linux is up in this partition; its peer answered $N messages over shared memory."
shell
