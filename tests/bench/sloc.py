# SPDX-License-Identifier: Apache-2.0
"""Count code lines of C and assembly files named on stdin, one path per line, cloc-style:
a line counts when something other than whitespace and comments (/* */ and //) is on it.
String and character literals are skipped so that comment markers inside them do not count.
Prints the total; with -v also one "lines path" row per file on stderr."""
import sys


def code_lines(text):
    count = 0
    in_comment = False
    for line in text.splitlines():
        code = False
        i, n = 0, len(line)
        while i < n:
            c = line[i]
            if in_comment:
                if line.startswith("*/", i):
                    in_comment = False
                    i += 2
                else:
                    i += 1
                continue
            if line.startswith("/*", i):
                in_comment = True
                i += 2
            elif line.startswith("//", i):
                break
            elif c in "\"'":
                code = True
                i += 1
                while i < n and line[i] != c:
                    i += 2 if line[i] == "\\" else 1
                i += 1
            elif c.isspace():
                i += 1
            else:
                code = True
                i += 1
        count += code
    return count


def main():
    total = 0
    for path in sys.stdin.read().split():
        with open(path, encoding="utf-8", errors="replace") as f:
            n = code_lines(f.read())
        if "-v" in sys.argv:
            print(n, path, file=sys.stderr)
        total += n
    print(total)


main()
