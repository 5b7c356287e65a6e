// placeholder: tests for pcg64 land here
