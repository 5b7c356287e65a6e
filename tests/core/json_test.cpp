// placeholder: tests for json land here
