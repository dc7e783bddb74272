unit-guest_image := core/guest_image.c lib/string.c
