unit-guest_image := core/partition/guest_image.c lib/string.c
