#!/usr/bin/python3
"""Writes tests/golden/numpy_methods.jsonl: the numpy.random.Generator methods streamalloc draws,
with their keyword parameters and defaults, read from NumPy's own signatures.

Run with a Python that has NumPy 1.24 (Debian's /usr/bin/python3):

  /usr/bin/python3 scripts/gen_golden_numpy_methods.py

Each Generator method's docstring opens with its signature, e.g.
"normal(loc=0.0, scale=1.0, size=None)". The file is JSON Lines: a header object, then one line
per method, {"name": ..., "parameters": [{"name": ..., "default": text or null}]}, in NumPy's
order; parameters that do not describe the distribution (size, out, axis, the float dtype of
random/standard_*, standard_exponential's method) are left out, as the library's catalog
(streamalloc/distributions/numpy_methods.hpp) leaves them out. permutation and shuffle take an
array x in NumPy; the library's catalog draws them over arange(n), so x is recorded as n.
"""
import json
import platform
import re
import sys

import numpy as np

METHODS = ["random", "uniform", "integers", "standard_normal", "normal", "standard_exponential",
           "exponential", "standard_gamma", "gamma", "poisson", "binomial", "multinomial",
           "permutation", "shuffle"]
NOT_PARAMETERS = {"size", "out", "axis", "method"}


def parameters(method):
    signature = getattr(np.random.Generator, method).__doc__.strip().split("\n")[0]
    inside = re.fullmatch(method + r"\((.*)\)", signature).group(1)
    out = []
    for part in [p.strip() for p in inside.split(",") if p.strip()]:
        name, _, default = part.partition("=")
        if name in NOT_PARAMETERS or (name == "dtype" and default == "np.float64"):
            continue
        if name == "x":
            name = "n"
        out.append({"name": name, "default": default if default else None})
    return out


def main():
    lines = [{"header": True, "numpy_version": np.__version__, "python": platform.python_version(),
              "command": "/usr/bin/python3 scripts/gen_golden_numpy_methods.py",
              "description": "numpy.random.Generator methods: keyword parameters and defaults "
                             "from NumPy's signatures; see the script's docstring"}]
    lines += [{"name": m, "parameters": parameters(m)} for m in METHODS]
    sys.stdout.write("".join(json.dumps(line) + "\n" for line in lines))


if __name__ == "__main__":
    main()
