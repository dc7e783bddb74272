unit-guest_image := core/guest_image.c lib/sha256.c lib/string.c
