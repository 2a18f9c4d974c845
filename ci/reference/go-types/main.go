// Records the Go type names kube-apiserver v1.34.4's JSON decoder prints in its type errors ("json: cannot unmarshal
// string into Go struct field DeploymentSpec.spec.replicas of type int32"), which the OpenAPI documents do not
// carry (named strings such as v1.ServiceType, named maps such as v1.ResourceList). Run by ../record-go-types.sh.
//
// Output: one entry per struct reachable from the built-in kinds, keyed by its OpenAPI definition name
// (io.k8s.api.apps.v1.DeploymentSpec), mapping each JSON field name (embedded inline structs flattened, as the
// OpenAPI schemas are) to the type names met when descending into it: the field's type, then a slice's or map's
// element, and so on (pointers skipped, as Go reports the pointed-to type). A name starting with "@" is a type with
// its own UnmarshalJSON (Time, Quantity, IntOrString, ...).
package main

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/scheme"
	apiregistrationv1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
)

var (
	unmarshalerType = reflect.TypeOf((*json.Unmarshaler)(nil)).Elem()
	structs         = map[string]map[string][]string{}
)

func main() {
	s := runtime.NewScheme()
	must(scheme.AddToScheme(s))
	must(apiextensionsv1.AddToScheme(s))
	must(apiregistrationv1.AddToScheme(s))
	for _, t := range s.AllKnownTypes() {
		visit(t)
	}
	keys := make([]string, 0, len(structs))
	for k := range structs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Println("{")
	for i, k := range keys {
		b, err := json.Marshal(structs[k])
		must(err)
		sep := ","
		if i == len(keys)-1 {
			sep = ""
		}
		fmt.Printf("%q: %s%s\n", k, b, sep)
	}
	fmt.Println("}")
}

// openAPIName is kube-openapi's friendly name: k8s.io/api/apps/v1.DeploymentSpec -> io.k8s.api.apps.v1.DeploymentSpec.
func openAPIName(t reflect.Type) string {
	path := t.PkgPath()
	parts := strings.Split(path, "/")
	domain := strings.Split(parts[0], ".")
	for i, j := 0, len(domain)-1; i < j; i, j = i+1, j-1 {
		domain[i], domain[j] = domain[j], domain[i]
	}
	parts[0] = strings.Join(domain, ".")
	return strings.Join(parts, ".") + "." + t.Name()
}

func custom(t reflect.Type) bool {
	return t.Implements(unmarshalerType) || reflect.PointerTo(t).Implements(unmarshalerType)
}

func visit(t reflect.Type) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || custom(t) || t.Name() == "" {
		return
	}
	name := openAPIName(t)
	if _, seen := structs[name]; seen {
		return
	}
	fields := map[string][]string{}
	structs[name] = fields
	addFields(t, fields)
}

func addFields(t reflect.Type, fields map[string][]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := strings.Split(f.Tag.Get("json"), ",")
		if tag[0] == "-" {
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if f.Anonymous && tag[0] == "" && ft.Kind() == reflect.Struct && !custom(ft) {
			addFields(ft, fields)
			continue
		}
		jsonName := tag[0]
		if jsonName == "" {
			jsonName = f.Name
		}
		fields[jsonName] = chain(f.Type)
	}
}

// chain lists the names met descending into t through slices and maps, visiting the structs found.
func chain(t reflect.Type) []string {
	var out []string
	for {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		name := t.String()
		if custom(t) {
			return append(out, "@"+name)
		}
		out = append(out, name)
		switch t.Kind() {
		case reflect.Slice:
			if t.Elem().Kind() == reflect.Uint8 {
				return out
			}
			t = t.Elem()
		case reflect.Map:
			t = t.Elem()
		case reflect.Struct:
			visit(t)
			return out
		default:
			return out
		}
	}
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
