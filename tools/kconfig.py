#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Bulkhead's Kconfig front end, on Debian's python3-kconfiglib.

Every Kconfig warning is an error: an unknown symbol in a defconfig, a value that does not
take (e.g. an unmet dependency) or a malformed line stops the build with kconfiglib's text.

  kconfig.py defconfig FILE [FRAGMENT...]  write $KCONFIG_CONFIG from a defconfig (+ fragments)
  kconfig.py olddefconfig                  refresh $KCONFIG_CONFIG, new symbols at defaults
  kconfig.py savedefconfig OUT             write the minimal defconfig of $KCONFIG_CONFIG
  kconfig.py genconfig HEADER AUTOCONF     write the C header (without the partition layout)
                                           and the make include
  kconfig.py menuconfig                    interactive editor
"""
import os
import sys

import kconfiglib


def write_c_header(kconf, path):
    """The C header, less CONFIG_PARTITION_LAYOUT. The layout is data: the DTB
    (core/boot/dtb_blob.S) and its name (core/config/config_boot.c). So choosing another layout
    rebuilds the DTB and relinks, and no C object depends on it. Written only when its contents change (as write_autoconf()),
    so that make rebuilds nothing needlessly."""
    tmp = path + ".tmp"
    kconf.write_autoconf(tmp)
    with open(tmp) as f:
        text = "".join(l for l in f if not l.startswith("#define CONFIG_PARTITION_LAYOUT "))
    os.remove(tmp)
    try:
        with open(path) as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    with open(path, "w") as f:
        f.write(text)


def fail_on_warnings(kconf, what):
    if kconf.warnings:
        for w in kconf.warnings:
            sys.stderr.write("kconfig: %s: %s\n" % (what, w))
        sys.stderr.write("kconfig: %s: %d warning(s), treated as errors\n"
                         % (what, len(kconf.warnings)))
        sys.exit(1)


def check_values_took(kconf, path):
    """A defconfig line whose value Kconfig refused (unmet dependency, out of range) is an
    error: kconfiglib only warns about some of them, so compare user values to results."""
    bad = []
    for sym in kconf.unique_defined_syms:
        if sym.user_value is None or sym.choice:
            continue
        want = sym.user_value
        if sym.orig_type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
            want = kconfiglib.TRI_TO_STR[want]
        if sym.str_value != want:
            bad.append("%s: CONFIG_%s=%s did not take (now '%s'; check its dependencies)"
                       % (path, sym.name, want, sym.str_value))
    for line in bad:
        sys.stderr.write("kconfig: %s\n" % line)
    if bad:
        sys.exit(1)


def load():
    kconf = kconfiglib.Kconfig(os.environ.get("KCONFIG", "Kconfig"), warn_to_stderr=False)
    # Assigning a symbol that does not exist (a typo, a removed option) must not pass quietly.
    kconf.warn_assign_undef = True
    kconf.warn_assign_override = True
    kconf.warn_assign_redun = False
    fail_on_warnings(kconf, "Kconfig")
    return kconf


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    cmd = argv[1]
    config = os.environ.get("KCONFIG_CONFIG", ".config")
    kconf = load()
    if cmd == "defconfig":
        files = argv[2:]
        if not files:
            sys.stderr.write("kconfig: defconfig needs a file\n")
            return 2
        for i, f in enumerate(files):
            if not os.path.isfile(f):
                sys.stderr.write("kconfig: %s: no such file\n" % f)
                return 1
            # A fragment exists to override the defconfig: only the defconfig itself may not
            # set a symbol twice.
            kconf.warn_assign_override = i == 0
            kconf.load_config(f, replace=(i == 0))
            fail_on_warnings(kconf, f)
        check_values_took(kconf, " + ".join(files))
        kconf.write_config(config)
        fail_on_warnings(kconf, config)
    elif cmd == "olddefconfig":
        kconf.load_config(config)
        fail_on_warnings(kconf, config)
        kconf.write_config(config)
    elif cmd == "savedefconfig":
        kconf.load_config(config)
        fail_on_warnings(kconf, config)
        kconf.write_min_config(argv[2])
    elif cmd == "genconfig":
        kconf.load_config(config)
        fail_on_warnings(kconf, config)
        write_c_header(kconf, argv[2])
        # The make include: the .config itself is valid make syntax.
        kconf.write_config(argv[3], header="# Generated from %s; do not edit\n" % config)
    elif cmd == "menuconfig":
        import menuconfig
        os.environ.setdefault("KCONFIG_CONFIG", config)
        menuconfig.menuconfig(kconf)
    else:
        sys.stderr.write("kconfig: unknown command '%s'\n" % cmd)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
