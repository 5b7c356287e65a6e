#!/usr/bin/python3
"""Writes lib/core/include/streamalloc/detail/ziggurat_tables.hpp: NumPy's ziggurat tables.

NumPy's Generator draws standard normals and standard exponentials with 256-layer ziggurats
(Marsaglia & Tsang, "The Ziggurat Method for Generating Random Variables", JSS 5(8), 2000).
Their tables (ki/wi/fi for the normal, ke/we/fe for the exponential) are mathematical constants,
but NumPy's normal tables were evaluated in limited precision: recomputing them exactly from the
construction gives doubles (and integer thresholds) that differ from NumPy's in the last bits,
and every such difference can change a draw. Bit-exactness therefore requires NumPy's numbers,
so this script takes them as data from NumPy's numpy/random/src/distributions/
ziggurat_constants.h (any release since 1.17; the tables have not changed) and writes them as
hexadecimal floating-point literals, which every compiler reads back to the identical double.

As a provenance check it also rebuilds both ziggurats from their defining equations in
60-digit decimal arithmetic and reports how far NumPy's values are from the exact ones (under
2e-14 relative; the exponential widths and densities match exactly). It refuses to write
anything if an entry is further than 1e-12 relative, which would mean a corrupt input.

Usage:
  /usr/bin/python3 scripts/gen_ziggurat_tables.py ziggurat_constants.h
where ziggurat_constants.h is NumPy's numpy/random/src/distributions/ziggurat_constants.h, e.g.
  git -C NUMPY_CHECKOUT show v1.24.2:numpy/random/src/distributions/ziggurat_constants.h

Standard library only. Deterministic: the same input gives the same header.
"""

import argparse
import decimal
import pathlib
import re
import sys

D = decimal.Decimal
decimal.getcontext().prec = 60

OUT = pathlib.Path(__file__).resolve().parent.parent / (
    "lib/core/include/streamalloc/detail/ziggurat_tables.hpp")

# The tables this library uses (the float32 tables serve NumPy's dtype=float32 paths only).
INT_TABLES = ("ki_double", "ke_double")
DOUBLE_TABLES = ("wi_double", "fi_double", "we_double", "fe_double")
SCALARS = ("ziggurat_nor_r", "ziggurat_nor_inv_r", "ziggurat_exp_r")


def parse_numpy_header(text):
    tables = {}
    for name in INT_TABLES + DOUBLE_TABLES:
        m = re.search(r"\b%s\[\]\s*=\s*\{(.*?)\}" % name, text, re.S)
        if not m:
            sys.exit("table %s not found" % name)
        tokens = [t.strip() for t in m.group(1).split(",") if t.strip()]
        if name in INT_TABLES:
            values = [int(re.sub(r"[uUlL]+$", "", t), 16) for t in tokens]
        else:
            values = [float(t) for t in tokens]
        if len(values) != 256:
            sys.exit("table %s has %d entries, expected 256" % (name, len(values)))
        tables[name] = values
    for name in SCALARS:
        m = re.search(r"\b%s\s*=\s*([0-9.eE+-]+)\s*;" % name, text)
        if not m:
            sys.exit("constant %s not found" % name)
        tables[name] = float(m.group(1))
        tables[name + "_text"] = m.group(1)  # all of NumPy's digits, for the check
    return tables


def pi():
    def arctan_inv(n):
        x = D(1) / n
        x2, term, total, k = x * x, x, x, 1
        while True:
            term = -term * x2
            k += 2
            if abs(term / k) < D(10) ** -70:
                return total
            total += term / k
    return 4 * (4 * arctan_inv(5) - arctan_inv(239))


def erfc(x):
    # Continued fraction erfc(x) = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))).
    t = x
    for k in range(600, 0, -1):
        t = x + D(k) / 2 / t
    return (-(x * x)).exp() / pi().sqrt() / t


def construct(r, density, tail_area, bits):
    """Layer edges x[1..255] (x[255] = r) of a 256-layer ziggurat for a decreasing density."""
    area = r * density(r) + tail_area
    x = [D(0)] * 256
    x[255] = r
    for i in range(254, 0, -1):
        x[i] = density.inverse(area / x[i + 1] + density(x[i + 1]))
    scale = D(2) ** bits
    q = area / density(r)
    k = [0] * 256
    w = [D(0)] * 256
    f = [D(0)] * 256
    k[0], w[0], f[0] = int(r / q * scale), q / scale, D(1)
    for i in range(1, 256):
        w[i] = x[i] / scale
        f[i] = density(x[i])
        if i < 255:
            k[i + 1] = int(x[i] / x[i + 1] * scale)
    return k, w, f


class Normal:
    def __call__(self, x):
        return (-(x * x) / 2).exp()

    def inverse(self, y):
        return (-2 * y.ln()).sqrt()


