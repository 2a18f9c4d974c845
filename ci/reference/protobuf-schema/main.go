// Records how kube-apiserver v1.34.4 writes every built-in kind in Kubernetes' protobuf encoding, read from the
// Go types and their generated gogo-protobuf marshallers (k8s.io/api, apimachinery, apiextensions-apiserver,
// kube-aggregator at the pinned version). Run by ../record-protobuf-schema.sh; see there.
//
// For each message reachable from the kinds of the v1 (and autoscaling/v2) API groups, one line per field:
// [number, jsonName ("" when inlined into the parent's JSON object), type, label, always, omitempty] where type is
// string|bytes|bool|int32|int64|uint32|uint64|double or the message's proto name, label is ""|"repeated"|"map",
// omitempty is 1 for encoding/json's omitempty and 2 for omitzero (ObjectMeta.creationTimestamp),
// and always is 1 when the generated marshaller writes the field even for a zero value (found by marshalling the
// zero value, not guessed: non-pointer strings, numbers, bools and embedded structs). Types with their own JSON form
// (Time, Quantity, IntOrString, RawExtension, ...) are marked "json"; named slices that are messages (ExtraValue)
// are marked "list".
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"

	gogo "github.com/gogo/protobuf/proto"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/kubernetes/scheme"
	apiregistrationv1 "k8s.io/kube-aggregator/pkg/apis/apiregistration/v1"
)

type marshaler interface{ Marshal() ([]byte, error) }

var (
	marshalerType     = reflect.TypeOf((*marshaler)(nil)).Elem()
	jsonMarshalerType = reflect.TypeOf((*json.Marshaler)(nil)).Elem()
	messages          = map[string][]string{}
	kinds             = map[string]string{}
)

func main() {
	s := runtime.NewScheme()
	must(scheme.AddToScheme(s))
	must(apiextensionsv1.AddToScheme(s))
	must(apiregistrationv1.AddToScheme(s))
	for gvk, t := range s.AllKnownTypes() {
		if gvk.Version != "v1" && gvk.GroupVersion() != (schema.GroupVersion{Group: "autoscaling", Version: "v2"}) {
			continue
		}
		if !reflect.PointerTo(t).Implements(marshalerType) {
			continue
		}
		key := gvk.Kind
		if gvk.Group == "" {
			key = "v1/" + key
		} else {
			key = gvk.Group + "/v1/" + key
			if gvk.Version != "v1" {
				key = gvk.Group + "/" + gvk.Version + "/" + gvk.Kind
			}
		}
		kinds[key] = record(t)
	}
	out := os.Stdout
	fmt.Fprintln(out, "{\"kinds\": {")
	writeSorted(out, kinds, func(v string) string { return strconv.Quote(v) })
	fmt.Fprintln(out, "}, \"messages\": {")
	joined := map[string]string{}
	for k, v := range messages {
		joined[k] = "[" + strings.Join(v, ", ") + "]"
	}
	writeSorted(out, joined, func(v string) string { return v })
	fmt.Fprintln(out, "}}")
}

func writeSorted(out *os.File, m map[string]string, value func(string) string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		sep := ","
		if i == len(keys)-1 {
			sep = ""
		}
		fmt.Fprintf(out, "  %s: %s%s\n", strconv.Quote(k), value(m[k]), sep)
	}
}

// record adds the message of Go type t (and every message it reaches) and returns its proto name.
func record(t reflect.Type) string {
	name := gogo.MessageName(reflect.New(t).Interface().(gogo.Message))
	if name == "" {
		panic("no proto name for " + t.String())
	}
	if _, seen := messages[name]; seen {
		return name
	}
	messages[name] = nil // cycles (JSONSchemaProps)
	var fields []string
	if t.Implements(jsonMarshalerType) || reflect.PointerTo(t).Implements(jsonMarshalerType) {
		fields = append(fields, `"json"`)
	}
	if t.Kind() == reflect.Slice {
		fields = append(fields, `"list"`, fmt.Sprintf("[1, \"items\", %q, \"repeated\", 0, 0]", typeOf(t.Elem())))
		messages[name] = fields
		return name
	}
	always := zeroFields(t)
	type field struct {
		num  int
		text string
	}
	var list []field
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("protobuf")
		if tag == "" || tag == "-" {
			continue
		}
		parts := strings.Split(tag, ",")
		num, err := strconv.Atoi(parts[1])
		must(err)
		jsonTag := strings.Split(f.Tag.Get("json"), ",")
		jsonName := jsonTag[0]
		omitempty := 0
		for _, o := range jsonTag[1:] {
			if o == "omitempty" && omitempty == 0 {
				omitempty = 1
			}
			if o == "omitzero" {
				omitempty = 2
			}
		}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		label, typ := "", ""
		switch {
		case ft.Kind() == reflect.Map:
			if ft.Key().Kind() != reflect.String {
				panic("map key not a string: " + t.String() + "." + f.Name)
			}
			label, typ = "map", typeOf(ft.Elem())
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() != reflect.Uint8 && !reflect.PointerTo(ft).Implements(marshalerType):
			label, typ = "repeated", typeOf(ft.Elem())
		default:
			typ = typeOf(ft)
		}
		a := 0
		if always[num] {
			a = 1
		}
		list = append(list, field{num, fmt.Sprintf("[%d, %q, %q, %q, %d, %d]", num, jsonName, typ, label, a, omitempty)})
	}
	sort.Slice(list, func(i, j int) bool { return list[i].num < list[j].num })
	for _, f := range list {
		fields = append(fields, f.text)
	}
	messages[name] = fields
	return name
}

func typeOf(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(marshalerType) {
		return record(t)
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "bool"
	case reflect.Int32, reflect.Int64, reflect.Uint32, reflect.Uint64:
		return t.Kind().String()
	case reflect.Float64:
		return "double"
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return "bytes"
		}
	}
	panic("unsupported type " + t.String())
}

// zeroFields marshals the zero value of t with its generated marshaller: the fields it writes are written always.
func zeroFields(t reflect.Type) map[int]bool {
	data, err := reflect.New(t).Interface().(marshaler).Marshal()
	must(err)
	out := map[int]bool{}
	for len(data) > 0 {
		key, n := varint(data)
		data = data[n:]
		out[int(key>>3)] = true
		switch key & 7 {
		case 0:
			_, n = varint(data)
			data = data[n:]
		case 1:
			data = data[8:]
		case 2:
			l, n := varint(data)
			data = data[n+int(l):]
		case 5:
			data = data[4:]
		default:
			panic("wire type " + strconv.Itoa(int(key&7)))
		}
	}
	return out
}

func varint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(b); i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	panic("truncated varint")
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
