// placeholder: tests for seed_sequence land here
