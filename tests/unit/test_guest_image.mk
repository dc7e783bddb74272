unit-guest_image := core/partition/guest_image.c lib/sha256.c lib/string.c
