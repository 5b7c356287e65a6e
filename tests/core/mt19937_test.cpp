// placeholder: tests for mt19937 land here
