// placeholder: tests for philox land here
