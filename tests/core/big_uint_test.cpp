// placeholder: tests for big_uint land here