class Exponential:
    def __call__(self, x):
        return (-x).exp()

    def inverse(self, y):
        return -y.ln()


def check(tables):
    worst = 0.0
    r = D(tables["ziggurat_nor_r_text"])
    k, w, f = construct(r, Normal(), (pi() / 2).sqrt() * erfc(r / D(2).sqrt()), 52)
    exact = {"ki_double": k, "wi_double": w, "fi_double": f}
    r = D(tables["ziggurat_exp_r_text"])
    k, w, f = construct(r, Exponential(), (-r).exp(), 53)
    exact.update({"ke_double": k, "we_double": w, "fe_double": f})
    report = []
    for name in INT_TABLES + DOUBLE_TABLES:
        ours, numpy_values = exact[name], tables[name]
        rel = max(abs(D(numpy_values[i]) - D(ours[i])) / max(abs(D(ours[i])), D(1e-300))
                  for i in range(256) if ours[i] != 0)
        as_numpy = [float(v) for v in ours] if name in DOUBLE_TABLES else ours
        differing = sum(1 for i in range(256) if as_numpy[i] != numpy_values[i])
        report.append("  %-10s %3d of 256 entries differ from the exact construction; "
                      "max relative difference %.2e" % (name, differing, rel))
        worst = max(worst, float(rel))
    return worst, report


def hexfloat(value):
    return float.hex(value)


def scalar(name, value):
    return "inline constexpr double %s = %s;  // %r" % (name, hexfloat(value), value)


def render(tables, report):
    lines = [
        "// streamalloc/detail/ziggurat_tables.hpp — NumPy's ziggurat tables for the standard",
        "// normal and standard exponential. Shipped for the distribution headers; not part of the",
        "// stable API. GENERATED by scripts/gen_ziggurat_tables.py from NumPy's",
        "// numpy/random/src/distributions/ziggurat_constants.h; do not edit.",
        "//",
        "// 256-layer ziggurats (Marsaglia & Tsang 2000). The values are NumPy's, written as exact",
        "// hexadecimal floating-point literals: recomputing them from the construction differs from",
        "// NumPy in the last bits, and any difference would change draws. The generator's check:",
    ]
    lines += ["//" + line[1:] for line in report]
    lines += [
        "#pragma once",
        "",
        "#include <array>",
        "#include <cstdint>",
        "",
        "namespace streamalloc::detail::ziggurat {",
        "",
    ]

    def emit_int(name, comment):
        lines.append("// %s" % comment)
        short = name.replace("_double", "")
        lines.append("inline constexpr std::array<std::uint64_t, 256> %s = {" % short)
        vals = tables[name]
        for i in range(0, 256, 3):
            lines.append("    " + " ".join("0x%016XULL," % v for v in vals[i:i + 3]))
        lines.append("};")
        lines.append("")

    def emit_double(name, comment):
        lines.append("// %s" % comment)
        short = name.replace("_double", "")
        lines.append("inline constexpr std::array<double, 256> %s = {" % short)
        vals = tables[name]
        for i in range(0, 256, 3):
            lines.append("    " + " ".join("%s," % hexfloat(v) for v in vals[i:i + 3]))
        lines.append("};")
        lines.append("")

    emit_int("ki_double", "Normal: acceptance thresholds for the 52-bit magnitude, by layer.")
    emit_double("wi_double", "Normal: layer widths divided by 2^52 (magnitude to x).")
    emit_double("fi_double", "Normal: exp(-x_i^2 / 2) at the layer edges.")
    emit_int("ke_double", "Exponential: acceptance thresholds for the 53-bit magnitude, by layer.")
    emit_double("we_double", "Exponential: layer widths divided by 2^53.")
    emit_double("fe_double", "Exponential: exp(-x_i) at the layer edges.")
    lines += [
        "// Normal tail start r, NumPy's literal for 1/r (not computed as 1.0 / r), exponential r.",
        scalar("normal_r", tables["ziggurat_nor_r"]),
        scalar("normal_inv_r", tables["ziggurat_nor_inv_r"]),
        scalar("exponential_r", tables["ziggurat_exp_r"]),
        "",
        "}  // namespace streamalloc::detail::ziggurat",
        "",
    ]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("numpy_header", type=pathlib.Path,
                        help="NumPy's numpy/random/src/distributions/ziggurat_constants.h")
    parser.add_argument("--output", type=pathlib.Path, default=OUT)
    args = parser.parse_args()
    tables = parse_numpy_header(args.numpy_header.read_text())
    worst, report = check(tables)
    print("\n".join(report))
    if worst > 1e-12:
        sys.exit("NumPy's tables are further from the construction than expected (%.3g)" % worst)
    args.output.write_text(render(tables, report))
    print("wrote", args.output)


if __name__ == "__main__":
    main()
