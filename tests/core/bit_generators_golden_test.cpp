// placeholder: tests for bit_generators_golden land here
