"""A JSON Schema (draft-04) checker for the keywords the SARIF 2.1.0 schema
uses. python3-jsonschema is the reference; this one keeps the test meaningful
on a machine without it, and both run when both are present."""
import re

KNOWN = {"type", "$ref", "items", "uniqueItems", "minItems", "additionalProperties",
         "properties", "required", "minimum", "maximum", "pattern", "enum", "anyOf",
         "oneOf", "format", "default", "description", "title", "id", "$schema",
         "definitions"}

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


class Checker:
    def __init__(self, root):
        self.root = root

    def resolve(self, ref):
        if not ref.startswith("#/"):
            raise ValueError("unsupported $ref " + ref)
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def errors(self, value, schema, path="$"):
        out = []
        self.check(value, schema, path, out)
        return out

    def check(self, v, s, path, out):
        unknown = set(s) - KNOWN
        if unknown:
            raise ValueError("schema keyword(s) not handled: %s" % sorted(unknown))
        if "$ref" in s:
            self.check(v, self.resolve(s["$ref"]), path, out)
            return
        t = s.get("type")
        if t is not None:
            names = t if isinstance(t, list) else [t]
            if not any(TYPES[n](v) for n in names):
                out.append("%s: %r is not of type %s" % (path, v, t))
                return
        if "enum" in s and v not in s["enum"]:
            out.append("%s: %r not in %r" % (path, v, s["enum"]))
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if "minimum" in s and v < s["minimum"]:
                out.append("%s: %r < minimum %r" % (path, v, s["minimum"]))
            if "maximum" in s and v > s["maximum"]:
                out.append("%s: %r > maximum %r" % (path, v, s["maximum"]))
        if isinstance(v, str) and "pattern" in s and not re.search(s["pattern"], v):
            out.append("%s: %r does not match %r" % (path, v, s["pattern"]))
        if isinstance(v, list):
            self.check_array(v, s, path, out)
        if isinstance(v, dict):
            self.check_object(v, s, path, out)
        if "anyOf" in s and not any(not self.errors(v, sub, path) for sub in s["anyOf"]):
            out.append("%s: matches none of anyOf" % path)
        if "oneOf" in s:
            n = sum(1 for sub in s["oneOf"] if not self.errors(v, sub, path))
            if n != 1:
                out.append("%s: matches %d of oneOf, expected 1" % (path, n))

    def check_array(self, v, s, path, out):
        if len(v) < s.get("minItems", 0):
            out.append("%s: fewer than %d items" % (path, s["minItems"]))
        if s.get("uniqueItems"):
            seen = []
            for item in v:
                if item in seen:
                    out.append("%s: duplicate item %r" % (path, item))
                seen.append(item)
        if "items" in s:
            for i, item in enumerate(v):
                self.check(item, s["items"], "%s[%d]" % (path, i), out)

    def check_object(self, v, s, path, out):
        for key in s.get("required", []):
            if key not in v:
                out.append("%s: lacks required %r" % (path, key))
        props = s.get("properties", {})
        extra = s.get("additionalProperties", True)
        for key, item in v.items():
            sub = "%s.%s" % (path, key)
            if key in props:
                self.check(item, props[key], sub, out)
            elif extra is False:
                out.append("%s: property not allowed" % sub)
            elif isinstance(extra, dict):
                self.check(item, extra, sub, out)
