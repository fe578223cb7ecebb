#!/usr/bin/env python3
"""Writes docs/openapi.yaml as a C++ source file holding the document as
compact JSON, which `GET /v1/openapi.json` serves: the YAML is the one copy
anyone edits, and the binary carries exactly what was built from it.

usage: openapi_json.py DOCUMENT.yaml OUTPUT.cpp
"""
import json
import sys

import yaml

DELIMITER = "openapi"


def main(source, output):
    with open(source, encoding="utf-8") as handle:
        document = yaml.safe_load(handle)
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    if f'){DELIMITER}"' in text:
        raise SystemExit(f"{source}: the text contains the raw string's delimiter")
    with open(output, "w", encoding="utf-8") as handle:
        handle.write("// Generated from docs/openapi.yaml by tools/openapi_json.py. Do not edit.\n")
        handle.write('#include "handlers/api_description.hpp"\n\n')
        handle.write("namespace leadgate::handlers {\n\n")
        handle.write("std::string_view api_description_json() {\n")
        handle.write(f'  static constexpr std::string_view json = R"{DELIMITER}({text}){DELIMITER}";\n')
        handle.write("  return json;\n}\n\n}  // namespace leadgate::handlers\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
