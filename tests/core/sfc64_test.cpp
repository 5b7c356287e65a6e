// placeholder: tests for sfc64 land here
