#!/usr/bin/env python3
"""Records the order in which kube-apiserver serialises the fields of every built-in type: Go's encoding/json
writes struct fields in declaration order, so the order is read from the Go types (k8s.io/api, apimachinery's
meta/v1, apiextensions-apiserver, kube-aggregator at the pinned version, as build-reference.sh downloads them)
and joined with the type graph of the recorded OpenAPI v2 document (which field holds which definition).

  ci/reference/record-field-order.py [GOMODCACHE]   (default ~/go/pkg/mod)

Writes fake-apiserver/src/main/resources/io/kubetwin/apiserver/registry/field-order.json:
  {"kinds": {"GROUP/VERSION/KIND": "definition"},
   "types": {"definition": [[jsonName, "definition" or null, "map"|"list"|""], ...in Go order]}}
"""
import gzip, json, os, re, sys, glob

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "..", "..", "fake-apiserver", "src", "main", "resources", "io", "kubetwin", "apiserver")
modcache = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/go/pkg/mod")
K8S = "v0.34.4"
sources = {  # OpenAPI name prefix -> Go package directory
}
for d in glob.glob(f"{modcache}/k8s.io/api@{K8S}/*/*"):
    if os.path.isdir(d):
        group, version = d.split("/")[-2:]
        sources[f"io.k8s.api.{group}.{version}"] = d
sources["io.k8s.apimachinery.pkg.apis.meta.v1"] = f"{modcache}/k8s.io/apimachinery@{K8S}/pkg/apis/meta/v1"
sources["io.k8s.apimachinery.pkg.runtime"] = f"{modcache}/k8s.io/apimachinery@{K8S}/pkg/runtime"
sources["io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1"] = \
    f"{modcache}/k8s.io/apiextensions-apiserver@{K8S}/pkg/apis/apiextensions/v1"
sources["io.k8s.kube-aggregator.pkg.apis.apiregistration.v1"] = \
    f"{modcache}/k8s.io/kube-aggregator@{K8S}/pkg/apis/apiregistration/v1"

STRUCT = re.compile(r"^type (\w+) struct \{")
FIELD = re.compile(r'^\s+(\*?[\w.\[\]*]+)?\s*([\w.\[\]*]+)?\s+`json:"([^"]*)"')

def go_structs(directory):
    """type name -> [(json name or None for inline, go type)] in declaration order."""
    out = {}
    for f in sorted(glob.glob(directory + "/*.go")):
        if f.endswith("_test.go") or "generated" in os.path.basename(f):
            continue
        name, fields, depth = None, None, 0
        for line in open(f, encoding="utf-8"):
            if name is None:
                m = STRUCT.match(line)
                if m:
                    name, fields, depth = m.group(1), [], 1
                continue
            stripped = line.split("//")[0]
            depth += stripped.count("{") - stripped.count("}")
            if depth <= 0:
                out[name] = fields
                name = None
                continue
            if depth == 1:
                m = re.match(r'^\s+(\w+)?\s*([^\s`]+)?\s*`json:"([^"]*)"', line)
                if m:
                    tag = m.group(3).split(",")
                    gotype = (m.group(2) or m.group(1) or "")
                    if tag[0] == "" and "inline" in tag:
                        fields.append((None, gotype.lstrip("*")))
                    elif tag[0] != "-":
                        fields.append((tag[0], gotype))
    return out

v2 = json.load(gzip.open(os.path.join(root, "discovery", "openapi-v2.json.gz")))
definitions = v2["definitions"]
structs = {prefix: go_structs(d) for prefix, d in sources.items() if os.path.isdir(d)}

def ref_of(schema):
    if "$ref" in schema:
        return schema["$ref"].split("/")[-1], ""
    if "allOf" in schema and schema["allOf"] and "$ref" in schema["allOf"][0]:
        return schema["allOf"][0]["$ref"].split("/")[-1], ""
    if schema.get("type") == "array" and "items" in schema:
        r, _ = ref_of(schema["items"])
        return r, "list"
    if schema.get("type") == "object" and isinstance(schema.get("additionalProperties"), dict):
        r, _ = ref_of(schema["additionalProperties"])
        return r, "map"
    return None, ""

types = {}
for name, schema in definitions.items():
    prefix, _, typename = name.rpartition(".")
    fields = structs.get(prefix, {}).get(typename)
    if fields is None or "properties" not in schema:
        continue
    ordered = []
    def expand(fields):
        for json_name, gotype in fields:
            if json_name is None:
                inner = structs.get(prefix, {}).get(gotype.split(".")[-1])
                if gotype.split(".")[-1] == "TypeMeta":
                    ordered.extend(["kind", "apiVersion"])
                elif inner is not None:
                    expand(inner)
            else:
                ordered.append(json_name)
    expand(fields)
    props = schema["properties"]
    entry = []
    for f in ordered:
        if f in props:
            r, shape = ref_of(props[f])
            entry.append([f, r if r in definitions else None, shape])
    for f in props:  # anything the parser missed keeps OpenAPI's (alphabetical) order after the rest
        if f not in ordered:
            r, shape = ref_of(props[f])
            entry.append([f, r if r in definitions else None, shape])
    types[name] = entry

kinds = {}
for name, schema in definitions.items():
    for gvk in schema.get("x-kubernetes-group-version-kind", []):
        if name in types and not name.endswith("List"):
            key = "/".join([gvk["group"], gvk["version"], gvk["kind"]])
            kinds.setdefault(key, name)
# only the types reachable from a kind
reachable, todo = set(), list(kinds.values())
while todo:
    t = todo.pop()
    if t in reachable or t not in types:
        continue
    reachable.add(t)
    todo.extend(r for _, r, _ in types[t] if r)
out = {"kinds": dict(sorted(kinds.items())), "types": {t: types[t] for t in sorted(reachable)}}
target = os.path.join(root, "registry", "field-order.json")
json.dump(out, open(target, "w"), separators=(",", ":"))
print(f"{len(kinds)} kinds, {len(reachable)} types -> {target}")
