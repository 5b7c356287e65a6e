// placeholder: tests for numpy_known_answer land here
