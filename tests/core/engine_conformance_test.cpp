// placeholder: tests for engine_conformance land here
