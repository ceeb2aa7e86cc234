#!/usr/bin/env python3
"""Generates python_hash_key_cases.json, the fixture CacheKeysTest checks CacheKeys against.

Each case holds an input value, json.dumps(value, sort_keys=True) and the hash the Python
netrun-cache's _hash_key(value) returns for it. Python standard library only. Run it from any
directory, with the Python the fixture should record (3.11 made the committed file):

    python3 generate_fixture.py

Inputs are written in a tagged form that Java rebuilds without guessing, since plain JSON cannot
tell 1 from 1.0, carry NaN or -0.0, or keep a dict's insertion order and non-string keys:

    {"t": "null"}                 None
    {"t": "bool", "v": true}      bool
    {"t": "int", "v": "-12"}      int, as decimal text (any size)
    {"t": "float", "v": "1e-05"}  float, as json.dumps prints it (NaN, Infinity, -Infinity too)
    {"t": "str", "v": "..."}      str
    {"t": "list", "v": [...]}     list of tagged values
    {"t": "map", "v": [[k, v]]}   dict of tagged keys and values, in insertion order
"""

import hashlib
import json
import math
import platform
import random
import struct
from pathlib import Path

OUTPUT = Path(__file__).with_name("python_hash_key_cases.json")


def _hash_key(data):
    """The Python netrun-cache's RedisCache._hash_key."""
    if isinstance(data, str):
        return hashlib.sha256(data.encode()).hexdigest()
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def tag(value):
    if value is None:
        return {"t": "null"}
    if isinstance(value, bool):  # before int: bool is an int in Python
        return {"t": "bool", "v": value}
    if isinstance(value, int):
        return {"t": "int", "v": str(value)}
    if isinstance(value, float):
        return {"t": "float", "v": json.dumps(value)}
    if isinstance(value, str):
        return {"t": "str", "v": value}
    if isinstance(value, list):
        return {"t": "list", "v": [tag(item) for item in value]}
    if isinstance(value, dict):
        return {"t": "map", "v": [[tag(k), tag(v)] for k, v in value.items()]}
    raise TypeError(f"no tag for {type(value).__name__}")


README_PROMPT = {
    "model": "gpt-4",
    "messages": [{"role": "user", "content": "Hello"}],
    "temperature": 0.7,
}

CASES = [
    # Top-level strings: hashed as their UTF-8 bytes, not as JSON.
    ("str_ascii", "What is the capital of France?"),
    ("str_empty", ""),
    ("str_latin1_accent", "café é"),
    ("str_cjk", "中文"),
    ("str_emoji_beyond_bmp", "smile 😀"),
    ("str_json_specials_not_escaped", 'a "quoted" \\ back/slash\n\t\x01'),
    ("str_looks_like_json", '{"a": 1}'),
    # Strings inside containers: escaped with ensure_ascii=True.
    ("map_str_unicode_values", {"latin": "é", "cjk": "中文", "emoji": "😀", "fffd": "\ufffd"}),
    ("map_str_quotes_backslash_slash", {"s": 'say "hi" \\ path/to/file </script>'}),
    ("map_str_named_escapes", {"s": "\n\r\t\b\f"}),
    ("map_str_control_chars", {"s": "\x00\x01\x1f\x7f\x80\x9f"}),
    ("list_str_mixed_unicode", ["ascii", "é中😀", "", " ", "~"]),
    ("list_str_lone_surrogate", ["\ud800", "x\udfffy"]),
    # The README's LLM prompt example.
    ("readme_llm_prompt", README_PROMPT),
    ("api_doc_example", {"model": "gpt-4", "temperature": 0.7}),
    # Nesting.
    ("nested_maps_and_lists", {"z": [1, [2, [3, {"b": None, "a": []}]]], "a": {"y": {"x": {}}}}),
    ("list_of_maps_each_sorted", [{"b": 1, "a": 2}, {"d": [True, False, None], "c": "x"}]),
    # Key ordering: by code point.
    ("keys_case_and_digits", {"b": 1, "B": 2, "a": 3, "A": 4, "_": 5, "1": 6, "10": 7, "2": 8, "": 9}),
    ("keys_unicode", {"é": 1, "e": 2, "z": 3, "中": 4, "ß": 5, "Z": 6}),
    ("keys_beyond_bmp_vs_fffd", {"😀": 1, "\ufffd": 2, "\ue000": 3, "\uffff": 4, "a": 5}),
    ("keys_prefixes", {"ab": 1, "a": 2, "abc": 3, "a\x00": 4}),
    ("keys_escaped_in_output", {"line\nbreak": 1, 'quote"': 2, "tab\t": 3}),
    # Non-string keys: printed as strings, sorted by their original values.
    ("keys_int", {1: "a", 2: "b"}),
    ("keys_int_sorted_numerically", {10: "ten", 2: "two", -1: "minus one", 0: "zero"}),
    ("keys_big_int", {2**64: "big", -(2**63): "min", 1: "one"}),
    ("keys_float", {1.5: "a", 0.1: "b", -0.0: "c", 1e16: "d", float("inf"): "e", float("-inf"): "f"}),
    ("keys_int_and_float_by_value", {2: "two", 1.5: "one and a half", 10: "ten", 2.5: "two and a half"}),
    ("keys_bool", {True: "t", False: "f"}),
    ("keys_bool_and_int_by_value", {True: "t", 2: "two", False: "f", -5: "minus five"}),
    ("keys_none_alone", {None: "n"}),
    ("keys_nan_alone", {float("nan"): "n"}),
    # Integers.
    ("int_zero", 0),
    ("int_minus_one", -1),
    ("int_long_max", 2**63 - 1),
    ("int_long_min", -(2**63)),
    ("int_two_pow_64", 2**64),
    ("int_ten_pow_30", 10**30),
    ("int_negative_big", -(10**40) - 7),
    ("int_top_level_42", 42),
    ("list_ints", [0, -1, 2**31 - 1, -(2**31), 2**63 - 1, -(2**63), 2**64, 10**30]),
    # Floats, spelled as repr().
    ("float_zero_point_one", 0.1),
    ("float_hundred", 100.0),
    ("float_zero", 0.0),
    ("float_negative_zero", -0.0),
    ("float_1e_minus_5", 1e-05),
    ("float_0_0001", 0.0001),
    ("float_0_000123", 0.000123),
    ("float_1_5e_minus_7", 1.5e-07),
    ("float_1e16", 1e16),
    ("float_1e15", 1e15),
    ("float_9999999999999998", 9999999999999998.0),
    ("float_1_2345e20", 1.2345e20),
    ("float_12345678_9", 12345678.9),
    ("float_one_third", 1 / 3),
    ("float_2_5e_minus_300", 2.5e-300),
    ("float_min_subnormal", 5e-324),
    ("float_max", 1.7976931348623157e308),
    ("float_nan", float("nan")),
    ("float_inf", float("inf")),
    ("float_minus_inf", float("-inf")),
    ("float_123456789_123", 123456789.123),
    ("float_two_pow_minus_1074_times_3", 1.5e-323),
    ("float_float32_0_1_widened", 0.10000000149011612),
    ("float_1e22_1e23", [1e22, 1e23, 2e23, 8.41e21]),
    ("float_negative_small", -1.5e-10),
    ("list_floats", [0.5, -2.75, 3.0, 1e-07, 123e-20, 6.02214076e23, 2.0**53, 2.0**53 + 2]),
    # Booleans and None.
    ("list_bools_and_null", [True, False, None, True]),
    ("bool_true_top_level", True),
    ("bool_false_top_level", False),
    ("null_top_level", None),
    # Empty containers and top-level lists.
    ("list_empty", []),
    ("map_empty", {}),
    ("list_top_level_mixed", [1, "two", 3.0, None, True, {"k": "v"}, []]),
    ("map_with_empty_containers", {"l": [], "m": {}, "s": ""}),
]

