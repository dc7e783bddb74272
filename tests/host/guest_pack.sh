#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Guest-image packing, end to end on the host: a DTB naming images (one twice, one partition
# without image, a non-partition node with an "image" property) goes through guests/pack.sh;
# core/partition/guest_images.S assembles the result with the host compiler and
# core/partition/guest_image.c, unchanged, must find every referenced image byte for byte, once,
# and nothing else. A path pack.sh cannot quote into the assembler must be refused.
set -u
top=${BH_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${BH_OUT:-$top/out/check}/guest-pack
rm -rf "$out"
mkdir -p "$out/root/guests/test"
fail=0
verdict() { if [ "$2" -eq 0 ]; then echo "PASS $1"; else echo "FAIL $1: $3"; fail=1; fi; }

head -c 5000 /dev/urandom >"$out/root/guests/test/a.bin"
head -c 123 /dev/urandom >"$out/root/guests/test/b.bin"
: >"$out/root/guests/test/empty.bin"
cat >"$out/test.dts" <<'DTS'
/dts-v1/;
/ {
    hypervisor {
        compatible = "bulkhead,hypervisor-v1";
        #address-cells = <1>;
        #size-cells = <0>;
        partition@1 { compatible = "bulkhead,partition-v1"; reg = <1>; image = "guests/test/a.bin"; };
        partition@2 { compatible = "bulkhead,partition-v1"; reg = <2>; image = "guests/test/b.bin"; };
        partition@3 { compatible = "bulkhead,partition-v1"; reg = <3>; image = "guests/test/a.bin"; };
        partition@4 { compatible = "bulkhead,partition-v1"; reg = <4>; };
        partition@5 { compatible = "bulkhead,partition-v1"; reg = <5>; image = "guests/test/empty.bin"; };
        other { compatible = "vendor,other"; image = "guests/test/none.bin"; };
    };
};
DTS
cat >"$out/check.c" <<'C'
// SPDX-License-Identifier: Apache-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <hv/guest_image.h>

extern const size_t guest_image_count;

static int same(const char *root, const char *path)
{
    const struct guest_image *g = guest_image_find(path);
    char full[4096], buf[8192];
    size_t n;
    FILE *f;

    snprintf(full, sizeof(full), "%s/%s", root, path);
    f = fopen(full, "rb");
    if (f == NULL || g == NULL) {
        printf("%s: %s\n", path, g == NULL ? "not packed" : "cannot open");
        return 0;
    }
    n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    if (n != g->size || memcmp(buf, g->data, n) != 0 || ((size_t)g->data & 15) != 0) {
        printf("%s: %zu bytes packed, %zu in the file, or misaligned\n", path, g->size, n);
        return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    int ok = argc == 2 && same(argv[1], "guests/test/a.bin") &&
             same(argv[1], "guests/test/b.bin") && same(argv[1], "guests/test/empty.bin") &&
             guest_image_find("guests/test/none.bin") == NULL && guest_image_count == 3;

    printf("%zu images packed\n", guest_image_count);
    return ok ? 0 : 1;
}
C
dtc -q -I dts -O dtb -o "$out/test.dtb" "$out/test.dts" || { echo "FAIL guests/pack: dtc"; exit 1; }
"$top/guests/pack.sh" "$out/test.dtb" "$out/root" >"$out/images.inc" 2>"$out/pack.log"
verdict guests/pack-generates $? "pack.sh failed: $(cat "$out/pack.log")"
gcc -std=c11 -Wall -Wextra -Werror -fno-pie -no-pie -D_DEFAULT_SOURCE -I"$top/include" \
    -DGUEST_IMAGES_INC="\"$out/images.inc\"" "$top/core/partition/guest_images.S" "$top/core/partition/guest_image.c" \
    "$out/check.c" -o "$out/check" >"$out/build.log" 2>&1
verdict guests/pack-assembles $? "$(tail -n 5 "$out/build.log")"
"$out/check" "$out/root" >"$out/check.log" 2>&1
verdict guests/pack-finds-every-image $? "$(cat "$out/check.log")"

# A quote in a path would end the assembler string early: refused, naming the node.
sed 's|guests/test/b.bin|guests/te\\"st/b.bin|' "$out/test.dts" >"$out/bad.dts"
dtc -q -I dts -O dtb -o "$out/bad.dtb" "$out/bad.dts"
if "$top/guests/pack.sh" "$out/bad.dtb" "$out/root" >/dev/null 2>"$out/bad.log"; then
    verdict guests/pack-refuses-quotes 1 "a path with a quote was packed"
else
    grep -q '/hypervisor/partition@2: image:' "$out/bad.log"
    verdict guests/pack-refuses-quotes $? "no node path in: $(cat "$out/bad.log")"
fi
exit $fail
