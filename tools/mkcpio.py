#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
#
# Write a cpio "newc" archive (the initramfs format, Linux Documentation/driver-api/
# early-userspace/buffer-format.rst) from a list, without root and reproducibly (owner 0:0,
# mtime 0, inode numbers in list order). Same line format as Linux's gen_init_cpio:
#
#   dir   <path> <mode>
#   file  <path> <source file> <mode>
#   nod   <path> <mode> c|b <major> <minor>
#   slink <path> <target> <mode>
#
#   mkcpio.py LIST OUT       (# starts a comment; modes are octal)
import stat
import sys


def header(ino, mode, nlink, size, rmaj, rmin, name):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rmaj, rmin, len(name) + 1, 0]
    return b"070701" + b"".join(b"%08x" % f for f in fields)


def pad4(n):
    return b"\0" * (-n % 4)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: mkcpio.py LIST OUT")
    out = bytearray()
    ino = 1
    with open(sys.argv[1]) as f:
        entries = [line.split() for line in f if line.split() and not line.startswith("#")]
    entries.append(["trailer"])
    for e in entries:
        kind, data, rmaj, rmin, nlink = e[0], b"", 0, 0, 1
        if kind == "dir" and len(e) == 3:
            name, mode = e[1], stat.S_IFDIR | int(e[2], 8)
            nlink = 2
        elif kind == "file" and len(e) == 4:
            name, mode = e[1], stat.S_IFREG | int(e[3], 8)
            with open(e[2], "rb") as src:
                data = src.read()
        elif kind == "nod" and len(e) == 6 and e[3] in ("c", "b"):
            name = e[1]
            mode = (stat.S_IFCHR if e[3] == "c" else stat.S_IFBLK) | int(e[2], 8)
            rmaj, rmin = int(e[4]), int(e[5])
        elif kind == "slink" and len(e) == 4:
            name, mode, data = e[1], stat.S_IFLNK | int(e[3], 8), e[2].encode()
        elif kind == "trailer":
            name, mode, nlink, ino = "TRAILER!!!", 0, 1, 0
        else:
            sys.exit("%s: bad line: %s" % (sys.argv[1], " ".join(e)))
        # newc names are relative to the archive root.
        bname = name.lstrip("/").encode() or b"."
        hdr = header(ino, mode, nlink, len(data), rmaj, rmin, bname) + bname + b"\0"
        out += hdr + pad4(len(hdr)) + data + pad4(len(data))
        ino += 1
    # The kernel reads the archive in 512-byte blocks happily either way; pad like cpio(1).
    out += pad4(len(out)) + b"\0" * (-len(out) % 512)
    with open(sys.argv[2], "wb") as f:
        f.write(out)


main()