# Inputs Python's _hash_key raises on; Java must throw IllegalArgumentException.
ERRORS = [
    ("keys_str_and_int", {"a": 1, 1: 2}),
    ("keys_str_and_bool", {"a": 1, True: 2}),
    ("keys_str_and_float", {"a": 1, 1.5: 2}),
    ("keys_none_and_str", {None: 1, "a": 2}),
    ("keys_none_and_int", {None: 1, 1: 2}),
    ("nested_keys_str_and_int", {"outer": [{"b": 1, 2: "c"}]}),
]

# Doubles whose repr() Java must reproduce: edges of the repr rules and random bit patterns.
def float_samples():
    rng = random.Random(20240611)
    samples = [
        5e-324, 1e-323, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308,
        0.1, 0.2, 0.30000000000000004, 1e-4, 9.999999999999999e-5, 1e-5, 1e16, 9999999999999998.0,
        1e15, 123456789012345680.0, 0.1 + 0.7, 2.0**-1022, 2.0**-1074 * 3, 2.0**1023, 2.0**63,
    ]
    samples += [math.ldexp(1.0, k) for k in range(-1074, 1024, 53)]
    samples += [math.nextafter(math.ldexp(1.0, k), 0.0) for k in range(-1070, 1024, 61)]
    samples += [float(f"1e{k}") for k in range(-320, 309, 17)]
    while len(samples) < 400:
        value = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
        if math.isfinite(value):
            samples.append(value)
    while len(samples) < 600:
        samples.append(round(rng.uniform(-1e7, 1e7), rng.randint(0, 9)))
    return [{"bits": struct.pack(">d", v).hex(), "repr": repr(v)} for v in samples]


def one_entry_per_line(document):
    """JSON with each case on a line of its own, for readable diffs."""
    lines = ["{"]
    for i, (key, value) in enumerate(document.items()):
        comma = "," if i < len(document) - 1 else ""
        if isinstance(value, list):
            lines.append(f"  {json.dumps(key)}: [")
            lines += [f"    {json.dumps(item)}" + ("," if j < len(value) - 1 else "") for j, item in enumerate(value)]
            lines.append("  ]" + comma)
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    cases = []
    names = set()
    for name, value in CASES:
        assert name not in names, name
        names.add(name)
        cases.append({
            "name": name,
            "input": tag(value),
            "dumps": json.dumps(value, sort_keys=True),
            "sha256": _hash_key(value),
        })
    errors = []
    for name, value in ERRORS:
        try:
            _hash_key(value)
        except TypeError as e:
            errors.append({"name": name, "input": tag(value), "python_error": f"TypeError: {e}"})
        else:
            raise AssertionError(f"{name}: Python did not raise")
    document = {
        "description": "Python netrun-cache _hash_key(value) and json.dumps(value, sort_keys=True) for "
                       "tagged inputs; regenerate with generate_fixture.py",
        "python": platform.python_version(),
        "cases": cases,
        "errors": errors,
        "float_reprs": float_samples(),
    }
    OUTPUT.write_text(one_entry_per_line(document), encoding="ascii")
    print(f"wrote {len(cases)} cases, {len(errors)} error cases to {OUTPUT}")


if __name__ == "__main__":
    main()
